"""Finding a handbook's data folder and options from its `mkdocs.yml` (or `properdocs.yml`).

The CLI and the Zensical extension read the options here; under MkDocs and
ProperDocs the plugin gets them from the host (hosts/mkdocs.py). Both go through
`handbook_options`, and the options themselves are options.py's table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..data.editions import EDITIONS, EditionOptions
from ..data.load import walk_data_files
from ..data.schema import TOP_LEVEL_KEYS
from .options import EDITION_OPTIONS, read_options


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, which may hold `!!python/name:` and `!ENV` tags: they become None."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass
class HandbookOptions:
    """A handbook's options as a build reads them: the plugin's (options.py: OPTIONS, read and
    converted by `read_options`) and what the host's config says besides."""

    root: Path
    config_file: Path | None
    docs_dir: Path | None
    use_directory_urls: bool
    nav: object  # the config's `nav`, as written (`partnerbook check` looks for paths `prefix` moved)
    language_from_theme: bool  # an unknown code then builds in English (the theme took it)
    # The plugin's options (OPTIONS), in its order:
    data_dir: Path
    templates_dir: Path | None
    as_of: dt.date | None
    prefix: str
    scorecard_elements: tuple[str, ...] | None
    downloads: bool
    cache_dir: Path | None
    sfdp_threshold: int
    overview_threshold: int
    funding_window_months: int
    checks: dict[str, str] | None
    workshop_sheets: bool
    workshop_partner_limit: int
    language: str | None  # the plugin's `language`, else the theme's; None: English
    compare_to: str | None  # a git revision: the `changes/` page (changes_page.py)
    concurrency: int | None  # processes for `build` (parallel.py); None: two where there are two cores
    editions: EditionOptions  # edition, internal_fields, amounts, power, impact (data/editions.py)


# Overrides the `edition` option (`PARTNERBOOK_EDITION=internal mkdocs serve`); `--edition` overrides both.
EDITION_VARIABLE = "PARTNERBOOK_EDITION"


def _nav_value(item: object) -> object:
    """A `nav` item's path, link or list of items (`- Title: value` or a bare value)."""
    return next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item


def nav_has(nav: list, path: str) -> bool:
    """Whether `nav` lists `path`, in a nested section or not."""
    return any(nav_has(value, path) if isinstance(value, list) else value == path
               for value in map(_nav_value, nav))


def nav_insert_after(nav: list, after: str, path: str) -> bool:
    """Put `path` after the entry for `after`, in its section; False when `nav` has no such entry."""
    for index, item in enumerate(nav):
        value = _nav_value(item)
        if isinstance(value, list):
            if nav_insert_after(value, after, path):
                return True
        elif value == after:
            nav.insert(index + 1, path)  # a bare path: the page's own (translated) title names it
            return True
    return False


def edition_options(options: dict) -> EditionOptions:
    """The edition options (EDITION_OPTIONS, as read from the options table), the variable applied."""
    variable = os.environ.get(EDITION_VARIABLE)
    if variable and variable not in EDITIONS:
        raise ValueError(f"{EDITION_VARIABLE} is '{variable}'; expected one of: {', '.join(EDITIONS)}")
    fields = options.get("internal_fields") or ()
    if not isinstance(fields, (list, tuple)):
        raise ValueError("the partnerbook option `internal_fields` must be a list of collection.field")
    return EditionOptions(
        edition=variable or str(options.get("edition") or "public"),
        internal_fields=tuple(str(f) for f in fields),
        amounts=str(options.get("amounts") or "shown"), power=str(options.get("power") or "shown"),
        impact=str(options.get("impact") or "shown"))


def handbook_options(written: dict, *, root: Path, config_file: Path | None = None, docs_dir: Path | None = None,
                     use_directory_urls: bool = True, theme: object = None, nav: object = None) -> HandbookOptions:
    """The options of the handbook in `root`: the plugin's as `written` in its config (defaults for the
    rest), the theme's language when the plugin sets none. Raises ValueError on an option of a wrong type."""
    values = read_options(written, root)
    own_language = values["language"]
    values["language"] = own_language or theme_language(theme)
    editions = edition_options({name: values.pop(name) for name in EDITION_OPTIONS})
    return HandbookOptions(root=root, config_file=config_file, docs_dir=docs_dir,
                           use_directory_urls=use_directory_urls, nav=nav,
                           language_from_theme=not own_language, editions=editions, **values)


def data_folder_options(root: Path, data_dir: Path) -> HandbookOptions:
    """A data folder without a config file: the defaults, no templates, no cache, no prose."""
    return dataclasses.replace(handbook_options({}, root=root), data_dir=data_dir, templates_dir=None,
                               cache_dir=None, language_from_theme=False)


def _plugin_options(config: dict) -> dict | None:
    plugins = config.get("plugins")
    if isinstance(plugins, dict):  # the mapping form (which INHERIT merges): never read as a list of names
        return (plugins["partnerbook"] or {}) if "partnerbook" in plugins else None
    for entry in plugins or []:
        if entry == "partnerbook":
            return {}
        if isinstance(entry, dict) and "partnerbook" in entry:
            return entry["partnerbook"] or {}
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
    return handbook_options(
        options, root=directory, config_file=config_file,
        docs_dir=directory / str(config.get("docs_dir") or "docs"),
        use_directory_urls=config.get("use_directory_urls", True) is not False,
        theme=config.get("theme"), nav=config.get("nav"))


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
        return data_folder_options(directory, directory / "network")
    found = _scan(directory)
    if found is not None and found[0] == "data":
        return data_folder_options(directory.parent, directory)
    if found is not None:
        raise NotAHandbook(f"is not a handbook, but {found[1].parent} is: "
                           f"run partnerbook with {found[1].parent}, or inside it")
    raise NotAHandbook(f"holds no mkdocs.yml, properdocs.yml or network/ folder, and no data file "
                       f"(with `network:`, `partners:` …) in it; {_EXPECTED}")
