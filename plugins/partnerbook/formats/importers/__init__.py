"""Importers: data from spreadsheets, graph tools and IATI into data files (`partnerbook import`, cli/import_.py).

One module per format turns its sources into `common.Imported`; `common.write` checks it loads
and writes it. Bad input raises `common.ImportFailed` with every problem, never a traceback.
To add a format: a module with `read(sources, focal) -> Imported`, its name in FORMATS and in `reader`
(a FOSS community's format: in FOSS_FORMATS, its `read` also taking `keep_people` and `existing`).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

from .common import Imported, ImportFailed, remove_control_characters, write
from .foss import Existing, handbook_data
from .limits import check_sources

__all__ = [
    "FORMATS",
    "FOSS_FORMATS",
    "Existing",
    "ImportFailed",
    "Imported",
    "Reader",
    "check_sources",
    "handbook_data",
    "reader",
    "remove_control_characters",
    "write",
]

FORMATS = ("csv", "xlsx", "graphml", "gexf", "iati")
# FOSS communities' own files (foss.py holds what they share); they take --keep-people.
FOSS_FORMATS = {"maintainers": "maintainers", "opencollective": "opencollective",
                "github-sponsors": "github_sponsors", "funding-json": "funding_json", "publiccode": "publiccode"}

Reader = Callable[..., Imported]  # read(sources, focal); IATI's also takes the publisher


def reader(fmt: str, keep_people: bool = False, existing: Existing | None = None) -> Reader:
    """The `read(sources, focal)` of one of FORMATS or FOSS_FORMATS (imported only when asked for)."""
    read: Reader
    if fmt in FOSS_FORMATS:
        module = importlib.import_module(f".{FOSS_FORMATS[fmt]}", __name__)
        return functools.partial(module.read, keep_people=keep_people, existing=existing)
    if fmt == "csv":
        from .csv_tables import read
    elif fmt == "xlsx":
        from .xlsx import read
    elif fmt in ("graphml", "gexf"):
        from .graph import reader as graph_reader
        read = graph_reader(fmt)
    else:
        from .iati import read
    return read
