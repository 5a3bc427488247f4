"""A large IATI import, at a size CI can afford: benchmarks/iati_generate.py copies the shared real file
(250 activities here; the benchmark times 3,000, 35 MB). The figures of the funding page, the health report
and the largest funder's page agree with the XML; the round trips hold; no page passes 1 MB; it builds strict.

The tests of the 2,302-organisation build, and of the 5 MiB JSON file, are in the `scale` tier (conftest.py's
TIERS): like the 1,000-partner handbook's, they test size, and they cost some 45 CPU-seconds (the build alone
17 s), a third of the fast tier's. The full suite (`make test`) runs them.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from conftest import ROOT, Handbook, mkdocs_yml

sys.path.insert(0, str(ROOT / "benchmarks"))
from iati_generate import generate

REAL = ROOT / "tests" / "data" / "iati" / "foodsecurity-dportal.xml"  # from ../shared/data/iati/
ACTIVITIES = 250
PAX = "NL-KVK-30214009"
MAX_PAGE = 1 << 20


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> tuple[Handbook, Path]:
    book = Handbook(tmp_path_factory.mktemp("scale") / "book")
    book.write("mkdocs.yml", mkdocs_yml())
    book.write("content/index.md", "# PAX and the rest\n")
    book.write("content/everyone.md", "# Everyone\n\n```partnerbook\nview: partners\n```\n")
    xml = book.path / "big.xml"
    generate(xml, ACTIVITIES, REAL)
    # every publisher's activities, seen from PAX: thousands of organisations, projects past a page
    result = book.run("partnerbook", "import", "iati", str(xml), "--focal", PAX)
    assert result.returncode == 0, result.stderr
    build = book.build()
    assert build.returncode == 0, build.stderr[-3000:]
    return book, xml


@pytest.fixture(scope="module")
def big_export(big) -> str:
    """`partnerbook export` of the big handbook: the same bytes each time (builds are reproducible), so
    the tests that read it share one run (2–3 s each)."""
    book, _ = big
    exported = book.run("partnerbook", "export")
    assert exported.returncode == 0, exported.stderr
    return exported.stdout


def _pax_income(xml: Path) -> tuple[dt.date, Counter]:
    """PAX's incoming funds (type 1) per provider ref in the window, by the rules: as_of is the latest
    transaction on or before the file's generated-datetime; the window the 12 months up to it."""
    root = ET.parse(xml).getroot()
    generated = root.get("generated-datetime")[:10]
    dates, income = [], []
    for activity in root.iter("iati-activity"):
        for t in activity.iter("transaction"):
            day = t.find("transaction-date").get("iso-date")
            code = t.find("transaction-type").get("code")
            if code in ("1", "2", "3", "4", "11") and float(t.findtext("value")) > 0 and day <= generated:
                dates.append(day)
            if activity.find("reporting-org").get("ref") == PAX and code == "1":
                income.append((day, t.find("provider-org").get("ref"), float(t.findtext("value"))))
    as_of = dt.date.fromisoformat(max(dates))
    first = dt.date(as_of.year - 1, as_of.month, as_of.day) + dt.timedelta(days=1)
    by_funder = Counter()
    for day, ref, value in income:
        if first <= dt.date.fromisoformat(day) <= as_of:
            by_funder[ref] += value
    return as_of, by_funder


@pytest.mark.scale
def test_funding_page_health_and_the_funders_page_agree_with_the_xml(big, big_export):
    book, xml = big
    as_of, by_funder = _pax_income(xml)
    data = json.loads(big_export)
    assert data["network"]["as_of"] == as_of.isoformat()
    total = sum(by_funder.values())
    top = max(by_funder.values())
    share = f"{top / total * 100:.0f}%"
    funding = book.page("funding/")
    row = next(tr for tr in funding.select("table.pb-money-income tbody tr") if tr["data-currency"] == "EUR")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    # A summary shows whole units, rounded half up (issue 25): 418,167,068.57 reads 418,167,069.
    written = f"{Decimal(f'{total:.2f}').quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
    assert cells[1] == f"{written} EUR" and cells[2] == str(len(by_funder)) and cells[4] == share
    # copies share amounts (iati_generate varies them by copy number modulo 13): any of the largest may lead
    largest = {f"iati:{ref}" for ref, value in by_funder.items() if value == top}
    funder = next(p for p in data["partners"] if p["name"] == cells[3])
    assert set(funder["identifiers"]) & largest
    health = book.page("health/").find(id="finding-funding-EUR").get_text(" ", strip=True)
    assert f"{funder['name']} gives {share} of PAX's EUR income" in health
    page = book.page(f"partners/{funder['id']}/")
    assert page.select_one('p.pb-money-share[data-currency="EUR"] strong.pb-share').get_text() == share


