"""Names that are no organisation's name: role words, placeholders, sentences (the `suspect-name` check).

Published data (IATI above all) names organisations `Implementing`, `In-country partner`,
`… - NO UTILIZAR`, or with a sentence: a reader must be warned, and such a name must never lead
a ranking (the health report's first actions, `impact/`).
"""

from __future__ import annotations

import re
import unicodedata

# Words that say what part an organisation plays, or what a line of a table is, not who it is.
_ROLE_WORDS = {
    "extending", "implementing", "funding", "accountable", "reporting", "participating", "provider", "receiver",
    "donor", "donors", "funder", "funders", "recipient", "recipients", "partner", "partners", "implementer",
    "implementing partner", "implementing partners", "implementing organisation", "implementing organization",
    "funding organisation", "funding organization", "correction", "adjustment", "reversal", "other", "others",
    "various", "multiple", "several", "unknown", "n a", "na", "none", "tbd", "tbc", "to be determined",
    "to be confirmed", "not applicable", "not available", "organisation", "organization", "name", "test",
}
# Placeholders: a partner to be named later, or a record its publisher marked unusable.
_PLACEHOLDER = re.compile(
    r"\b(in country partners?|local partners?|no utilizar|do not use|ne pas utiliser|nao utilizar|placeholder"
    r"|to be (determined|confirmed|named|selected)|not (yet )?(known|selected|named))\b")
_DATE = re.compile(r"\b(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2}|(19|20)\d{2}\s*[-–/]\s*(19|20)?\d{2})\b")
_AMOUNT = re.compile(r"\d{1,3}([,.\s]\d{3})+|\d{4,}")
SENTENCE_WORDS = 15  # more words than this is a sentence, not a name


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def suspect_reason(name: str, full_name: str | None = None) -> str | None:
    """Why `name` is no organisation's name ('a role word', 'a placeholder', 'a sentence'), or None.

    `full_name`: the whole name when `name` is a shortened copy of it (an importer's 'Full name:')."""
    plain = _plain(name)
    if not plain or plain in _ROLE_WORDS:
        return "a role word or a table word, not a name"
    if _PLACEHOLDER.search(plain):
        return "a placeholder, not a name"
    whole = full_name or name
    if len(whole.split()) > SENTENCE_WORDS:
        return "a sentence, not a name"
    if _DATE.search(whole) and _AMOUNT.search(_DATE.sub(" ", whole)):
        return "a line with dates and an amount, not a name"
    return None


def full_name_of(description: str | None) -> str | None:
    """The full name an importer keeps in `description` when it shortened a name ('Full name: …')."""
    if description and description.startswith("Full name: "):
        return description[len("Full name: "):].split("\n", 1)[0]
    return None
