"""`partnerbook import iati` tells the truth (issue 24): who pays by transaction type, whose handbook
(--publisher), as of when, identity, names that are no names, and the publisher route end to end.

tests/data/iati/rules.xml is written by hand, one case per rule; every figure below is computed by hand
from it (the arithmetic in the comments). The route test reads the shared real file (tests/data/iati/).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import MINIMAL_NETWORK, Handbook, mkdocs_yml

DATA = Path(__file__).resolve().parents[1] / "data" / "iati"
RULES = DATA / "rules.xml"
REAL = DATA / "foodsecurity-dportal.xml"  # from ../shared/data/iati/
PAX = "NL-KVK-30214009"


def money(value: float, currency: str = "EUR") -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{text} {currency}".strip()


def _rows(page, kind: str) -> dict[str, list[str]]:
    table = page.select_one(f"table.pb-money-{kind}")
    return {tr["data-currency"]: [td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in table.select("tbody tr")}


def _counterparts(page, kind: str) -> dict[str, list[str]]:
    table = page.select_one(f'table.pb-money-{kind}-counterparts[data-currency="EUR"]')
    return {tr.select_one("a")["href"].strip("./").split("/")[-1]: [td.get_text() for td in tr.select("td")]
            for tr in table.select("tbody tr")}


@pytest.fixture(scope="module")
def river(tmp_path_factory) -> tuple[Handbook, str, dict]:
    """River Trust's own handbook: `--publisher XX-NGO-1`, built with suspect names accepted."""
    book = Handbook(tmp_path_factory.mktemp("rules") / "book")
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="checks:\n  suspect-name: ignore"))
    book.write("content/index.md", "# River Trust\n")
    result = book.run("partnerbook", "import", "iati", str(RULES), "--publisher", "XX-NGO-1")
    assert result.returncode == 0, result.stderr
    data = json.loads(book.run("partnerbook", "export", "network").stdout)
    build = book.build()
    assert build.returncode == 0, build.stderr[-3000:]
    return book, result.stdout, data


def test_the_reporting_organisation_pays_on_outgoing_and_receives_on_incoming_types(river):
    book, out, data = river
    assert data["network"]["focal"] == "river-trust" and "chosen with --publisher" in out
    # generated 2022-12-31: the 2031-05-01 disbursement is a plan; the latest done is B's 2022-06-01
    assert data["network"]["as_of"] == "2022-06-01"
    flows = sorted((f["from"], f["to"], f["amount"], f["date"]) for f in data["funding"])
    assert flows == sorted([
        ("ministry-of-water", "river-trust", 1000, "2022-01-10"),        # A1 incoming funds, provider named
        ("river-trust", "delta-farmers-union", 300, "2022-02-01"),       # A2 disbursement, donor as provider
        ("river-trust", "delta-farmers-union", 200, "2022-03-01"),       # A3 no receiver: A's one implementer
        ("river-trust", "delta-farmers-union", 50, "2022-04-01"),        # A4 expenditure, nothing named
        ("river-trust", "delta-farmers-union", 700, "2031-05-01"),       # A5 after the file was generated
        ("unspecified-funder", "river-trust", 400, "2022-05-01"),        # B1 two funders: neither guessed
        ("river-trust", "unspecified-recipient", 80, "2022-06-01"),      # B2 four implementers: none guessed
    ])
    purposes = {(f["amount"], f["date"]): f["purpose"] for f in data["funding"]}
    assert purposes[(300, "2022-02-01")] == "disbursement, XX-NGO-1-A; funds from Ministry of Water"
    assert purposes[(200, "2022-03-01")] == "disbursement, XX-NGO-1-A; funds from Ministry of Water"
    assert "planned (dated after the file was generated)" in purposes[(700, "2031-05-01")]
    unspecified = {p["id"]: p for p in data["partners"] if p["id"].startswith("unspecified")}
    assert unspecified["unspecified-funder"]["name"] == "Unspecified funder"
    assert unspecified["unspecified-recipient"]["ovn_type"] == "supplier"

    page = book.page("funding/")
    income, spending = _rows(page, "income")["EUR"], _rows(page, "spending")["EUR"]
    assert income[1] == money(1000 + 400)  # window 2021-06-02 – 2022-06-01: A1 + B1
    assert income[3] == "Ministry of Water" and income[4] == "71%"  # 1,000 / 1,400 = 71.4%
    assert spending[1] == money(300 + 200 + 50 + 80)  # A2 + A3 + A4 + B2 = 630
    assert spending[5] == money(630)  # all time to as_of: the 700 planned for 2031 is never paid
    assert page.select_one("table.pb-money-elsewhere") is None  # the donor funds no partner of the trust
    paid = _counterparts(page, "spending")
    assert paid["delta-farmers-union"][1] == money(300 + 200 + 50, "")  # the table is of one currency
    assert paid["unspecified-recipient"][1] == money(80, "")
    history = [li.get_text(" ", strip=True) for li in book.page("partners/delta-farmers-union/").select(".pb-history li")]
    assert "Feb 1, 2022 received 300 EUR from River Trust" in history
    assert not any("Ministry of Water" in line for line in history)


