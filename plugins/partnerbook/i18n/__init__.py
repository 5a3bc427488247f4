"""Languages: the reader's language, the gettext catalogs, and the labels of codes and levels."""

# The names the other packages use (each module's other names are its own business).
from .labels import label, label_filter
from .language import N_, active, format_amount, format_date, format_number, format_percent, ngettext, pgettext

__all__ = [
    "N_",
    "active",
    "format_amount",
    "format_date",
    "format_number",
    "format_percent",
    "label",
    "label_filter",
    "ngettext",
    "pgettext",
]