@pytest.mark.scale
def test_no_page_passes_1_mb_and_long_lists_are_paged(big, big_export):
    book, _ = big
    pages = list((book.path / "site").rglob("*.html"))
    assert pages and max(p.stat().st_size for p in pages) <= MAX_PAGE
    projects = book.page("projects/")
    assert len(projects.select("section.pb-project")) == 150  # paging.PER_PAGE["projects"]
    assert (book.path / "site/projects/page-2/index.html").exists()
    last = book.page("projects/page-2/")
    assert len(last.select("section.pb-project")) == ACTIVITIES - 150
    impact = book.page("impact/")
    ranked = impact.select(".pb-impact-ranking tbody tr")
    data = json.loads(big_export)
    if len(data["partners"]) - 1 > 500:  # every imported partner is current: all but PAX are ranked
        assert len(ranked) == 500 and (book.path / "site/impact/page-2/index.html").exists()
        second = book.page("impact/page-2/").select(".pb-impact-ranking tbody tr td")
        assert second[0].get_text() == "501"


@pytest.mark.scale
def test_a_view_in_prose_shows_its_first_rows_and_links_to_the_full_list(big, big_export):
    book, _ = big
    data = json.loads(big_export)
    page = book.page("everyone/")
    assert len(page.select(".pb-partners tr.pb-partner-row")) == 100  # paging.PROSE_ROWS
    more = page.select_one(".pb-capped a")
    assert more.get_text() == f"…and {len(data['partners']) - 100:,} more on the full list"
    assert more["href"] == "../partners/"


@pytest.mark.scale
def test_export_json_loads_back_as_the_only_data_file(big_export, tmp_path):
    exported = big_export
    other = Handbook(tmp_path)
    other.write("network/all.json", exported)
    again = other.run("partnerbook", "export", "network")
    assert again.returncode == 0, again.stderr
    assert again.stdout == exported


@pytest.mark.scale
def test_csv_export_import_export_is_identical(big, big_export, tmp_path):
    book, _ = big
    exported = big_export
    assert book.run("partnerbook", "export", "--format", "csv", "-o", str(tmp_path / "csv")).returncode == 0
    other = Handbook(tmp_path)
    imported = other.run("partnerbook", "import", "csv", "csv", "-o", "network")
    assert imported.returncode == 0, imported.stderr
    assert other.run("partnerbook", "export", "network").stdout == exported


def test_split_files_load_in_natural_order_and_lists_keep_semicolons(tmp_path):
    book = Handbook(tmp_path)
    book.write("network/network.yml", "network: {name: N, focal: a}\n")
    book.write("network/partners.yml", """\
        partners:
          - {id: a, name: A}
          - {id: b, name: B, network: ovn, ovn_type: funder, aliases: ["Save the Children; UK"],
             identifiers: ["iati:GB-CHC-1"]}
        """)
    for name, amount in (("funding-10.yml", 10), ("funding-2.yml", 2), ("funding.yml", 1)):
        book.write(f"network/{name}", f"funding:\n  - {{from: b, to: a, amount: {amount}, currency: EUR}}\n")
    exported = book.run("partnerbook", "export", "network")
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert [f["amount"] for f in data["funding"]] == [1, 2, 10]  # funding, funding-2, funding-10
    assert book.run("partnerbook", "export", "network", "--format", "csv", "-o", "csv").returncode == 0
    assert book.run("partnerbook", "import", "csv", "csv", "-o", "back").returncode == 0
    back = json.loads(book.run("partnerbook", "export", "back").stdout)
    assert back["partners"][1]["aliases"] == ["Save the Children; UK"]
    assert back == data


@pytest.mark.scale
def test_a_json_data_file_may_pass_the_yaml_limit(tmp_path):
    """4 MiB caps YAML files (alias bombs); a JSON file holds no alias and may be larger (the export of
    2,300 imported organisations is 7.2 MiB). Here 5,000 partners of ~1 KB each: about 5 MiB."""
    partners = [{"id": "a", "name": "A"}] + [
        {"id": f"p{n}", "name": f"P {n}", "network": "ovn", "ovn_type": "other", "description": "x" * 1000}
        for n in range(5000)]
    text = json.dumps({"network": {"name": "N", "focal": "a"}, "partners": partners})
    assert 4 << 20 < len(text) < 8 << 20
    book = Handbook(tmp_path)
    book.write("network/all.json", text)
    loaded = book.run("partnerbook", "export")
    assert loaded.returncode == 0, loaded.stderr
    assert len(json.loads(loaded.stdout)["partners"]) == 5001
    (tmp_path / "network/all.json").rename(tmp_path / "network/all.yml")  # the same text as YAML: refused
    refused = book.check()
    assert refused.returncode == 1 and "data files are limited to 4 MiB" in refused.stdout + refused.stderr
