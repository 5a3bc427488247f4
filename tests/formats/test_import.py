"""`partnerbook import`: spreadsheets, graph files and IATI XML into data files `check` accepts."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
import yaml
from conftest import ROOT, Handbook, mkdocs_yml

IATI_FILE = Path(__file__).parent.parent / "data" / "iati" / "foodsecurity-dportal.xml"  # from ../shared/data/iati/


@pytest.fixture(scope="module")
def example_json() -> str:
    book = Handbook(ROOT)
    result = book.run("partnerbook", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _book(path: Path) -> Handbook:
    path.mkdir(parents=True, exist_ok=True)
    return Handbook(path)


def _export_csv(folder: Path) -> dict[str, list[dict]]:
    result = Handbook(ROOT).run("partnerbook", "export", "--format", "csv", "-o", str(folder))
    assert result.returncode == 0, result.stderr
    return {p.name: list(csv.DictReader(p.open(encoding="utf-8"))) for p in folder.glob("*.csv")}


def test_csv_tables_are_spreadsheet_friendly(tmp_path, example_json):
    tables = _export_csv(tmp_path / "csv")
    data = json.loads(example_json)
    header = (tmp_path / "csv" / "partners.csv").read_text().splitlines()[0].split(",")
    assert header[:2] == ["id", "name"] and header.index("since") > header.index("id")
    assert header[-1] == "source"
    # amounts as written, never 450000.0; booleans true/false
    amounts = [row["amount"] for row in tables["funding.csv"]]
    assert amounts == [_number(f["amount"]) for f in data["funding"]]
    assert not any(a.endswith(".0") for a in amounts)
    assert {row["scored"] for row in tables["agreements.csv"]} <= {"true", "false"}
    assert [row["core"] for row in tables["funding.csv"]] == [
        "true" if f.get("core") else "false" for f in data["funding"]]
    # nested mappings are tables of their own, one row per entry, not JSON in a cell
    participation = [(r["decision"], r["partner"], r["actual"], r["desired"]) for r in tables["decision-participation.csv"]]
    expected = [(d["id"], p, lv["actual"], lv["desired"]) for d in data["decisions"]
                for p, lv in d.get("participation", {}).items()]
    assert participation == expected
    ratings = [(r["agreement"], r["element"], r["rating"]) for r in tables["agreement-scorecard.csv"]]
    assert ratings == [(a["id"], e, v) for a in data["agreements"] for e, v in a.get("scorecard", {}).items()]
    # no JSON in a cell
    assert not any(cell.startswith(("{", "[")) for rows in tables.values() for row in rows for cell in row.values())


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def test_csv_round_trip_gives_the_same_json(tmp_path, example_json):
    _export_csv(tmp_path / "csv")
    book = _book(tmp_path / "book")
    result = book.run("partnerbook", "import", "csv", str(tmp_path / "csv"), "-o", "network")
    assert result.returncode == 0, result.stderr
    assert "mapped:" in result.stdout and "21 partners" in result.stdout
    first = (book.path / "network" / "partners.yml").read_text().splitlines()[0]
    assert first.startswith("# Written by `partnerbook import csv` on ") and "partners.csv" in first
    again = book.run("partnerbook", "export", "network", "--format", "json")
    assert again.returncode == 0, again.stderr
    assert again.stdout == example_json


def test_csv_edited_in_a_spreadsheet(tmp_path):
    """Semicolons, a BOM, columns in another order, TRUE and blank rows, as spreadsheets save them."""
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "network.csv").write_text("\ufeffname;focal;as_of\nOur network;us;2026-01-01\n", encoding="utf-8")
    (folder / "partners.csv").write_text(
        "name;id;network;ovn_type;kind;tags;phone\n"
        "Us;us;;;;;\n"
        "Payer Fund;payer;ovn;funder;funder;\" big ; known \";+254 1\n"
        ";;;;;;\n", encoding="utf-8")
    (folder / "funding.csv").write_text(
        "from;to;amount;currency;core;date\npayer;us;450000;EUR;TRUE;2025-03-01 00:00:00\n", encoding="utf-8")
    (folder / "relationships.csv").write_text(
        "from;to;deliverable;nature\npayer;us;Money;tangible\n", encoding="utf-8")
    book = _book(tmp_path / "book")
    result = book.run("partnerbook", "import", "csv", str(folder))
    assert result.returncode == 0, result.stderr
    assert "columns not in the format" in result.stdout and "phone" in result.stdout
    data = json.loads(book.run("partnerbook", "export", "network").stdout)
    assert data["partners"][1]["tags"] == ["big", "known"]
    assert data["funding"] == [{"from": "payer", "to": "us", "amount": 450000, "currency": "EUR",
                                "core": True, "date": "2025-03-01"}]


def test_csv_mistakes_name_the_row_and_write_nothing(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "network.csv").write_text("name,focal\nN,us\n")
    (folder / "partners.csv").write_text("id,name,network\nus,Us,\npayer,Payer,ovn\nBad Id,X,ovn\n")
    (folder / "funding.csv").write_text('from,to,amount,currency\npayer,us,"450,000",EUR\npayer,nobody,5,EUR\n')
    book = _book(tmp_path / "book")
    result = book.run("partnerbook", "import", "csv", str(folder))
    assert result.returncode == 1
    assert f"{folder / 'funding.csv'}:2: 'amount' must be a number, not '450,000' (write 450000)" in result.stderr
    assert "Traceback" not in result.stderr and not (book.path / "network").exists()
    (folder / "funding.csv").write_text("from,to,amount,currency\npayer,nobody,5,EUR\n")
    result = book.run("partnerbook", "import", "csv", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # problems the loader finds are shown at the table row they came from
    assert f"{folder / 'partners.csv'}:4: invalid id 'Bad Id'" in result.stderr
    assert f"{folder / 'funding.csv'}:2: unknown partner 'nobody'" in result.stderr
    assert not (book.path / "network").exists()
    assert not list(book.path.glob(".partnerbook-import-*"))


def test_xlsx_round_trip_gives_the_same_json(tmp_path, example_json):
    openpyxl = pytest.importorskip("openpyxl")
    _export_csv(tmp_path / "csv")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted((tmp_path / "csv").glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        for n, row in enumerate(csv.reader(path.open(encoding="utf-8"))):
            # numbers as numbers, the way a spreadsheet holds them
            sheet.append([float(c) if n and c.replace(".", "", 1).isdigit() and path.stem == "funding" else c
                          for c in row])
    book.save(tmp_path / "network.xlsx")
    handbook = _book(tmp_path / "book")
    result = handbook.run("partnerbook", "import", "xlsx", str(tmp_path / "network.xlsx"))
    assert result.returncode == 0, result.stderr
    assert handbook.run("partnerbook", "export", "network").stdout == example_json
    # and the workbook `export --format xlsx` writes
    exported = handbook.run("partnerbook", "export", str(ROOT), "--format", "xlsx", "-o", "exported.xlsx")
    assert exported.returncode == 0, exported.stderr
    sheet = openpyxl.load_workbook(handbook.path / "exported.xlsx")["funding"]
    assert isinstance(sheet["C2"].value, (int, float))  # amounts are numbers a spreadsheet sums
    again = handbook.run("partnerbook", "import", "xlsx", "exported.xlsx", "-o", "again")
    assert again.returncode == 0, again.stderr
    assert handbook.run("partnerbook", "export", "again").stdout == example_json
    (tmp_path / "not.xlsx").write_text("plain text")
    bad = handbook.run("partnerbook", "import", "xlsx", str(tmp_path / "not.xlsx"), "-o", "other")
    assert bad.returncode == 1 and "not.xlsx: not an .xlsx workbook" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_round_trip_keeps_partners_and_relationships(tmp_path, example_json, fmt):
    graph_file = tmp_path / f"net.{fmt}"
    assert Handbook(ROOT).run("partnerbook", "export", "--format", fmt, "-o", str(graph_file)).returncode == 0
    book = _book(tmp_path / "book")
    result = book.run("partnerbook", "import", fmt, str(graph_file))
    assert result.returncode == 0, result.stderr
    original, imported = json.loads(example_json), json.loads(book.run("partnerbook", "export", "network").stdout)
    assert imported["network"]["focal"] == original["network"]["focal"]
    assert imported["partners"] == original["partners"]
    # a graph holds no agreements (the references are counted as skipped) and no edge order
    referenced = sum(1 for r in original["relationships"] if "agreement" in r)
    assert f"{referenced} agreement references on edges" in result.stdout
    without = [{k: v for k, v in r.items() if k != "agreement"} for r in original["relationships"]]
    key = lambda r: json.dumps(r, sort_keys=True)  # noqa: E731
    assert sorted(imported["relationships"], key=key) == sorted(without, key=key)


def test_networkx_graph_with_foreign_attributes(tmp_path):
    graph = nx.Graph(name="Field map")
    graph.add_node("n0", label="Alpha Cooperative", weight=3.5, kind="Person")
    graph.add_node("n1", label="Beta Fund", network="ovn", ovn_type="funder", country="KE")
    graph.add_node("n2", label="Alpha Cooperative")
    graph.add_edge("n0", "n1", weight=2.0, label="grant")
    graph.add_edge("n1", "n2")
    graph.add_edge("n2", "n2")
    nx.write_graphml(graph, tmp_path / "map.graphml")
    book = _book(tmp_path / "book")
    result = book.run("partnerbook", "import", "graphml", str(tmp_path / "map.graphml"), "--focal", "Beta Fund")
    assert result.returncode == 0, result.stderr
    assert "1 edges from a node to itself" in result.stdout
    data = json.loads(book.run("partnerbook", "export", "network").stdout)
    alpha, beta, alpha2 = data["partners"]  # two nodes of one name stay two partners, with two ids
    assert data["network"] == {"name": "Field map", "focal": "beta-fund", "as_of": data["network"]["as_of"]}
    assert alpha["id"] == "alpha-cooperative" and alpha2["id"].startswith("alpha-cooperative-")
    assert "- weight: 3.5" in alpha["description"] and "- kind: Person" in alpha["description"]
    assert alpha["network"] == "ovn" and alpha["ovn_type"] == "other" and alpha["kind"] == "organisation"
    assert beta["country"] == "KE" and "network" not in beta  # the focal partner
    grant = next(r for r in data["relationships"] if r["deliverable"] == "grant")
    assert "- weight: 2.0" in grant["description"] and grant["nature"] == "tangible"


YED = """\
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:java="http://www.yworks.com/xml/yfiles-common/1.0/java" xmlns:sys="http://www.yworks.com/xml/yfiles-common/markup/primitives/2.0" xmlns:x="http://www.yworks.com/xml/yfiles-common/markup/2.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:y="http://www.yworks.com/xml/graphml" xmlns:yed="http://www.yworks.com/xml/yed/3" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">
  <key attr.name="Beschreibung" attr.type="string" for="graph" id="d0"/>
  <key for="port" id="d1" yfiles.type="portgraphics"/>
  <key attr.name="url" attr.type="string" for="node" id="d3"/>
  <key attr.name="description" attr.type="string" for="node" id="d4"/>
  <key for="node" id="d5" yfiles.type="nodegraphics"/>
  <key attr.name="description" attr.type="string" for="edge" id="d8"/>
  <key for="edge" id="d9" yfiles.type="edgegraphics"/>
  <graph edgedefault="directed" id="G">
    <node id="n0">
      <data key="d4">The hub</data>
      <data key="d5"><y:ShapeNode><y:Geometry height="30.0" width="30.0" x="0" y="0"/><y:Fill color="#FFCC00" transparent="false"/><y:NodeLabel>Hub Org</y:NodeLabel><y:Shape type="rectangle"/></y:ShapeNode></data>
    </node>
    <node id="n1">
      <data key="d5"><y:ShapeNode><y:Geometry height="30.0" width="30.0" x="50" y="0"/><y:NodeLabel>Maker Co</y:NodeLabel></y:ShapeNode></data>
    </node>
    <edge id="e0" source="n1" target="n0">
      <data key="d9"><y:PolyLineEdge><y:EdgeLabel>Code</y:EdgeLabel></y:PolyLineEdge></data>
    </edge>
  </graph>
