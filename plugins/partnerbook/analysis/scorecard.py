"""Agreement scorecards in words: element names, column groups and where a scorecard is thin."""

from __future__ import annotations

from ..data.model import Agreement
from ..data.schema import DEFAULT_SCORECARD
from ..i18n.labels import label
from ..i18n.language import N_, _, active, pgettext


def scorecard_cells(agreement: Agreement, elements: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(CSS rating, symbol, words) of each element of one row of the scorecard matrix."""
    cells = []
    for element in elements:
        rating = agreement.scorecard.get(element)
        if rating is None:
            cells.append(("missing pb-not-stated", RATING_SYMBOLS["missing"], _("missing (not stated)")))
        else:
            cells.append((rating.replace("/", ""), RATING_SYMBOLS[rating], label("rating", rating)))
    return cells


_GAPS = (("missing", N_("Missing")), ("partial", N_("Partial")), ("unknown", N_("Unknown")),
         ("not-stated", N_("Not stated (counts as missing)")))


def scorecard_gaps(agreement: Agreement, elements: tuple[str, ...]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Where a scorecard is thin, in words: [(rating, heading, [(group, element label), ...]), ...]."""
    found: dict[str, list[tuple[str, str]]] = {rating: [] for rating, _heading in _GAPS}
    for element in elements:
        rating = agreement.scorecard.get(element, "not-stated")
        if rating in found:
            found[rating].append(element_label(element))
    return [(rating, _(heading), found[rating]) for rating, heading in _GAPS if found[rating]]


# Shapes, not colour alone, tell the ratings apart; each cell also carries the word for screen readers.
RATING_SYMBOLS = {"full": "●", "partial": "◐", "missing": "○", "unknown": "?", "n/a": "–"}
# Words for the default elements that capitalising the key would get wrong.
_ELEMENT_WORDS = {"ip-and-data": "IP and data"}


def element_label(element: str) -> tuple[str, str]:
    """'why.shared-objectives' → ('Why', 'Shared objectives'); an element without a group is its own.
    The default elements' words are ours, in the reader's language; an author's own elements are as written."""
    group, _dot, name = element.partition(".")
    if element in DEFAULT_SCORECARD:
        defaults = _default_words()
        return defaults[group], defaults[name]
    name = name or group
    words = _ELEMENT_WORDS.get(name) or name.replace("-", " ").replace("_", " ")
    return group.replace("-", " ").capitalize(), words[:1].upper() + words[1:]


def scorecard_columns(elements: tuple[str, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group label, [(element, label), ...]), ...] in the order the elements are configured."""
    columns: list[tuple[str, list[tuple[str, str]]]] = []
    for element in elements:
        group, label = element_label(element)
        if not columns or columns[-1][0] != group:
            columns.append((group, []))
        columns[-1][1].append((element, label))
    return columns


def _default_words() -> dict[str, str]:
    """The groups and names of the default scorecard, in the active language (at use time)."""
    return active().remember("scorecard words", _words)


def _words() -> dict[str, str]:
    return {
        "who": pgettext("scorecard group", "Who"), "why": pgettext("scorecard group", "Why"),
        "what": pgettext("scorecard group", "What"), "how": pgettext("scorecard group", "How"),
        "when": pgettext("scorecard group", "When"),
        "partners": pgettext("scorecard element", "Partners"),
        "representatives": pgettext("scorecard element", "Representatives"),
        "vision": pgettext("scorecard element", "Vision"),
        "shared-objectives": pgettext("scorecard element", "Shared objectives"),
        "partner-objectives": pgettext("scorecard element", "Partner objectives"),
        "principles": pgettext("scorecard element", "Principles"),
        "activities": pgettext("scorecard element", "Activities"),
        "work-plan": pgettext("scorecard element", "Work plan"),
        "resources": pgettext("scorecard element", "Resources"),
        "roles": pgettext("scorecard element", "Roles"),
        "indicators": pgettext("scorecard element", "Indicators"),
        "sustainability": pgettext("scorecard element", "Sustainability"),
        "governance": pgettext("scorecard element", "Governance"),
        "decision-making": pgettext("scorecard element", "Decision making"),
        "communication": pgettext("scorecard element", "Communication"),
        "conflict-resolution": pgettext("scorecard element", "Conflict resolution"),
        "ip-and-data": pgettext("scorecard element", "IP and data"),
        "duration": pgettext("scorecard element", "Duration"),
        "review": pgettext("scorecard element", "Review"),
        "exit": pgettext("scorecard element", "Exit"),
    }
