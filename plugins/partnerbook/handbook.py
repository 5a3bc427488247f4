"""Finding a handbook's data folder and options from its `mkdocs.yml`, for the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .records import parse_date


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


def find_handbook(directory: Path) -> HandbookOptions:
    """DIR may be a handbook (with mkdocs.yml), a folder holding `network/`, or the data folder itself."""
    config_file = directory / "mkdocs.yml"
    if config_file.is_file():
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        options = _plugin_options(config) or {}
        elements = options.get("scorecard_elements")
        return HandbookOptions(
            root=directory,
            data_dir=directory / options.get("data_dir", "network"),
            as_of=to_date(options.get("as_of")),
            scorecard_elements=tuple(elements) if elements else None,
            checks=_check_levels(options.get("checks")),
        )
    if (directory / "network").is_dir():
        return HandbookOptions(root=directory, data_dir=directory / "network")
    return HandbookOptions(root=directory.parent, data_dir=directory)
