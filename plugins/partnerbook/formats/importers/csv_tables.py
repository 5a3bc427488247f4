"""`partnerbook import csv`: the folder `partnerbook export --format csv` writes, or its tables
edited in a spreadsheet (saved as CSV, comma- or semicolon-separated, UTF-8 with or without BOM)."""

from __future__ import annotations

import csv
from pathlib import Path

from ..export import CSV_TABLES, restored_cell
from .common import Imported, ImportFailed
from .tables import Sheet, from_tables


def _read(path: Path, shown: str) -> Sheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object.count(b"\n", 0, exc.start) + 1
        raise ImportFailed([f"{shown}:{line}: not UTF-8 (byte 0x{exc.object[exc.start]:02x}); in a spreadsheet, "
                            "save the table as \"CSV UTF-8\"; or convert it, e.g. "
                            f"iconv -f latin1 -t utf-8 {path.name} > utf8-{path.name}"]) from None
    except OSError as exc:
        raise ImportFailed([f"{shown}: cannot read it: {exc.strerror}"]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # spreadsheets in many locales save ';'
    try:
        reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
        rows, header = [], None
        for row in reader:
            if header is None:
                header = row
                continue
            rows.append((reader.line_num, [restored_cell(cell) for cell in row]))  # the export's `'=…` is `=…`
    except csv.Error as exc:
        raise ImportFailed([f"{shown}:{reader.line_num}: not a CSV row: {exc}"]) from None
    return Sheet(shown, header or [], rows)


def read(sources: list[Path], focal: str | None) -> Imported:
    """One folder of tables, or the table files themselves (named as the export names them)."""
    files: dict[str, Path] = {}
    problems = []
    for source in sources:
        if source.is_dir():
            found = [source / name for name in CSV_TABLES if (source / name).is_file()]
            if not found:
                problems.append(f"{source}: holds none of the tables {', '.join(CSV_TABLES)}")
            files.update({p.stem: p for p in found})
        elif source.is_file():
            files[source.stem.lower()] = source
        else:
            problems.append(f"{source}: no such file or folder")
    if problems:
        raise ImportFailed(problems)
    sheets = {}
    for name, path in files.items():
        try:
            sheets[name] = _read(path, str(path))
        except ImportFailed as exc:
            problems += exc.problems
    if problems:
        raise ImportFailed(problems)
    return from_tables(sheets, sorted(p.name for p in files.values()), focal)
