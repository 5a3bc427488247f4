"""Money on real published data: a handbook derived by hand (tests/data/iati-pax.yml) from the IATI
file in tests/data/iati/ (from ../shared/data/iati/), whose figures this test computes again from the XML itself."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, Handbook, mkdocs_yml

# The workplace's real IATI sample (../shared/data/iati/), copied into the repository so a clean clone tests it too.
IATI = ROOT / "tests" / "data" / "iati" / "foodsecurity-dportal.xml"
FIXTURE = Path(__file__).parent.parent / "data" / "iati-pax.yml"
ACTIVITY, PAX = "NL-KVK-30214009-C380", "NL-KVK-30214009"
AS_OF = dt.date(2022, 6, 30)
WINDOW = (dt.date(2021, 7, 1), AS_OF)  # the 12 months up to as_of
REFS = {"XM-DAC-7": "nl-mfa", "NL-KVK-40530953": "amnesty-nl", "LB-MOI-497": "abaad", "UG-NGO-1406": "defenddefenders"}


def transactions() -> list[tuple[str, str, str, dt.date, float, str]]:
    """(type, provider ref, receiver ref, date, value, currency) of the activity, from the XML."""
    root = ET.parse(IATI).getroot()
    activity = next(a for a in root if a.findtext("iati-identifier") == ACTIVITY)
    out = []
    for t in activity.findall("transaction"):
        value = t.find("value")
        provider, receiver = t.find("provider-org"), t.find("receiver-org")
        out.append((t.find("transaction-type").get("code"),
                    provider.get("ref") if provider is not None else None,
                    receiver.get("ref") if receiver is not None else None,
                    dt.date.fromisoformat(t.find("transaction-date").get("iso-date")),
                    float(value.text), value.get("currency") or activity.get("default-currency")))
    return out


def incoming() -> list[tuple]:
    return [t for t in transactions() if t[0] == "1" and t[2] == PAX]


def disbursements() -> list[tuple]:
    return [t for t in transactions() if t[0] == "3" and t[1] == PAX and t[2] != PAX]


def money(value: float, currency: str = "") -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return f"{text} {currency}".strip()


@pytest.fixture(scope="module")
def pax(tmp_path_factory) -> Handbook:
    book = Handbook(tmp_path_factory.mktemp("iati") / "book")
    book.write("mkdocs.yml", mkdocs_yml())
    book.write("content/index.md", "# PAX\n")
    book.write("network/pax.yml", FIXTURE.read_text(encoding="utf-8"))
    result = book.build()
    assert result.returncode == 0, result.stderr[-3000:]
    return book


def test_the_fixture_holds_the_activitys_payments():
    """The hand-made YAML says what the XML says: every incoming fund and disbursement, no other."""
    import yaml

    flows = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))["funding"]
    written = sorted((f["from"], f["to"], dt.date.fromisoformat(str(f["date"])), float(f["amount"]), f["currency"])
                     for f in flows)
    expected = sorted([(REFS[t[1]], "pax", t[3], t[4], t[5]) for t in incoming()]
                      + [("pax", REFS[t[2]], t[3], t[4], t[5]) for t in disbursements()])
    assert written == expected


def _rows(page, kind):
    table = page.select_one(f"table.pb-money-{kind}")
    return {tr["data-currency"]: [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")}


def test_funding_page_figures_match_the_xml(pax):
    page = pax.page("funding/")
    first, last = WINDOW
    income = sum(t[4] for t in incoming() if first <= t[3] <= last)
    spending = sum(t[4] for t in disbursements() if first <= t[3] <= last)
    rows = _rows(page, "income")["EUR"]
    assert rows[1] == money(income, "EUR")
    assert rows[3] == "Netherlands – Ministry of Foreign Affairs" and rows[4] == "100%"
    assert rows[6] == money(sum(t[4] for t in incoming() if t[3] <= last), "EUR")
    out = _rows(page, "spending")["EUR"]
    assert out[1] == money(spending, "EUR")
    assert out[4] == f"{spending / income * 100:.0f}%"  # passed on as sub-grants
    years = {tr.select("td")[0].get_text(): [td.get_text() for td in tr.select("td")[1:]]
             for tr in page.select('table.pb-money-years[data-currency="EUR"] tbody tr')}
    for year in {t[3].year for t in incoming() + disbursements()}:
        assert years[str(year)][0] == money(sum(t[4] for t in incoming() if t[3].year == year))
        assert years[str(year)][2] == money(sum(t[4] for t in disbursements() if t[3].year == year))


def test_recipients_and_their_pages_match_the_xml(pax):
    first, last = WINDOW
    page = pax.page("funding/")
    table = page.select_one('table.pb-money-spending-counterparts[data-currency="EUR"]')
    shown = {tr.select_one("a")["href"].strip("./").split("/")[-1]: [td.get_text() for td in tr.select("td")]
             for tr in table.select("tbody tr")}
    for ref, partner_id in REFS.items():
        theirs = [t for t in disbursements() if t[2] == ref]
        if not theirs:
            continue
        assert shown[partner_id][1] == money(sum(t[4] for t in theirs if first <= t[3] <= last))
        assert shown[partner_id][3] == money(sum(t[4] for t in theirs))
        profile = pax.page(f"partners/{partner_id}/")
        years = {tr.select("td")[0].get_text(): tr.select("td")[3].get_text()
                 for tr in profile.select("table.pb-money-partner-years tbody tr")}
        assert years == {str(y): money(sum(t[4] for t in theirs if t[3].year == y)) for y in {t[3].year for t in theirs}}
        history = [li.get_text(" ", strip=True) for li in profile.select(".pb-history li")]
        day = theirs[0][3]  # the history writes dates as English does: Feb 8, 2021
        assert f"{day:%b} {day.day}, {day.year} received {money(theirs[0][4], 'EUR')} from PAX" in history
