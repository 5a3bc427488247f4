"""Hostile workbooks for `partnerbook import xlsx` (issue 30, case 1): each run under a memory
and CPU limit must end in a clean refusal naming the file, or in a correct import."""

from __future__ import annotations

from pathlib import Path

import yaml
from hostile_tools import MIB, assert_refused, number_row, repeated, run, text_row, workbook


def test_a_claimed_range_of_the_whole_sheet_is_ignored(tmp_path: Path) -> None:
    # A small workbook claiming A1:XFD1048576, with an empty row at 1,048,576: openpyxl padded
    # every row up to it to 16,384 columns (137 GB: MemoryError). Its three real rows import.
    book = workbook(tmp_path / "claims.xlsx", [text_row("id", "name", "network"), text_row("hub", "Hub Org", ""),
                                               text_row("maker", "Maker Co", "ovn"), b'<row r="1048576"/>'],
                    dimension="A1:XFD1048576")
    result = run(tmp_path, "partnerbook", "import", "xlsx", str(book), "--focal", "hub", "-o", "out")
    assert result.code == 0, result.text[-2000:]
    partners = yaml.safe_load((tmp_path / "out" / "partners.yml").read_text(encoding="utf-8"))["partners"]
    assert [p["id"] for p in partners] == ["hub", "maker"]


def test_a_zip_bomb_is_refused_from_its_declared_sizes(tmp_path: Path) -> None:
    # A sheet inflating to 160 MiB of rows (over the 128 MiB a sheet may be) from a file of a few
    # hundred KB: refused before anything is inflated.
    book = workbook(tmp_path / "bomb.xlsx", repeated(text_row("x", "y"), 160 * MIB))
    assert book.stat().st_size < 2 * MIB
    result = run(tmp_path, "partnerbook", "import", "xlsx", str(book), "--focal", "x", "-o", "out")
    assert_refused(result, f"{book}: xl/worksheets/sheet1.xml would inflate to 160 MiB")
    assert not (tmp_path / "out").exists()


def test_a_huge_shared_strings_table_is_refused(tmp_path: Path) -> None:
    # 48 MiB of shared strings (3 million entries; openpyxl keeps them all in memory).
    book = workbook(tmp_path / "strings.xlsx", [text_row("id", "name")],
                    shared_strings=repeated(b"<si><t>x</t></si>", 48 * MIB))
    result = run(tmp_path, "partnerbook", "import", "xlsx", str(book), "--focal", "x", "-o", "out")
    assert_refused(result, f"{book}: xl/sharedStrings.xml would inflate to 48 MiB")


def test_a_million_cells_are_refused_before_they_are_read(tmp_path: Path) -> None:
    # 110,000 rows of 10 cells: 1,100,000 cells, over the 1,000,000 `import xlsx` reads, in a
    # sheet small enough to pass the size caps (openpyxl reads some 20,000 cells a second).
    book = workbook(tmp_path / "rows.xlsx", [number_row(10)] * 110_000, dimension="A1:J110000")
    result = run(tmp_path, "partnerbook", "import", "xlsx", str(book), "--focal", "x", "-o", "out")
    assert_refused(result, f"{book}: holds 1,100,000 cells, over the 1,000,000")
