"""`partnerbook new` and `partnerbook export`, and the package as a wheel outside the repository."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile

import jsonschema
import networkx as nx
import pytest
from conftest import MINIMAL_NETWORK, ROOT, Handbook, mkdocs_yml


def test_new_scaffolds_a_handbook_that_builds_strict(tmp_path):
    book = Handbook(tmp_path)
    result = book.run("partnerbook", "new", "fresh")
    assert result.returncode == 0, result.stderr
    assert "created fresh" in result.stderr
    fresh = Handbook(tmp_path / "fresh")
    data_file = (fresh.path / "network" / "network.yml").read_text()
    assert data_file.startswith("# yaml-language-server: $schema=../partnerbook.schema.json\n")
    schema = json.loads((fresh.path / "partnerbook.schema.json").read_text())
    assert schema == json.loads(book.run("partnerbook", "schema").stdout)
    assert (fresh.path / ".gitignore").read_text().split() == [".cache/", "site/"]
    build = fresh.build()
    assert build.returncode == 0, build.stderr
    assert fresh.page("partners/dev-partner/").select_one("h1").get_text().startswith("Example Developers Ltd")
    guide = {a.get_text(strip=True) for a in fresh.page("").select("nav a")}
    for topic in ("Inner value network", "Outer value network", "Agreements", "Funding", "Power and participation"):
        assert topic in guide
    assert fresh.page("guide/inner-value-network/").select(".pb-partners")  # a live view, not a stub
    assert fresh.check("--strict").returncode == 0
    again = book.run("partnerbook", "new", "fresh")
    assert again.returncode == 1 and "exists and is not empty" in again.stderr


def test_export_json_is_a_data_file_that_loads_back(handbook, tmp_path):
    handbook.write("network/more.yml", """\
        agreements:
          - {id: deal, title: The deal, parties: [hub, maker], status: signed, scorecard: {who.partners: full}}
        funding:
          - {from: payer, to: hub, amount: 1500.5, currency: EUR, core: true, since: 2025-03}
        decisions:
          - id: plan
            name: The plan
            participation: {hub: decides, maker: {actual: informed, desired: co-decides}}
        """)
    result = handbook.run("partnerbook", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads(handbook.run("partnerbook", "schema").stdout))
    assert data["network"] == {"name": "Tiny network", "focal": "hub", "as_of": "2026-01-01"}
    assert [p["id"] for p in data["partners"]] == ["hub", "maker", "payer"]
    assert data["relationships"][0] == {"from": "maker", "to": "hub", "deliverable": "Code", "nature": "tangible"}
    assert data["funding"] == [{"from": "payer", "to": "hub", "amount": 1500.5, "currency": "EUR",
                                "core": True, "since": "2025-03"}]
    assert data["decisions"][0]["participation"]["maker"] == {"actual": "informed", "desired": "co-decides"}
    assert "roles" not in data  # the default canvas roles stay default

    copy = Handbook(tmp_path / "copy")
    copy.write("network/all.json.yml", result.stdout)
    assert copy.check("--strict").returncode == 0
    assert copy.run("partnerbook", "export", "network").stdout == result.stdout


def test_export_graphml_and_gexf_read_back_with_networkx(handbook, tmp_path):
    handbook.write("network/network.yml", MINIMAL_NETWORK.replace(
        "    name: Maker Co\n", "    name: Maker Co\n    tags: [open source, Nairobi]\n    since: 2024-05\n"))
    for fmt, read in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        result = handbook.run("partnerbook", "export", "--format", fmt, "-o", str(tmp_path / f"net.{fmt}"))
        assert result.returncode == 0, result.stderr
        graph = read(tmp_path / f"net.{fmt}")
        assert sorted(graph.nodes) == ["hub", "maker", "payer"]
        assert sorted((u, v) for u, v, *_ in graph.edges) == [("hub", "payer"), ("maker", "hub"), ("payer", "hub")]
        maker = graph.nodes["maker"]
        assert maker["name"] == "Maker Co" and maker["network"] == "ivn" and maker["ivn_criteria"] == "develops"
        assert maker["tags"] == "open source;Nairobi" and maker["since"] == "2024-05" and maker["roles"] == "key-activities"
        assert graph.nodes["hub"]["network"] == "focal" and graph.nodes["payer"]["ovn_type"] == "funder"
        edge = next(data for u, v, data in graph.edges(data=True) if (u, v) == ("hub", "payer"))
        assert edge["deliverable"] == "Reports" and edge["nature"] == "intangible"
        line = (handbook.path / "network/network.yml").read_text().splitlines().index(
            "  - {from: hub, to: payer, deliverable: Reports, nature: intangible}") + 1
        assert edge["source"] == f"network/network.yml:{line}"


def test_site_offers_the_exports_for_download(handbook):
    assert handbook.build().returncode == 0
    page = handbook.page("network/")
    links = {a.get_text(): a["href"] for a in page.find(id="download-the-data").find_next("ul").select("a")}
    assert set(links) == {"partnerbook.json", "partnerbook.graphml", "partnerbook.gexf", "network.csv", "partners.csv",
                          "relationships.csv", "agreements.csv", "agreement-scorecard.csv", "funding.csv",
                          "projects.csv", "project-partners.csv", "decisions.csv", "decision-participation.csv",
                          "roles.csv"}
    site = handbook.path / "site" / "network"
    for _name, href in links.items():
        assert (site / href).is_file(), href
    cli = handbook.run("partnerbook", "export", "--format", "json").stdout
    assert (site / links["partnerbook.json"]).read_text() == cli.rstrip("\n")
    rows = list(csv.DictReader(io.StringIO((site / links["partners.csv"]).read_text())))
    assert [r["name"] for r in rows] == ["Hub Org", "Maker Co", "Payer Fund"]
    # the CSV tables say what the JSON says, row for row
    data = json.loads(cli)
    exchanges = list(csv.DictReader(io.StringIO((site / links["relationships.csv"]).read_text())))
    assert [(r["from"], r["to"], r["deliverable"], r["nature"]) for r in exchanges] == [
        (e["from"], e["to"], e["deliverable"], e["nature"]) for e in data["relationships"]]
    assert [r["id"] for r in rows] == [p["id"] for p in data["partners"]]

    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="downloads: false"))
    assert handbook.build().returncode == 0
    assert handbook.page("network/").find(id="download-the-data") is None
    assert not (handbook.path / "site/network/data").exists()


def test_export_of_bad_data_prints_problems(handbook):
    handbook.write("network/bad.yml", "partners:\n  - {id: BAD, name: x, network: ovn}\n")
    result = handbook.run("partnerbook", "export")
    assert result.returncode == 1 and "network/bad.yml:2: error: invalid id 'BAD'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.hosts  # a wheel built and installed outside the repository: the slow tier
def test_wheel_works_outside_the_repository(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheel = next(wheels.glob("partnerbook-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("partnerbook/templates/partner.md.j2", "partnerbook/assets/partnerbook.js",
                     "partnerbook/schema/partnerbook.schema.json", "partnerbook/starter/network/network.yml"):
        assert expected in names
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    book = Handbook(tmp_path / "outside")
    book.path.mkdir()
    env = {"PYTHONPATH": str(target)}
    where = book.run(sys.executable, "-c", "import partnerbook; print(partnerbook.__file__)", env=env)
    assert where.stdout.strip().startswith(str(target)), where.stdout + where.stderr
    assert book.run(sys.executable, "-m", "partnerbook.cli", "new", "hb", env=env).returncode == 0
    build = Handbook(book.path / "hb").run(sys.executable, "-m", "mkdocs", "build", "--strict", env=env)
    assert build.returncode == 0, build.stderr
    assert (book.path / "hb" / "site" / "partners" / "us" / "index.html").is_file()


def test_readme_minimal_network_checks_clean(tmp_path):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"### A minimal `network/`.*?```yaml\n(.*?)```", readme, re.S).group(1)
    book = Handbook(tmp_path)
    book.write("network/network.yml", example)
    result = book.check("--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 partners, 3 exchanges" in result.stderr
