"""`partnerbook import xlsx`: one workbook, one sheet per table of the CSV export (same names
without `.csv`, same columns), read with openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
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


# Caps that keep a hostile workbook from exhausting memory or time (a claimed range of
# A1:XFD1048576, a zip bomb, a 2 GB shared-strings table, a million rows). The zip's declared
# sizes are checked before anything is inflated: Python's zipfile never inflates a part past
# the size it declares. Then every cell read counts against MAX_CELLS.
MIB = 1 << 20
MAX_PART_BYTES = 128 * MIB  # one sheet's XML, inflated
MAX_SHARED_STRINGS_BYTES = 32 * MIB  # openpyxl keeps the whole table in memory
MAX_TOTAL_BYTES = 256 * MIB
MAX_PARTS = 10_000
MAX_ROWS = 1_048_576  # Excel's last row: a row numbered past it is not a sheet Excel saved
MAX_CELLS = 1_000_000  # rows × columns read, all sheets together; an export of 100,000 funding flows has 1.1 M


_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")  # a cell's start tag, with or without a namespace prefix


def _count_cells(archive: zipfile.ZipFile, parts: list[zipfile.ZipInfo]) -> int:
    """The cells the sheets hold, counted in their XML at C speed (openpyxl reads about 20,000 a second)."""
    cells = 0
    for part in parts:
        if not part.filename.startswith("xl/worksheets/"):
            continue
        with archive.open(part) as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                cells += len(_CELL.findall(tail + chunk))
                tail = chunk[-8:] if not _CELL.search(chunk[-8:]) else b""  # a tag cut in two counts once
    return cells


def _check_parts(path: Path) -> None:
    """Refuse a workbook whose parts would inflate past the caps, or that holds more cells than
    `import xlsx` reads, before openpyxl opens it."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            _check_sizes(path, parts)
            cells = _count_cells(archive, parts)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise ImportFailed([f"{path}: not an .xlsx workbook Excel or LibreOffice saved ({exc})"]) from None
    if cells > MAX_CELLS:
        raise ImportFailed([f"{path}: holds {cells:,} cells, over the {MAX_CELLS:,} that `import xlsx` reads: "
                            "export the tables as CSV, or split the workbook"])


def _check_sizes(path: Path, parts: list[zipfile.ZipInfo]) -> None:
    if len(parts) > MAX_PARTS:
        raise ImportFailed([f"{path}: holds {len(parts):,} parts; a workbook has a few dozen, so it is not read"])
    total = sum(part.file_size for part in parts)
    too_large = [part for part in parts if part.file_size > (
        MAX_SHARED_STRINGS_BYTES if part.filename.lower().endswith("sharedstrings.xml") else MAX_PART_BYTES)]
    if too_large or total > MAX_TOTAL_BYTES:
        part = too_large[0] if too_large else max(parts, key=lambda p: p.file_size)
        raise ImportFailed([f"{path}: {part.filename} would inflate to {part.file_size / MIB:,.0f} MiB "
                            f"({total / MIB:,.0f} MiB in all, from {path.stat().st_size / MIB:,.1f} MiB); "
                            f"over what `import xlsx` reads ({MAX_PART_BYTES // MIB} MiB a sheet, "
                            f"{MAX_SHARED_STRINGS_BYTES // MIB} MiB of shared strings, {MAX_TOTAL_BYTES // MIB} MiB "
                            "in all): export the tables as CSV, or split the workbook"])


def _sheet(worksheet, shown: str, budget: list[int]) -> Sheet:
    """One sheet's rows, read lazily. The dimension the sheet claims is ignored (openpyxl would pad
    every row to it), empty rows are counted but not kept (a stray `<row r="1048576"/>` makes a
    million of them), rows stop at the last one with data, and each cell read costs the budget."""
    worksheet.reset_dimensions()
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    empty_since_data = 0
    for n, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if n > MAX_ROWS:
            raise ImportFailed([f"{shown}:{n}: a row past {MAX_ROWS:,}, the last row a sheet has"])
        budget[0] -= len(row)
        if budget[0] < 0:
            raise ImportFailed([f"{shown}:{n}: more than {MAX_CELLS:,} cells (rows × columns) read; "
                                "over what `import xlsx` reads: export the tables as CSV, or split the workbook"])
        cells = [_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if header is None:
            header = cells
            continue
        if not cells:
            empty_since_data += 1
            continue
        if empty_since_data <= 1000:  # shown as skipped empty rows; a longer gap is layout, not data
            body += [(m, []) for m in range(n - empty_since_data, n)]
        empty_since_data = 0
        body.append((n, cells))
    return Sheet(shown, header or [], body)


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
    _check_parts(path)
    sheets = {}
    budget = [MAX_CELLS]
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for worksheet in book.worksheets:
                sheet = _sheet(worksheet, f"{path}[{worksheet.title}]", budget)
                sheets[worksheet.title.strip().lower()] = sheet
        finally:
            book.close()
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, AttributeError, EOFError,
            zlib.error, MemoryError, openpyxl.utils.exceptions.InvalidFileException) as exc:
        # openpyxl reports a file that is not a workbook, or a damaged one, in all these ways
        raise ImportFailed([f"{path}: not an .xlsx workbook Excel or LibreOffice saved ({exc})"]) from None
    return from_tables(sheets, [path.name], focal)