def test_junk_refs_never_merge_and_ids_come_from_names(river):
    _, out, data = river
    by_name = {p["name"]: p for p in data["partners"]}
    # ref=";" on 'Pharma Holdings plc' and 'Chad Rural Aid': two partners, no identifier from ';'
    assert by_name["Pharma Holdings plc"]["id"] == "pharma-holdings-plc" and "identifiers" not in by_name[
        "Pharma Holdings plc"]
    assert by_name["Chad Rural Aid"]["id"] == "chad-rural-aid" and "identifiers" not in by_name["Chad Rural Aid"]
    assert not any(i.endswith(":;") or i == "iati:" for p in data["partners"] for i in p.get("identifiers", []))
    line = next(li for li in out.splitlines() if "refs that are no organisation identifier" in li)
    assert int(line.split()[0]) == 2 and 'ref=";"' in line
    # the other publishers' activities (C, D) are left out, and the organisations only they name
    assert "Far Away Group" not in by_name and "Aid Aggregator" not in by_name
    assert next(li for li in out.splitlines() if "activities of other publishers" in li).split()[0] == "2"


def test_a_role_word_is_no_name_and_the_summary_says_which_checks_to_set(river, tmp_path):
    book, out, _ = river
    assert "suspect-name" in out and "'Implementing' (a role word" in out
    assert "checks you may want to set:" in out and "`suspect-name: ignore`" in out
    copy = Handbook(tmp_path)
    copy.write("network/all.json", book.run("partnerbook", "export", "network").stdout)
    warned = copy.check("network", "--strict")
    assert warned.returncode == 2
    assert warned.stdout.count("[suspect-name]") == 1
    assert "partner 'implementing' ('Implementing') looks like a role word or a table word, not a name" in warned.stdout
    assert copy.check("network", "--strict", "--check", "suspect-name=ignore").returncode == 0


def test_a_secondary_reporter_is_no_party(tmp_path):
    book = Handbook(tmp_path)
    # activity C: the aggregator reports (secondary-reporter="1"); River Trust is its one extending organisation
    result = book.run("partnerbook", "import", "iati", str(RULES), "--publisher", "Aid Aggregator", "-o", "n")
    assert result.returncode == 0, result.stderr
    data = json.loads(book.run("partnerbook", "export", "n").stdout)
    assert data["network"]["focal"] == "aid-aggregator"
    assert [(f["from"], f["to"], f["amount"]) for f in data["funding"]] == [
        ("river-trust", "hill-farmers-union", 60)]


