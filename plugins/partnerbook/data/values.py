"""What one value in a data file may be: dates, currency and country codes, and the hint for a
number written as text. records.py reads each value against these."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

import pycountry
import yaml

from . import model
from .schema import DATE_PATTERN

_DATE = re.compile(DATE_PATTERN)
CURRENCIES = {c.alpha_3 for c in pycountry.currencies}
COUNTRIES = {c.alpha_2 for c in pycountry.countries}
_CODE_LISTS = {
    "country": (COUNTRIES, "an ISO 3166 alpha-2 country code", "DE, KE, BR"),
    "currency": (CURRENCIES, "an ISO 4217 currency code", "EUR, USD, KES"),
}

# Symbols and local abbreviations people write for a currency, where one code is meant.
_CURRENCY_NAMES = {
    "€": "EUR", "EURO": "EUR", "EUROS": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY",
    "₹": "INR", "₦": "NGN", "R$": "BRL", "₩": "KRW", "₱": "PHP", "KSH": "KES", "KSHS": "KES",
    "USH": "UGX", "TSH": "TZS", "SFR": "CHF",
}


class Invalid(Exception):
    def __init__(self, message: str, node: yaml.Node | None = None):
        super().__init__(message)
        self.node = node


def choices(values: Iterable[str]) -> str:
    return ", ".join(values)


def parse_date(text: str) -> model.FuzzyDate:
    """'2024', '2024-05' or '2024-05-17' → the span of days it covers."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"invalid date '{text}': write YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            return model.FuzzyDate(dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), text)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            # monthrange, not "the 1st of next month minus a day": 9999-12 has no next month
            last = calendar.monthrange(parts[0], parts[1])[1]
            return model.FuzzyDate(first, dt.date(parts[0], parts[1], last), text)
        day = dt.date(*parts)
        return model.FuzzyDate(day, day, text)
    except ValueError:
        raise ValueError(f"invalid date '{text}': no such day or month") from None


def _plain_number_hint(text: str) -> str:
    """'450,000', '€450000', 'EUR 1,500.50' → ': write 450000 …', when the digits say what was meant."""
    bare = re.sub(r"^\s*(?:[^\d\s.,-]{1,4}\s*)?|\s*(?:[^\d\s.,-]{1,4})?\s*$", "", text)  # a symbol or code
    symbol = bare != text.strip()
    if re.fullmatch(r"\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?", bare):
        number, reasons = re.sub(r"[, ]", "", bare), ["no thousands separators"]
    elif re.fullmatch(r"\d+(?:\.\d+)?", bare):
        number, reasons = bare, []
    elif re.fullmatch(r"\d+,\d{1,2}", bare):
        number, reasons = bare.replace(",", "."), ["a point before decimals"]
    else:
        return ""
    if symbol:
        reasons.append("the currency goes in `currency`")
    return f": write {number}" + (f" ({'; '.join(reasons)})" if reasons else " (a number, not text in quotes)")