</graphml>
"""


def test_yed_graph_labels_become_names_and_layout_is_left_out(tmp_path):
    book = _book(tmp_path / "book")
    (book.path / "map.graphml").write_text(YED, encoding="utf-8")
    result = book.run("partnerbook", "import", "graphml", "map.graphml", "--focal", "Hub Org")
    assert result.returncode == 0, result.stderr
    assert "5 node layout attributes" in result.stdout  # x, y, shape_type of n0; x, y of n1
    data = json.loads(book.run("partnerbook", "export", "network").stdout)
    assert [(p["id"], p["name"]) for p in data["partners"]] == [("hub-org", "Hub Org"), ("maker-co", "Maker Co")]
    assert data["partners"][0]["description"] == "The hub"
    assert data["relationships"] == [{"from": "maker-co", "to": "hub-org", "deliverable": "Code",
                                      "nature": "tangible"}]


def test_import_never_overwrites_what_it_did_not_write(tmp_path):
    graph = nx.DiGraph()
    graph.add_edge("a", "b", deliverable="Code", nature="tangible")
    nx.write_graphml(graph, tmp_path / "g.graphml")
    book = _book(tmp_path / "book")
    hand = book.write("network/partners.yml", "partners: []\n")
    result = book.run("partnerbook", "import", "graphml", str(tmp_path / "g.graphml"), "--focal", "a")
    assert result.returncode == 1
    assert "network/partners.yml: exists and was not written by `partnerbook import`" in result.stderr
    assert hand.read_text() == "partners: []\n" and not (book.path / "network/network.yml").exists()
    dry = book.run("partnerbook", "import", "graphml", str(tmp_path / "g.graphml"), "--focal", "a", "--dry-run")
    assert dry.returncode == 0 and "dry run" in dry.stdout and "2 partners" in dry.stdout
    assert "network/partners.yml (exists and was not written by `partnerbook import`" in dry.stderr
    assert hand.read_text() == "partners: []\n"
    forced = book.run("partnerbook", "import", "graphml", str(tmp_path / "g.graphml"), "--focal", "a", "--force")
    assert forced.returncode == 0, forced.stderr
    again = book.run("partnerbook", "import", "graphml", str(tmp_path / "g.graphml"), "--focal", "b")
    assert again.returncode == 0, again.stderr  # its own files: replaced without --force
    assert yaml.safe_load((book.path / "network/network.yml").read_text())["network"]["focal"] == "b"
    assert book.check().returncode == 0


def test_bad_sources_give_a_message_not_a_traceback(tmp_path):
    book = Handbook(tmp_path)
    (tmp_path / "broken.xml").write_text("<iati-activities version='2.03'>\n<iati-activity>\n</iati-activities>\n")
    (tmp_path / "org.xml").write_text("<iati-organisations version='2.03'/>")
    (tmp_path / "page.xml").write_text("<html/>")
    cases = [
        (("iati", "missing.xml"), "missing.xml: no such file"),
        (("iati", "broken.xml"), "broken.xml:3: not well-formed XML"),
        (("iati", "org.xml"), "org.xml: an IATI organisation file"),
        (("iati", "page.xml"), "page.xml:1: <html> is not an IATI activity file"),
        (("graphml", "page.xml"), "page.xml"),
        (("gexf", "missing.gexf"), "missing.gexf: no such file"),
        (("csv", "nowhere"), "nowhere: no such file or folder"),
        (("xlsx", "missing.xlsx"), "missing.xlsx: no such file"),
        (("xlsx", "page.xml"), "page.xml: not an .xlsx workbook"),
        (("xlsx", "."), ".: is a folder, not a workbook"),
        (("iati", str(IATI_FILE), "-o", "page.xml"), "page.xml: is a file; -o names the folder"),
    ]
    for args, message in cases:
        result = book.run("partnerbook", "import", *args)
        assert result.returncode == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr and "nothing written" in result.stderr
    assert not (tmp_path / "network").exists()
    # every file's problems in one run
    both = book.run("partnerbook", "import", "iati", "missing.xml", "org.xml")
    assert "missing.xml: no such file" in both.stderr and "org.xml: an IATI organisation file" in both.stderr


# -- IATI ------------------------------------------------------------------------------------

def _xml_figures(path: Path) -> dict:
    """Counts and totals straight from the XML, by the rules the guide states."""
    root = ET.parse(path).getroot()
    placeholders = {"", "n/a"}
    refs, disbursed = set(), Counter()
    for activity in root.iter("iati-activity"):
        for tag in ("reporting-org", "participating-org"):
            refs |= {e.get("ref").upper() for e in activity.iter(tag) if (e.get("ref") or "").lower() not in placeholders}
        for transaction in activity.iter("transaction"):
            for tag in ("provider-org", "receiver-org"):
                refs |= {e.get("ref").upper() for e in transaction.iter(tag)
                         if (e.get("ref") or "").lower() not in placeholders}
            if transaction.find("transaction-type").get("code") != "3":
                continue
            value = transaction.find("value")
            provider, receiver = transaction.find("provider-org"), transaction.find("receiver-org")
            if provider is not None and receiver is not None and provider.get("ref") == receiver.get("ref"):
                continue  # a transfer within one organisation moves no money between partners
            if float(value.text) > 0:
                disbursed[value.get("currency") or activity.get("default-currency")] += float(value.text)
    return {"activities": len(root.findall("iati-activity")), "refs": refs, "disbursed": disbursed}


def test_iati_import_of_the_shared_file_builds_strict(tmp_path):
    figures = _xml_figures(IATI_FILE)
    book = _book(tmp_path / "book")
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="""\
        checks:
          ovn-signed: ignore  # IATI commitments are signed grants, between partners and their partners too
        """))
    book.write("content/index.md", "# IATI partners\n")
    result = book.run("partnerbook", "import", "iati", str(IATI_FILE))
    assert result.returncode == 0, result.stderr
    assert f"{figures['activities']} activities" in result.stdout
    assert "focal: 'bmz'" in result.stdout and "most frequent reporting organisation (2 of 7" in result.stdout
    data = json.loads(book.run("partnerbook", "export", "network").stdout)
    assert len(data["projects"]) == figures["activities"] == 7
    identifiers = [i for p in data["partners"] for i in p.get("identifiers", [])]
    assert len(identifiers) == len(set(identifiers))
    assert {i.removeprefix("iati:").upper() for i in identifiers} == figures["refs"]
    assert sum(1 for p in data["partners"] if p.get("identifiers")) == len(figures["refs"])
    imported = Counter()
    for flow in data["funding"]:
        assert "date" in flow and flow["amount"] > 0
        if flow["purpose"].startswith("disbursement,"):
            imported[flow["currency"]] += flow["amount"]
    assert set(imported) == set(figures["disbursed"])
    for currency, total in figures["disbursed"].items():
        assert imported[currency] == pytest.approx(total)
    # commitments are agreements, never funding
    assert not any("commitment" in f["purpose"] for f in data["funding"])
    assert all(a["type"] == "grant" and "Committed in IATI" in a["notes"] for a in data["agreements"])
    build = book.build()
    assert build.returncode == 0, build.stderr
    assert book.page("partners/bmz/").select_one("h1").get_text().startswith(
        "Federal Ministry for Economic Cooperation and Development")
    # projects: a page listing them all, and each partner page's own, linking to it
    listing = book.page("projects/")
    sections = listing.select("section.pb-project")
    assert [s["id"] for s in sections] == [f"project-{p['id']}" for p in data["projects"]]
    pax = next(p for p in data["projects"] if p["id"] == "nl-kvk-30214009-c380")
    shown = {a.get_text() for a in listing.find(id="project-nl-kvk-30214009-c380").select("a.pb-partner")}
    assert shown == {next(q["name"] for q in data["partners"] if q["id"] == i) for i in pax["partners"]}
    page = book.page("partners/pax/")
    table = page.find(id="projects").find_next("table")
    link = table.select_one("a.pb-project")
    assert link.get_text() == pax["title"] and link["href"] == "../../projects/#project-nl-kvk-30214009-c380"
    assert "accountable, implementing" in table.get_text()


def test_projects_an_import_brings_are_in_the_starters_navigation(tmp_path):
    """`partnerbook new` writes a `nav` without the projects page (it has no projects); an IATI
    import brings projects. The build puts the page after Partners and says so; `generate`, for
    Zensical, which shows a page only where `nav` lists it, says where to add it."""
    assert Handbook(tmp_path).run("partnerbook", "new", "book").returncode == 0
    book = Handbook(tmp_path / "book")
    imported = book.run("partnerbook", "import", "iati", str(IATI_FILE), "--force")
    assert imported.returncode == 0, imported.stderr
    result = book.build()
    assert result.returncode == 0, result.stderr
    said = "projects/index.md added to the navigation after partners/index.md"
    assert result.stderr.count(said) == 1, result.stderr
    assert 'not included in the "nav"' not in result.stderr
    section = [a.get_text(strip=True) for a in book.page("").select("nav.md-nav--primary a")]
    titles = [line.split(":")[0].strip(" -") for line in (book.path / "mkdocs.yml").read_text().splitlines()
              if line.strip().startswith("- ") and "index.md" in line and "/" in line]
    assert titles[0] == "Partners" and "Projects" not in titles  # the starter's own nav, as written
    assert section[section.index("Partners") + 1] == book.page("projects/").select_one("h1").get_text(strip=True).rstrip("¶")
    generated = book.run("partnerbook", "generate")
    assert generated.returncode == 0, generated.stderr
    assert generated.stderr.count("does not list projects/index.md: add `- projects/index.md` after "
                                  "partners/index.md") == 1, generated.stderr
    config = book.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("      - Roles: roles/index.md",
                                                 "      - Projects: projects/index.md\n      - Roles: roles/index.md"))
    assert "does not list" not in book.run("partnerbook", "generate").stderr
    again = book.build()
    assert again.returncode == 0 and said not in again.stderr, again.stderr


def test_a_network_without_projects_has_no_projects_page(handbook):
    assert handbook.build().returncode == 0
    assert not (handbook.path / "site/projects").exists()
    assert handbook.page("partners/maker/").find(id="projects") is None


MESSY = """\
<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2024-07-01T00:00:00">
 <iati-activity last-updated-datetime="2024-06-30T10:00:00" default-currency="EUR">
  <iati-identifier>XX-ORG-1-A1</iati-identifier>
  <reporting-org ref="XX-ORG-1" type="21"><narrative>Focal Water Trust</narrative></reporting-org>
  <title><narrative xml:lang="fr">Eau</narrative><narrative xml:lang="en">Water for all</narrative></title>
  <participating-org ref="XX-ORG-1" role="2" type="21"><narrative>Focal Water Trust</narrative></participating-org>
  <participating-org ref="XM-DAC-41114" role="1" type="40"><narrative>United Nations Development Programme</narrative></participating-org>
  <participating-org role="4" type="22"><narrative>Alliance for Rural Water and Sanitation Programmes in East Africa</narrative></participating-org>
  <participating-org ref="N/A" role="4" type="70"><narrative>{long}</narrative></participating-org>
  <activity-date iso-date="2023-01-01" type="2"/>
  <transaction><transaction-type code="11"/><transaction-date iso-date="2023-01-05"/><value>100000</value>
   <provider-org ref="XM-DAC-41114"><narrative>UNDP</narrative></provider-org></transaction>
  <transaction><transaction-type code="1"/><transaction-date iso-date="2023-02-01"/><value>40000</value>
   <provider-org><narrative>United Nations Development Programme</narrative></provider-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2023-03-01"/><value currency="EUR" amount="1000"/>
   <receiver-org><narrative>Alliance for Rural Water and Sanitation Programmes</narrative></receiver-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2023-03-02"/><value>abc</value>
   <receiver-org><narrative>Alliance for Rural Water and Sanitation Programmes</narrative></receiver-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2023-03-03"/><value>-500</value>
   <receiver-org><narrative>Alliance for Rural Water and Sanitation Programmes</narrative></receiver-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2023-03-04"/><value>0</value>
   <receiver-org><narrative>Alliance for Rural Water and Sanitation Programmes</narrative></receiver-org></transaction>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2025-01-15"/><value>1,500</value>
   <receiver-org><narrative>{long}</narrative></receiver-org></transaction>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2023-01-10"/><value>5000</value>
   <receiver-org><narrative>Alliance for Rural Water and Sanitation Programmes in East Africa</narrative></receiver-org></transaction>
 </iati-activity>
 <iati-activity default-currency="USD">
  <iati-identifier>XX-AGG-9-B2</iati-identifier>
  <reporting-org ref="XX-AGG-9" type="90" secondary-reporter="1"><narrative>Open Data Aggregator</narrative></reporting-org>
  <title><narrative>Water, second phase</narrative></title>
  <participating-org ref="xx-org-1" role="4"><narrative>Focal Water Trust</narrative></participating-org>
  <participating-org ref="XM-DAC-41114" role="1"><narrative>United Nations Development Programme</narrative></participating-org>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2024-01-01"/><value>2000</value>
   <provider-org ref="XM-DAC-41114"/><receiver-org ref="XX-ORG-1"/></transaction>
 </iati-activity>
 <iati-activity>
  <iati-identifier>XX-ORG-1-A1</iati-identifier>
  <reporting-org ref="XX-ORG-1"><narrative>Focal Water Trust</narrative></reporting-org>
 </iati-activity>
