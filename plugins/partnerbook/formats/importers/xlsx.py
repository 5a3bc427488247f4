"""`partnerbook import xlsx`: one workbook, one sheet per table of the CSV export (same names
without `.csv`, same columns), read with openpyxl."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from .common import Imported, ImportFailed
from .tables import Sheet, from_tables


def _text(value) -> str:
    """A cell as the text the CSV table would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read(sources: list[Path], focal: str | None) -> Imported:
    try:
        import openpyxl
        import openpyxl.utils.exceptions
    except ImportError:  # a dependency of the package; missing only in a broken install
        raise ImportFailed(["openpyxl is not installed: pip install openpyxl"]) from None
    if len(sources) != 1:
        raise ImportFailed([f"xlsx reads one workbook, not {len(sources)} files"])
    path = sources[0]
    if not path.is_file():
        raise ImportFailed([f"{path}: {'is a folder, not a workbook' if path.is_dir() else 'no such file'}"])
    sheets = {}
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for worksheet in book.worksheets:
                rows = worksheet.iter_rows(values_only=True)
                header = [_text(v) for v in next(rows, ())]
                body = [(n, [_text(v) for v in row]) for n, row in enumerate(rows, start=2)]
                sheets[worksheet.title.strip().lower()] = Sheet(f"{path}[{worksheet.title}]", header, body)
        finally:
            book.close()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, AttributeError,
            openpyxl.utils.exceptions.InvalidFileException) as exc:
        # openpyxl reports a file that is not a workbook, or a damaged one, in all these ways
        raise ImportFailed([f"{path}: not an .xlsx workbook Excel or LibreOffice saved ({exc})"]) from None
    return from_tables(sheets, [path.name], focal)
