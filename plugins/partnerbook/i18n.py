"""The reader's language: gettext catalogs for the text partnerbook writes, Babel for numbers and dates.

Catalogs are `.po` files (packaged in `locale/`, a handbook's in `TEMPLATES/locale/`),
read and compiled in memory by Babel, so no compiled `.mo` file is kept in git.
A handbook's catalog adds a language, or overrides some of a packaged one's messages.

One language is active per process, as `gettext.install` would have it, rather than
passed as a parameter: the text is written by many pure modules (findings, money,
legends, pages) that would all have to thread a translator through. A build
activates its language once, before it writes anything (`activate`); authors' own
text never passes through a catalog.

Messages use `%(name)s` placeholders, in Python and in templates alike (Jinja's
`newstyle` gettext), and are always filled, so a literal percent sign is written `%%`
in every message.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale, UnknownLocaleError, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

DOMAIN = "partnerbook"
PACKAGED_CATALOGS = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "en"


class CatalogError(ValueError):
    """A catalog that cannot be read: the message starts with FILE:LINE."""


@dataclass(frozen=True)
class Language:
    """A language as the site asked for it ('fr', 'pt-BR'), its Babel locale and its messages."""

    code: str
    locale: Locale
    translations: NullTranslations = field(compare=False)
    catalogs: tuple[Path, ...] = ()  # the .po files read, packaged first

    @property
    def translated(self) -> bool:
        """Whether any catalog speaks this language (English needs none)."""
        return bool(self.catalogs) or self.locale.language == "en"

    # -- messages ----------------------------------------------------------

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, count: int) -> str:
        return self.translations.npgettext(context, singular, plural, count)

    # -- formats -----------------------------------------------------------

    def number(self, value: float) -> str:
        """1,200,000 (en), 1 200 000 (fr); two decimals only when there are cents."""
        value = round(float(value), 2)
        pattern = "#,##0" if value.is_integer() else "#,##0.00"
        return numbers.format_decimal(value, format=pattern, locale=self.locale)

    def amount(self, value: float, currency: str | None = None) -> str:
        """An amount and its ISO 4217 code, never a symbol: '$' is not one currency."""
        # Money spread over months: 149,999.999… is 150,000.
        text = self.number(value)
        return f"{text} {currency}" if currency else text

    def percent(self, share: float | None) -> str:
        """A share 0…1 as a whole percentage: 80% (en), 80 % (fr); '–' when unknown."""
        if share is None:
            return "–"
        return numbers.format_percent(share, format=_percent_pattern(self.locale), locale=self.locale)

    def date(self, value) -> str:
        """A day, a month or a year as the locale writes it: 'Mar 15, 2024' / '15 mars 2024',
        'Mar 2024' / 'mars 2024', '2024'. Takes a `datetime.date` or a FuzzyDate-like (its `text`)."""
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return dates.format_date(value, format="medium", locale=self.locale)
        text = str(getattr(value, "text", value))
        parts = text.split("-")
        try:
            if len(parts) == 2:
                return dates.format_skeleton("yMMM", dt.date(int(parts[0]), int(parts[1]), 1),
                                             locale=self.locale)
            if len(parts) == 3:
                day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
                return dates.format_date(day, format="medium", locale=self.locale)
        except ValueError:
            pass
        return text  # a year, or anything else, as written


def _percent_pattern(locale: Locale) -> str:
    """The locale's percent pattern without decimals (Babel's is '#,##0%' or '#,##0 %')."""
    pattern = locale.percent_formats.get(None)
    return pattern.pattern if pattern is not None else "#,##0%"


# -- finding and reading catalogs ---------------------------------------------


def _candidates(code: str) -> list[str]:
    """'pt-BR' → ['pt_BR', 'pt']: the region's catalog, then the language's."""
    normal = code.replace("-", "_")
    head = normal.split("_")[0]
    return [normal] if normal == head else [normal, head]


def catalog_files(code: str, templates_dir: Path | None = None) -> list[Path]:
    """The .po files that speak `code`, packaged before the handbook's (which win)."""
    folders = [PACKAGED_CATALOGS]
    if templates_dir is not None:
        folders.append(templates_dir / "locale")
    found = []
    for folder in folders:
        for name in reversed(_candidates(code)):  # 'pt' first, then 'pt_BR' overrides it
            path = folder / f"{name}.po"
            if path.is_file():
                found.append(path)
    return found


def _read_catalog(path: Path, locale: Locale) -> Translations:
    try:
        with path.open("rb") as fp:
            catalog = read_po(fp, locale=locale, domain=DOMAIN, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", 0)
        raise CatalogError(f"{path}:{line}: {exc}") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise CatalogError(f"{path}:0: cannot read this catalog: {exc}") from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)  # fuzzy entries are guesses, not translations
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def _locale(code: str) -> Locale:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise CatalogError(f"unknown language '{code}': give a language code such as en, fr, es or pt-BR") from None


def load_language(code: str | None, templates_dir: Path | None = None) -> Language:
    """The language `code` (default English) with every catalog that speaks it; raises CatalogError."""
    code = str(code or DEFAULT_LANGUAGE).strip() or DEFAULT_LANGUAGE
    locale = _locale(code)
    files = catalog_files(code, templates_dir)
    translations: NullTranslations = NullTranslations()
    for path in files:
        catalog = _read_catalog(path, locale)
        if isinstance(translations, Translations):
            translations.merge(catalog)  # the later (handbook's) messages win
        else:
            translations = catalog
    return Language(code, locale, translations, tuple(files))


# -- the active language --------------------------------------------------------

_ENGLISH = Language(DEFAULT_LANGUAGE, Locale.parse(DEFAULT_LANGUAGE), NullTranslations())
_active: Language = _ENGLISH


def activate(language: Language | None) -> None:
    """Make `language` the one every message and format below uses (None: English)."""
    global _active
    _active = language or _ENGLISH


def active() -> Language:
    return _active


def _(message: str, **values) -> str:
    """The message in the active language, with its `%(name)s` placeholders filled."""
    return _active.gettext(message) % values


def ngettext(singular: str, plural: str, count: int, **values) -> str:
    """The singular or plural form for `count` in the active language; `%(num)s` is the count."""
    values.setdefault("num", _active.number(count))
    return _active.ngettext(singular, plural, count) % values


def pgettext(context: str, message: str, **values) -> str:
    """A message whose English is ambiguous ('Role' of a partner / of a column), told apart by context."""
    return _active.pgettext(context, message) % values


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; `_()` translates it where it is shown."""
    return message


def format_amount(value: float, currency: str | None = None) -> str:
    return _active.amount(value, currency)


def format_number(value: float) -> str:
    return _active.number(value)


def format_percent(share: float | None) -> str:
    return _active.percent(share)


def format_date(value) -> str:
    return _active.date(value)
