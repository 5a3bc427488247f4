"""The reader's language: gettext catalogs for the text partnerbook writes, Babel for numbers and dates.

Catalogs are `.po` files (packaged in `locale/`, a handbook's in `TEMPLATES/locale/`),
read, checked and compiled in memory (catalogs.py). A handbook's catalog adds a
language, or overrides some of a packaged one's messages: the catalogs of a language
are chained, most specific first (the handbook's `pt_BR.po`, its `pt.po`, the packaged
`pt.po`, English), each with its own plural rule, so a message one lacks comes from the next.

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
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from babel import Locale, UnknownLocaleError, dates, numbers
from babel.support import NullTranslations

from ..base.problems import Problem, display_path
from .catalogs import CatalogError, catalog_files, fingerprint, read_catalog, spelled

__all__ = [
    "N_",
    "CatalogError",
    "Language",
    "UnknownLanguage",
    "_",
    "activate",
    "active",
    "format_amount",
    "format_date",
    "format_number",
    "format_payment",
    "format_percent",
    "load_language",
    "ngettext",
    "npgettext",
    "pgettext",
]

DEFAULT_LANGUAGE = "en"
T = TypeVar("T")


class UnknownLanguage(ValueError):
    """A `language` that neither Babel (CLDR) nor any catalog knows: the message says what to write."""


@dataclass(frozen=True)
class Language:
    """A language as the site asked for it ('fr', 'pt-BR'), its Babel locale and its messages."""

    code: str
    locale: Locale  # of the numbers and dates: English when CLDR does not know `code`
    translations: NullTranslations = field(compare=False)
    catalogs: tuple[Path, ...] = ()  # the .po files read, packaged first
    warnings: tuple[Problem, ...] = ()  # translations left out (FILE:LINE), to log once
    cldr: bool = True  # whether Babel knows `code` (else numbers and dates are written the English way)
    # Messages and numbers once looked up or formatted: a 1,000-partner list page asks for the same
    # few hundred 94,000 times, and Babel's formatting is slow Python (a third of some list pages).
    # (Not an argument: a copy made with dataclasses.replace() starts with a memo of its own.)
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def translated(self) -> bool:
        """Whether any catalog speaks this language (English needs none)."""
        return bool(self.catalogs) or (self.cldr and self.locale.language == "en")

    # -- messages ----------------------------------------------------------

    def gettext(self, message: str) -> str:
        if type(message) is not str:  # Markup comes back as Markup when untranslated: not kept
            return self.translations.gettext(message)
        return self._kept(("gettext", message), lambda: self.translations.gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def pgettext(self, context: str, message: str) -> str:
        if type(message) is not str:
            return str(self.translations.pgettext(context, message))
        return self._kept(("pgettext", context, message), lambda: str(self.translations.pgettext(context, message)))

    def remember(self, key: str, make: Callable[[], T]) -> T:
        """`make()` once per language (its result is kept with the language): words built from messages."""
        return self._kept(("remember", key), make)

    def _kept(self, key: tuple, make: Callable[[], T]) -> T:
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def npgettext(self, context: str, singular: str, plural: str, count: int) -> str:
        return self.translations.npgettext(context, singular, plural, count)

    # -- formats -----------------------------------------------------------

    def number(self, value: float) -> str:
        """1,200,000 (en), 1 200 000 (fr); two decimals only when there are cents."""
        value = round(float(value), 2)
        pattern = "#,##0" if value.is_integer() else "#,##0.00"
        return self._kept(("number", repr(value)),  # (repr: -0.0 is not 0.0 to Babel)
                          lambda: numbers.format_decimal(value, format=pattern, locale=self.locale))

    def amount(self, value: float, currency: str | None = None) -> str:
        """A total or any other summary of money, in whole units, and its ISO 4217 code (never a
        symbol: '$' is not one currency). One rule for every summary, so "610,885,510.06 USD" never
        stands beside whole numbers; only a single payment shows its cents (`payment`)."""
        # Half up, not to even: 2.5 is 3. Money spread over months: 149,999.999… is 150,000.
        text = self.number(math.floor(float(value) + 0.5))
        return f"{text} {currency}" if currency else text

    def payment(self, value: float, currency: str | None = None) -> str:
        """One payment's amount as recorded: with its cents when it has them."""
        text = self.number(value)
        return f"{text} {currency}" if currency else text

    def percent(self, share: float | None) -> str:
        """A share 0…1 as a whole percentage: 80% (en), 80 % (fr); '–' when unknown."""
        if share is None:
            return "–"
        return numbers.format_percent(share, format=_percent_pattern(self.locale), locale=self.locale)

    def date(self, value: object) -> str:
        """A day, a month or a year as the locale writes it: 'Mar 15, 2024' / '15 mars 2024',
        'Mar 2024' / 'mars 2024', '2024'. Takes a `datetime.date` or a FuzzyDate-like (its `text`)."""
        if value is None:
            return ""
        # A datetime is written as its own day (Babel takes the date of it): two aware datetimes
        # of one instant in different zones are equal, yet may fall on different days.
        key = ("date", (type(value), value.isoformat()) if isinstance(value, dt.date)
               else str(getattr(value, "text", value)))
        return self._kept(key, lambda: self._date(value))

    def _date(self, value: object) -> str:
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