def test_an_unknown_publisher_is_an_error_naming_the_publishers(tmp_path):
    result = Handbook(tmp_path).run("partnerbook", "import", "iati", str(RULES), "--publisher", "XX-NOBODY-1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--publisher XX-NOBODY-1: no activity in the files is reported by that organisation" in result.stderr
    assert "River Trust (XX-NGO-1)" in result.stderr
    assert not (tmp_path / "network").exists()


def test_import_iati_help_describes_the_iati_options(tmp_path):
    result = Handbook(tmp_path).run("partnerbook", "import", "iati", "--help")
    assert result.returncode == 0
    assert "--publisher REF|NAME" in result.stdout and "outgoing transactions (types 2, 3, 4" in result.stdout
    assert "generated" in result.stdout and "secondary reporter" in result.stdout
    generic = Handbook(tmp_path).run("partnerbook", "import", "csv", "--help")
    assert generic.returncode == 0 and "outgoing transactions" not in generic.stdout


def test_a_suspect_name_never_leads_impact_nor_the_first_actions(tmp_path):
    """'Implementing' alone links Farm and Field to the hub (Bakery links only Mill): by impact it would be
    the worst loss, first on impact/ and named by the first action."""
    book = Handbook(tmp_path)
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="checks:\n  suspect-name: ignore"))
    book.write("content/index.md", "# Home\n")
    book.write("network/network.yml", MINIMAL_NETWORK)
    book.write("network/more.yml", """\
        partners:
          - {id: implementing, name: Implementing, network: ivn, ivn_criteria: [function]}
          - {id: farm, name: Farm, network: ovn, ovn_type: supplier}
          - {id: field, name: Field, network: ovn, ovn_type: supplier}
          - {id: mill, name: Mill, network: ovn, ovn_type: supplier}
          - {id: bakery, name: Bakery, network: ivn, ivn_criteria: [function]}
        relationships:
          - {from: implementing, to: hub, deliverable: Work, nature: tangible}
          - {from: farm, to: implementing, deliverable: Grain, nature: tangible}
          - {from: field, to: implementing, deliverable: Hay, nature: tangible}
          - {from: mill, to: bakery, deliverable: Flour, nature: tangible}
          - {from: bakery, to: hub, deliverable: Bread, nature: tangible}
        """)
    result = book.build()
    assert result.returncode == 0, result.stderr[-2000:]
    first = book.page("impact/").select_one(".pb-impact-ranking tbody tr a.pb-partner").get_text()
    assert first != "Implementing"
    ranked = [a.get_text() for a in book.page("impact/").select(".pb-impact-ranking tbody tr a.pb-partner")]
    assert ranked.index("Implementing") == len(ranked) - 1 and "Implementing" in ranked
    # the first actions name the partner that alone links others: Bakery (links Mill), never Implementing
    top = book.page("health/").select_one("section.pb-top").get_text(" ", strip=True)
    assert "Bakery alone links 1 partner" in top and "Implementing" not in top


def _pax_spending_by_the_rules() -> float:
    """PAX's outgoing payments (3, 4) to others, from the XML: PAX pays whatever provider-org says;
    a disbursement to PAX itself moves nothing."""
    root = ET.parse(REAL).getroot()
    total = 0.0
    for activity in root.iter("iati-activity"):
        if activity.find("reporting-org").get("ref") != PAX:
            continue
        for t in activity.iter("transaction"):
            receiver = t.find("receiver-org")
            if t.find("transaction-type").get("code") in ("3", "4") and (receiver is None or receiver.get("ref") != PAX):
                total += float(t.findtext("value"))
    return total


def test_the_publisher_route_of_the_readme_builds_strict(tmp_path):
    """README, "Bringing your data": new, import --publisher, mkdocs build --strict, nothing added by hand."""
    book = Handbook(tmp_path)
    assert book.run("partnerbook", "new", "hb").returncode == 0
    result = book.run("partnerbook", "import", "iati", str(REAL), "--publisher", PAX, "-o", "hb/network", "--force")
    assert result.returncode == 0, result.stderr
    hb = Handbook(tmp_path / "hb")
    build = hb.build()
    assert build.returncode == 0, build.stderr[-3000:]
    data = json.loads(hb.run("partnerbook", "export").stdout)
    assert data["network"]["focal"] == "pax"
    page = hb.page("funding/")
    # 3 expenditures (1,095,751 + 534,071 + 704,635) and 12 disbursements to partners (22–33); 4 to PAX itself
    assert _rows(page, "spending")["EUR"][5] == money(_pax_spending_by_the_rules())
    roles = hb.page("roles/")
    assert "No partner names its roles yet" in roles.get_text() and not roles.select("table")
    sheets = sorted(p.stem for p in (tmp_path / "hb" / "site" / "workshop" / "scorecard").glob("*/"))
    with_pax = sorted(a["id"] for a in data["agreements"] if "pax" in a["parties"])
    assert sheets == with_pax and len(with_pax) == 4  # PAX's commitments to ABAAD, Amnesty, DefendDefenders; MFA's to PAX
