"""Finding a handbook's data folder and options from its `mkdocs.yml` (or `properdocs.yml`).

The CLI and the Zensical extension read the options here; under MkDocs and
ProperDocs the plugin gets the same options from the host (config.py), with the
same defaults.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..data.load import walk_data_files
from ..data.records import parse_date
from ..data.schema import TOP_LEVEL_KEYS


# The diagram cache and the cached downloads. Not `.cache/`: `zensical build --clean`
# deletes that. The folder holds a `.gitignore` of `*`, so `git status` stays clean.
DEFAULT_CACHE_DIR = ".partnerbook"
OLD_CACHE_DIR = ".cache/partnerbook"  # the default before 0.2; still read (moved on first build)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, which may hold `!!python/name:` and `!ENV` tags: they become None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass
class HandbookOptions:
    root: Path
    data_dir: Path
    as_of: dt.date | None = None
    scorecard_elements: tuple[str, ...] | None = None
    checks: dict[str, str] | None = None
    config_file: Path | None = None
    docs_dir: Path | None = None
    templates_dir: Path | None = None
    prefix: str = ""
    downloads: bool = True
    cache_dir: Path | None = None
    sfdp_threshold: int = 150
    overview_threshold: int = 50
    funding_window_months: int = 12
    use_directory_urls: bool = True
    workshop_sheets: bool = True
    workshop_partner_limit: int = 500
    language: str | None = None  # the plugin's `language`, else the theme's; None: English
    language_from_theme: bool = False  # an unknown code then builds in English (the theme took it)
    concurrency: int | None = None  # processes for `build` (parallel.py); None: two where there are two cores
    compare_to: str | None = None  # a git revision: the `changes/` page (changes_page.py)
    nav: object = None  # the config's `nav`, as written (`partnerbook check` looks for paths `prefix` moved)


def to_date(value) -> dt.date | None:
    """`as_of` as written in mkdocs.yml (date, 2025, '2025-06') → a date; raises ValueError."""
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(str(value)).first


def _check_levels(value) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("the partnerbook option `checks` must be a mapping of check id → ignore | warn | error")
    return {str(k): str(v) for k, v in value.items()}


def _plugin_options(config: dict) -> dict | None:
    for entry in config.get("plugins") or []:
        if entry == "partnerbook":
            return {}
        if isinstance(entry, dict) and "partnerbook" in entry:
            return entry["partnerbook"] or {}
    plugins = config.get("plugins")
    if isinstance(plugins, dict) and "partnerbook" in plugins:
        return plugins["partnerbook"] or {}
    return None


CONFIG_FILES = ("mkdocs.yml", "properdocs.yml")
# How many files a folder without mkdocs.yml is searched for data before
# partnerbook says it is not a handbook (a data folder shows one in its first few).
_SCAN_LIMIT = 2000
_KEYS = "|".join(TOP_LEVEL_KEYS)
_DATA_KEY = re.compile(rf'^(?:(?:{_KEYS})|\s*"(?:{_KEYS})")\s*:', re.MULTILINE)  # YAML, or JSON's "key":


class NotAHandbook(ValueError):
    """DIR is neither a handbook, a folder holding `network/`, nor a data folder: the message says what was expected."""


_EXPECTED = ("give a handbook folder (holding mkdocs.yml) or its data folder (network/), "
             "or run partnerbook inside the handbook")


def _scan(directory: Path) -> tuple[str, Path] | None:
    """("handbook", its config file) when a handbook lies below (its data is its own);
    ("data", a file) when a data file below holds a top-level key of the format (`partners:` …);
    else None. Cheap and bounded."""
    data = None
    for count, path in enumerate(walk_data_files(directory)):
        if count >= _SCAN_LIMIT:
            break
        if path.name in CONFIG_FILES:
            return "handbook", path
        if data is None:
            try:
                head = path.read_bytes()[:65536].decode("utf-8", "replace")
            except OSError:
                continue
            if _DATA_KEY.search(head):
                data = path
    return ("data", data) if data is not None else None


def _read_config(config_file: Path) -> HandbookOptions:
    directory = config_file.parent
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    if not isinstance(config, dict):
        raise ValueError("not a mapping of settings")
    options = _plugin_options(config) or {}
    if not isinstance(options, dict):
        raise ValueError("the partnerbook plugin's options must be a mapping")
    elements = options.get("scorecard_elements")
    own_language = _option(options, "language", str, None)
    return HandbookOptions(
        root=directory,
        data_dir=directory / str(options.get("data_dir", "network")),
        as_of=to_date(options.get("as_of")),
        scorecard_elements=tuple(elements) if elements else None,
        checks=_check_levels(options.get("checks")),
        config_file=config_file,
        docs_dir=directory / str(config.get("docs_dir") or "docs"),
        templates_dir=directory / _option(options, "templates_dir", str, "templates"),
        prefix=_option(options, "prefix", str, ""),
        downloads=_option(options, "downloads", bool, True),
        cache_dir=cache_dir(directory, _option(options, "cache_dir", str, None)),
        sfdp_threshold=_option(options, "sfdp_threshold", int, 150),
        overview_threshold=_option(options, "overview_threshold", int, 50),
        funding_window_months=_option(options, "funding_window_months", int, 12),
        workshop_sheets=_option(options, "workshop_sheets", bool, True),
        workshop_partner_limit=_option(options, "workshop_partner_limit", int, 500),
        concurrency=_option(options, "concurrency", int, None),
        compare_to=_option(options, "compare_to", str, None),
        use_directory_urls=config.get("use_directory_urls", True) is not False,
        nav=config.get("nav"),
        language=own_language or theme_language(config.get("theme")),
        language_from_theme=not own_language,
    )


def theme_language(theme) -> str | None:
    """`theme: language:` as Material and Zensical read it, else `theme: locale:` as the
    MkDocs themes (mkdocs, readthedocs) do."""
    try:
        if theme is None or isinstance(theme, str):
            return None
        language = theme.get("language") or theme.get("locale")
    except (AttributeError, TypeError):
        return None
    return str(language) if language else None


def _option(options: dict, name: str, kind, default):
    value = options.get(name, default)
    if value is None and default is None:
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"partnerbook option '{name}' must be a {getattr(kind, '__name__', kind)}, "
                         f"not {value!r}")
    return value


def cache_dir(root: Path, configured: str | None) -> Path | None:
    """The cache folder an option names; "" turns the cache off."""
    if configured == "":
        return None
    return root / (configured if configured is not None else DEFAULT_CACHE_DIR)


def config_file_of(directory: Path) -> Path | None:
    if directory.is_file() and directory.name in CONFIG_FILES:
        return directory
    for name in CONFIG_FILES:
        if (directory / name).is_file():
            return directory / name
    return None


def find_handbook(directory: Path) -> HandbookOptions:
    """DIR may be a handbook (with mkdocs.yml or properdocs.yml, or that file itself), a folder
    holding `network/`, or the data folder itself; anything else raises NotAHandbook."""
    config_file = config_file_of(directory)
    if config_file is not None:
        return _read_config(config_file)
    if not directory.exists():
        raise NotAHandbook(f"no such file or folder; {_EXPECTED}")
    if not directory.is_dir():
        if directory.name.endswith((".yml", ".yaml", ".json")):
            raise NotAHandbook(f"is one file; partnerbook reads a whole data folder (ids refer across files): "
                               f"give the folder that holds it, e.g. {directory.parent}")
        raise NotAHandbook(f"is a file, not a folder; {_EXPECTED}")
    if (directory / "network").is_dir():
        return HandbookOptions(root=directory, data_dir=directory / "network")
    found = _scan(directory)
    if found is not None and found[0] == "data":
        return HandbookOptions(root=directory.parent, data_dir=directory)
    if found is not None:
        raise NotAHandbook(f"is not a handbook, but {found[1].parent} is: "
                           f"run partnerbook with {found[1].parent}, or inside it")
    raise NotAHandbook(f"holds no mkdocs.yml, properdocs.yml or network/ folder, and no data file "
                       f"(with `network:`, `partners:` …) in it; {_EXPECTED}")
