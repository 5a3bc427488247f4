"""The plugin's options in `mkdocs.yml`: one table (like data/schema.py is for the data).

From OPTIONS come the MkDocs/ProperDocs `Config` class (hosts/mkdocs.py, `mkdocs_config_class`),
the reader the command line and Zensical use (handbook.py, `read_options`), and the README's list
(`options_yaml`; tests/build/test_options.py checks they match). A new option is one row here and one
field of `HandbookOptions` (handbook.py); its default lives here or, when a lower package needs it
too, in that package as a constant this row reads.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis.money import WINDOW_MONTHS
from ..data.values import parse_date
from ..diagrams.figures import OVERVIEW_THRESHOLD, SFDP_THRESHOLD
from ..site.workshop import SHEET_PARTNER_LIMIT

# The diagram cache and the cached downloads. Not `.cache/`: `zensical build --clean`
# deletes that. The folder holds a `.gitignore` of `*`, so `git status` stays clean.
DEFAULT_CACHE_DIR = ".partnerbook"
OLD_CACHE_DIR = ".cache/partnerbook"  # the default before 0.2; still read (moved on first build)


def to_date(value: object) -> dt.date | None:
    """`as_of` as written in mkdocs.yml (date, 2025, '2025-06') → a date; raises ValueError."""
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(str(value)).first


def check_levels(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("the partnerbook option `checks` must be a mapping of check id → ignore | warn | error")
    return {str(k): str(v) for k, v in value.items()}


def cache_dir(root: Path, configured: str | None) -> Path | None:
    """The cache folder an option names; "" turns the cache off."""
    if configured == "":
        return None
    return root / (configured if configured is not None else DEFAULT_CACHE_DIR)


@dataclass(frozen=True)
class Option:
    name: str
    type: type | tuple[type, ...]  # what mkdocs.yml may give; a list's items are `items`
    default: Any  # None: the option may be left unset
    help: str  # one line, for the README's list and MkDocs' config class
    items: builtins.type | None = None  # the type of a list's items (`type` here is the field above)
    # The value `HandbookOptions` holds, from the one written (and the handbook's folder).
    convert: Callable[[Any, Path], Any] = lambda value, root: value


OPTIONS: tuple[Option, ...] = (
    Option("data_dir", str, "network", "YAML folder, relative to mkdocs.yml",
           convert=lambda value, root: root / value),
    Option("templates_dir", str, "templates", "your templates replace packaged ones with the same name",
           convert=lambda value, root: root / value),
    Option("as_of", (str, int, dt.date), None, "snapshot date; default network.as_of, else today",
           convert=lambda value, root: to_date(value)),
    Option("prefix", str, "", 'URL folder of generated pages ("" = site root)'),
    Option("scorecard_elements", list, None, "a list of group.name, e.g. [who.partners, how.money]: replaces "
           "the default scorecard elements", items=str,
           convert=lambda value, root: tuple(value) if value else None),
    Option("downloads", bool, True, "JSON, GraphML, GEXF and CSV of the data, linked from network/"),
    Option("cache_dir", str, DEFAULT_CACHE_DIR,
           'checked data, pages, SVG and downloads reused across builds ("" for none); ignored by git',
           convert=lambda value, root: cache_dir(root, value)),
    Option("sfdp_threshold", int, SFDP_THRESHOLD, "diagrams with more nodes use sfdp instead of dot"),
    Option("overview_threshold", int, OVERVIEW_THRESHOLD,
           "above this many partners the network page draws groups (0: never)"),
    Option("funding_window_months", int, WINDOW_MONTHS,
           'income and spending "in the window": the months up to as_of'),
    Option("checks", dict, {}, 'a level per warning id: ignore | warn | error (see "Checks")',
           convert=lambda value, root: check_levels(value)),
    Option("workshop_sheets", bool, True, "printable workshop sheets under workshop/"),
    Option("workshop_partner_limit", int, SHEET_PARTNER_LIMIT,
           "above it, only inner partners get a Value Network sheet"),
    Option("language", str, None, "language of the generated pages; default theme.language, else English"),
    Option("compare_to", str, None, "a git revision (HEAD~10, a tag, main@{2026-01-01}): generates changes/"),
    # Editions (data/editions.py): what the public edition leaves out. `HandbookOptions.editions` holds them.
    Option("edition", str, "public", "public: nothing marked internal in any file the build writes; internal: "
           "everything, marked noindex (PARTNERBOOK_EDITION overrides it)"),
    Option("internal_fields", list, [], "fields internal everywhere, as collection.field (agreements.notes)",
           items=str, convert=lambda value, root: tuple(value)),
    Option("amounts", str, "shown", "money in the public edition: shown, or hidden (no flow, amount, total or share)"),
    Option("power", str, "shown", "decisions and participation in the public edition: shown or hidden"),
    Option("impact", str, "shown", "what the network would lose without each partner, in the public edition"),
    Option("concurrency", int, None, "processes `mkdocs build` may use: default 2 on two cores or more; 1 for one"),
)
OPTION_BY_NAME = {option.name: option for option in OPTIONS}
EDITION_OPTIONS = ("edition", "internal_fields", "amounts", "power", "impact")


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(getattr(k, "__name__", str(k)) for k in kinds)


def _is(value: object, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)


def read_options(written: dict, root: Path) -> dict[str, Any]:
    """Every option's value as `HandbookOptions` holds it: written in `mkdocs.yml` (`written`, the
    plugin's mapping) or its default. Raises ValueError naming an option of the wrong type."""
    values = {}
    for option in OPTIONS:
        value = written.get(option.name)
        if value is None:
            value = option.default
        elif not _is(value, option.type) or (
                option.items is not None and not all(_is(item, option.items) for item in value)):
            raise ValueError(f"partnerbook option '{option.name}' must be a {_type_name(option.type)}, "
                             f"not {value!r}")
        values[option.name] = option.convert(value, root)
    return values


def _yaml(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, str) and value and all(c.isalnum() or c in "._-/" for c in value):
        return value
    return json.dumps(value)


def options_yaml(indent: str = "") -> str:
    """The options with their defaults as a commented `mkdocs.yml` block (the README shows it)."""
    settings = [f"{option.name}: {_yaml(option.default)}" for option in OPTIONS]
    column = max(len(setting) for setting in settings) + 1
    return "".join(f"{indent}{setting.ljust(column)}# {option.help}\n"
                   for setting, option in zip(settings, OPTIONS, strict=False))
