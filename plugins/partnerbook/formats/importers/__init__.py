"""Importers: data from spreadsheets, graph tools and IATI into data files (`partnerbook import`, cli/import_.py).

One module per format turns its sources into `common.Imported`; `common.write` checks it loads
and writes it. Bad input raises `common.ImportFailed` with every problem, never a traceback.
To add a format: a module with `read(sources, focal) -> Imported`, its name in FORMATS and in `reader`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .common import Imported, ImportFailed, write

__all__ = ["FORMATS", "Imported", "ImportFailed", "Reader", "reader", "write"]

FORMATS = ("csv", "xlsx", "graphml", "gexf", "iati")

Reader = Callable[[list[Path], "str | None"], Imported]


def reader(fmt: str) -> Reader:
    """The `read(sources, focal)` of one of FORMATS (imported only when asked for)."""
    read: Reader
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