# -- loading a language ----------------------------------------------------------


def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def load_language(code: str | None, templates_dir: Path | None = None, *, root: Path | None = None,
                  from_theme: bool = False) -> Language:
    """The language `code` (default English) with every catalog that speaks it. Raises
    CatalogError when a catalog cannot be read, UnknownLanguage when neither CLDR nor a
    catalog knows the code; a code that came from the theme (`from_theme`) then builds
    in English instead, since the theme decides which codes it takes."""
    code = str(code or DEFAULT_LANGUAGE).strip() or DEFAULT_LANGUAGE
    locale = _locale(code)
    files = catalog_files(code, templates_dir, locale)
    if locale is None and not files:
        if from_theme:
            return Language(code, _ENGLISH.locale, NullTranslations(), cldr=False)
        raise UnknownLanguage(
            f"the `language` option is '{code}', a language neither Babel (CLDR) nor any catalog knows: "
            "give a code such as en, fr, es, pt or pt-BR, or add a catalog "
            f"{shown_folder(templates_dir, root)}/locale/{spelled(code)}.po")
    chain: NullTranslations | None = None
    warnings: list[Problem] = []
    errors: list[Problem] = []
    for path in reversed(files):  # the most specific first; each falls back to the next
        try:
            read = read_catalog(path, locale, root)
        except CatalogError as exc:
            errors += exc.problems
            continue
        warnings += read.warnings
        if chain is None:
            chain = read.translations
        else:
            chain.add_fallback(read.translations)
    if errors:
        raise CatalogError(sorted(errors))
    return Language(code, locale or _ENGLISH.locale, chain or NullTranslations(), tuple(files),
                    tuple(sorted(warnings)), cldr=locale is not None)


def catalogs_fingerprint(code: str | None, templates_dir: Path | None = None) -> tuple:
    """(path, size, mtime) of every catalog file that speaks `code`: what its messages depend on."""
    code = str(code or DEFAULT_LANGUAGE).strip() or DEFAULT_LANGUAGE
    return fingerprint(catalog_files(code, templates_dir, _locale(code)))


def catalog_name(language: Language) -> str:
    """The file name (without .po) a handbook's catalog for this language would have: 'de', 'de_CH'."""
    return language.locale.language if language.cldr else spelled(language.code)


def shown_folder(templates_dir: Path | None, root: Path | None) -> str:
    """The templates folder as messages name it ('templates')."""
    return display_path(templates_dir, root) if templates_dir is not None else "templates"


# -- the active language --------------------------------------------------------

_ENGLISH = Language(DEFAULT_LANGUAGE, Locale.parse(DEFAULT_LANGUAGE), NullTranslations())
_active: Language = _ENGLISH


def activate(language: Language | None) -> None:
    """Make `language` the one every message and format below uses (None: English)."""
    global _active
    _active = language or _ENGLISH


def active() -> Language:
    return _active


def _(message: str, **values: object) -> str:
    """The message in the active language, with its `%(name)s` placeholders filled."""
    return _active.gettext(message) % values


def ngettext(singular: str, plural: str, count: int, **values: object) -> str:
    """The singular or plural form for `count` in the active language; `%(num)s` is the count."""
    values.setdefault("num", _active.number(count))
    return _active.ngettext(singular, plural, count) % values


def pgettext(context: str, message: str, **values: object) -> str:
    """A message whose English is ambiguous ('Role' of a partner / of a column), told apart by context."""
    return _active.pgettext(context, message) % values


def npgettext(context: str, singular: str, plural: str, count: int, **values: object) -> str:
    values.setdefault("num", _active.number(count))
    return _active.npgettext(context, singular, plural, count) % values


def N_(message: str) -> str:  # noqa: N802  (the marker gettext tools look for)
    """Marks a message for the catalog where it is defined; `_()` translates it where it is shown."""
    return message


def format_amount(value: float, currency: str | None = None) -> str:
    return _active.amount(value, currency)


def format_payment(value: float, currency: str | None = None) -> str:
    return _active.payment(value, currency)


def format_number(value: float) -> str:
    return _active.number(value)


def format_percent(share: float | None) -> str:
    return _active.percent(share)


def format_date(value: object) -> str:
    return _active.date(value)