</iati-activities>
"""
LONG_NAME = "Consortium " + "of very long and repetitive organisation names " * 7 + "Limited"


def test_iati_messy_data_is_counted_not_fatal(tmp_path):
    book = _book(tmp_path / "book")
    (book.path / "messy.xml").write_text(MESSY.replace("{long}", LONG_NAME), encoding="utf-8")
    result = book.run("partnerbook", "import", "iati", "messy.xml")
    assert result.returncode == 0, result.stderr
    out = result.stdout

    def count(what: str) -> int:
        line = next((text for text in out.splitlines() if what in text), None)
        assert line is not None, f"{what!r} not in the summary:\n{out}"
        return int(line.split()[0])

    # one of each mess in the fixture, counted by hand
    assert count("unreadable or missing amount") == 1
    assert count("negative amount") == 1
    assert count("zero amount") == 1
    assert count("amounts found in an attribute") == 1 and "value/@amount=1000" in out
    assert count("thousands separators") == 1
    # generated 2024-07-01: the 2025-01-15 disbursement is a plan, counted as committed, never paid
    assert count("payments dated after their file was generated") == 1 and "2025-01-15 (messy.xml" in out
    assert count("secondary reporters") == 1
    assert count("without identifier, matched by name") == 1
    assert count("cut short by their publisher") == 1
    assert count("names longer than 80 characters") == 1
    assert count("refs that are no organisation identifier") == 1
    assert count("met twice") == 1
    assert count("identifiers written in several ways") == 1  # XX-ORG-1 and xx-org-1
    assert "focal: 'focal-water-trust'" in out  # the secondary reporter does not count
    data = json.loads(book.run("partnerbook", "export", "network").stdout)
    by_name = {p["name"]: p for p in data["partners"]}
    assert len(data["partners"]) == 5  # focal, UNDP, the alliance, the consortium, the aggregator
    undp = by_name["United Nations Development Programme"]
    assert undp["aliases"] == ["UNDP"] and undp["identifiers"] == ["iati:XM-DAC-41114"]
    # UNDP's incoming commitment (type 11) to the trust is a signed agreement with the focal organisation:
    # an IVN criterion, so it is proposed inner (the summary says how to keep funders outer)
    assert undp["kind"] == "multilateral" and undp["network"] == "ivn" and undp["ivn_criteria"] == ["agreement"]
    consortium = next(p for p in data["partners"] if p["name"].startswith("Consortium"))
    assert len(consortium["name"]) <= 80 and consortium["name"].endswith("…")
    assert LONG_NAME in consortium["description"] and consortium["kind"] == "business"
    alliance = by_name["Alliance for Rural Water and Sanitation Programmes in East Africa"]
    assert alliance["network"] == "ivn" and alliance["ivn_criteria"] == ["agreement", "function"]
    assert sorted((f["amount"], f["currency"]) for f in data["funding"]) == [
        (1000, "EUR"), (1500, "EUR"), (2000, "USD"), (40000, "EUR")]
    assert sorted(a["parties"][1] for a in data["agreements"]) == [alliance["id"], "focal-water-trust"]
    assert [p["title"] for p in data["projects"]] == ["Water for all", "Water, second phase"]
    assert data["projects"][0]["partners"][undp["id"]] == "funding"
    # the consortium's 60-word "name" is a sentence: `check` warns, once, and the author may accept it
    check = book.check("--strict")
    assert check.returncode == 2 and check.stdout.count("[suspect-name]") == 1, check.stdout
    assert "'consortium-of-very-long-and-repetitive-organisation'" in check.stdout
    check = book.check("--check", "suspect-name=ignore", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr

    focal = book.run("partnerbook", "import", "iati", "messy.xml", "--focal", "XM-DAC-41114")
    assert focal.returncode == 0 and "focal: 'united-nations-development-programme'" in focal.stdout
    unknown = book.run("partnerbook", "import", "iati", "messy.xml", "--focal", "Nobody at all")
    assert unknown.returncode == 1 and "--focal Nobody at all: no organisation" in unknown.stderr


def test_iati_ids_are_stable_and_valid(tmp_path):
    book = _book(tmp_path / "book")
    (book.path / "messy.xml").write_text(MESSY.replace("{long}", LONG_NAME), encoding="utf-8")
    assert book.run("partnerbook", "import", "iati", "messy.xml", "-o", "one").returncode == 0
    assert book.run("partnerbook", "import", "iati", "messy.xml", "-o", "two").returncode == 0
    for name in ("partners.yml", "projects.yml", "funding.yml", "agreements.yml"):
        assert (book.path / "one" / name).read_text() == (book.path / "two" / name).read_text()


def test_export_json_carries_the_new_fields(handbook, tmp_path):
    handbook.write("network/more.yml", """\
        partners:
          - {id: agency, name: The Agency, kind: multilateral, network: ovn, ovn_type: funder,
             aliases: [Agency of All], identifiers: ["iati:XM-1"]}
        agreements:
          - {id: open, title: Unscored, parties: [hub, maker]}
          - {id: blank, title: Scored but empty, parties: [hub, maker], scorecard: {}}
        funding:
          - {from: agency, to: hub, amount: 100, currency: EUR, date: 2025-05-02}
          - {from: agency, to: hub, amount: 10, currency: EUR, since: 2025-01, per: month}
        projects:
          - {id: wells, title: Wells, partners: {hub: implementing, agency: funding}, since: 2025}
        """)
    result = handbook.run("partnerbook", "export")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    agency = next(p for p in data["partners"] if p["id"] == "agency")
    assert agency["aliases"] == ["Agency of All"] and agency["identifiers"] == ["iati:XM-1"]
    assert data["funding"][0]["date"] == "2025-05-02" and data["funding"][1]["per"] == "month"
    assert data["projects"] == [{"id": "wells", "title": "Wells", "partners": {"hub": "implementing", "agency": "funding"},
                                 "since": "2025"}]
    assert "scorecard" not in data["agreements"][0] and data["agreements"][1]["scorecard"] == {}
    copy = _book(tmp_path / "copy")
    copy.write("network/all.json.yml", result.stdout)
    assert copy.run("partnerbook", "export", "network").stdout == result.stdout
    tables = {}
    out = handbook.run("partnerbook", "export", "--format", "csv").stdout
    for block in out.split("# ")[1:]:
        name, _, text = block.partition("\n")
        tables[name] = list(csv.DictReader(io.StringIO(text)))
    assert [r["scored"] for r in tables["agreements.csv"]] == ["false", "true"]
    assert tables["project-partners.csv"] == [{"project": "wells", "partner": "hub", "role": "implementing"},
                                              {"project": "wells", "partner": "agency", "role": "funding"}]


def test_csv_scorecards_are_checked_against_the_handbooks_own_elements(tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "network.csv").write_text("name,focal\nN,us\n")
    (folder / "partners.csv").write_text("id,name,network,ivn_criteria\nus,Us,,\nthem,Them,ivn,agreement\n")
    (folder / "agreements.csv").write_text("id,title,parties,status\ndeal,Deal,us;them,signed\n")
    (folder / "agreement-scorecard.csv").write_text("agreement,element,rating\ndeal,trust.level,full\n")
    book = _book(tmp_path / "book")
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="scorecard_elements: [trust.level, trust.money]"))
    result = book.run("partnerbook", "import", "csv", str(folder))
    assert result.returncode == 0, result.stderr
    assert json.loads(book.run("partnerbook", "export").stdout)["agreements"][0]["scorecard"] == {"trust.level": "full"}
