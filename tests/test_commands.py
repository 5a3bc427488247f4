"""`partnerbook new` and `partnerbook export`, and the package as a wheel outside the repository."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

from conftest import ROOT, Handbook


def test_new_scaffolds_a_handbook_that_builds_strict(tmp_path):
    book = Handbook(tmp_path)
    result = book.run("partnerbook", "new", "fresh")
    assert result.returncode == 0, result.stderr
    assert "created fresh" in result.stderr
    fresh = Handbook(tmp_path / "fresh")
    assert (fresh.path / "network" / "network.yml").is_file()
    build = fresh.build()
    assert build.returncode == 0, build.stderr
    assert fresh.page("partners/dev-partner/").select_one("h1").get_text().startswith("Example Developers Ltd")
    assert fresh.check("--strict").returncode == 0
    again = book.run("partnerbook", "new", "fresh")
    assert again.returncode == 1 and "exists and is not empty" in again.stderr


def test_export_json(handbook):
    result = handbook.run("partnerbook", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["network"]["focal"] == "hub"
    assert [p["id"] for p in data["partners"]] == ["hub", "maker", "payer"]
    assert data["relationships"][0] == {
        "since": None, "until": None, "source_id": "maker", "target_id": "hub", "deliverable": "Code",
        "nature": "tangible", "kind": None, "agreement": None, "description": "", "source": "network/network.yml:19"}


def test_export_csv_and_graphml(handbook):
    out = handbook.run("partnerbook", "export", "--format", "csv", "-o", "tables")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO((handbook.path / "tables" / "partners.csv").read_text())))
    assert [r["id"] for r in rows] == ["hub", "maker", "payer"] and rows[1]["ivn_criteria"] == "develops"
    graphml = handbook.run("partnerbook", "export", "--format", "graphml")
    assert graphml.returncode == 0
    tree = ElementTree.fromstring(graphml.stdout)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(tree.findall(".//g:node", ns)) == 3 and len(tree.findall(".//g:edge", ns)) == 3


def test_export_of_bad_data_prints_problems(handbook):
    handbook.write("network/bad.yml", "partners:\n  - {id: BAD, name: x, network: ovn}\n")
    result = handbook.run("partnerbook", "export")
    assert result.returncode == 1 and "network/bad.yml:2: error: invalid id 'BAD'" in result.stderr
    assert "Traceback" not in result.stderr


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
