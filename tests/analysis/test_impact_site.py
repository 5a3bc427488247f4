"""Impact on the built site: partner pages' #impact, the impact view, the ranking, and the
health report ranked by impact with check ids the author can set (built with `mkdocs build`)."""

from __future__ import annotations

import re

import pytest
from conftest import Handbook, mkdocs_yml
from test_impact import CONSORTIUM

PROSE = """\
# Home

If Bravo left:

```partnerbook
view: impact
focus: b
```
"""


@pytest.fixture(scope="module")
def consortium(tmp_path_factory) -> Handbook:
    """The 12-partner consortium of test_impact.py, built once for this module."""
    book = Handbook(tmp_path_factory.mktemp("consortium") / "book")
    book.write("mkdocs.yml", mkdocs_yml())
    book.write("content/index.md", PROSE)
    book.write("network/network.yml", CONSORTIUM)
    result = book.build(strict=False)  # the consortium has partners without IVN criteria: warnings
    assert result.returncode == 0, result.stderr[-3000:]
    return book


def texts(elements) -> list[str]:
    return [e.get_text(" ", strip=True) for e in elements]


def prose(element) -> str:
    """The text as read: no space before punctuation that follows a link."""
    return re.sub(r"\s+([.,:;)])", r"\1", element.get_text(" ", strip=True))


def test_partner_page_says_what_the_network_loses(consortium):
    page = consortium.page("partners/b/")
    anchor = page.select_one("div#impact")
    heading = anchor.find_next_sibling("h2")
    assert heading.get_text(strip=True).rstrip("¶") == "If Bravo left"
    section = heading.find_next_sibling("div", class_="pb-impact")
    facts = dict(zip(texts(section.select("dt")), section.select("dd"), strict=False))
    # by hand (test_impact.py): Bravo alone links Charlie, Delta, Echo and Golf to Focal
    cut = facts["Partners cut off"]
    assert cut.select_one("strong").get_text() == "4"
    assert [a["href"] for a in cut.select("a.pb-partner")] == ["../f/", "../c/", "../d/", "../e/", "../g/"]
    assert "a shared project is a weak tie" in cut.get_text()
    assert facts["Projects left without an implementing partner"].get_text(strip=True) == "Pilot"
    assert facts["Projects left without an implementing partner"].select_one("a")["href"] == \
        "../../projects/#project-pilot"
    assert texts(facts["Decisions it takes or shares"].select("a")) == ["Budget", "Plan"]
    assert "(co-decides)" in facts["Decisions it takes or shares"].get_text()
    assert "Would lose a party: F, B and C" in facts["Agreements"].get_text(" ", strip=True)
    assert facts["Exchanges that stop"].get_text(" ", strip=True).startswith("2 tangible, 3 intangible.")
    # Charlie is the only current partner who sells (Old, who did too, has left)
    charlie = consortium.page("partners/c/").select_one(".pb-impact")
    assert "Roles left with no partner Sell" in charlie.get_text(" ", strip=True)


def test_money_on_the_partner_page_is_the_funding_pages_money(consortium):
    section = consortium.page("partners/k/").select_one(".pb-impact")
    header = texts(section.select("table thead th"))
    assert header[1] == "Income lost (Jul 1, 2025 – Jun 30, 2026)"
    # 3,000 USD over the 12 months of 2026: 1,500 by 2026-06-30, 1,500 in the 12 months after
    assert texts(section.select("table tbody td")) == [
        "USD", "1,500 USD (100% of Focal's USD income)", "0 USD", "1,500 USD", "0 USD"]


def test_the_focal_organisation_and_past_partners_have_no_loss_section(consortium):
    focal = consortium.page("partners/f/")
    assert focal.select_one("#impact") is None and "If Focal left" not in focal.get_text()
    old = consortium.page("partners/old/").select_one(".pb-impact")
    assert "not in the network on Jun 30, 2026 (it has left): nothing is lost today" in old.get_text(" ", strip=True)


def test_impact_view_in_prose_and_its_required_focus(consortium, handbook):
    home = consortium.page("").select_one(".pb-impact")
    assert home.select_one("strong").get_text() == "4"
    handbook.write("content/index.md", "# Home\n\n```partnerbook\nview: impact\n```\n")
    result = handbook.build()
    assert result.returncode == 1
    assert "content/index.md:4: error: the impact view needs `focus: PARTNER`" in result.stderr


def test_partners_by_impact_page_is_sorted_worst_first(consortium):
    page = consortium.page("impact/")
    rows = page.select(".pb-impact-ranking tbody tr")
    # Bravo cuts off 4, Hotel and Delta 2 each; two agreements end with Hotel, none with Delta
    # (the build computes the real money, not test_impact's stand-in: Delta brings none). Then
    # Kilo, all of Focal's USD income; Charlie, the only seller; India, whose agreement with
    # Hotel would end; then by exchanges that stop (Alpha 3; Echo, Golf, Juliett 2; Mike none).
    assert [r.select("td")[1].get_text() for r in rows] == [
        "Bravo", "Hotel", "Delta", "Kilo", "Charlie", "India", "Alpha", "Echo", "Golf", "Juliett", "Mike"]
    assert [r.select("td")[2].get_text() for r in rows[:3]] == ["4", "2", "2"]
    # Kilo pays 3,000 USD spread over 2026: 250 a month, January to June in the window up to 2026-06-30
    assert rows[3].select("td")[3].get_text() == "1,500 USD (100%)"
    assert rows[0].select_one("a")["href"] == "../partners/b/#impact"
    index = consortium.page("partners/")
    assert index.select_one('a[href="../impact/"]').get_text() == "partners by impact"


def test_health_report_opens_with_three_findings_and_ranks_items(consortium):
    page = consortium.page("health/")
    top = page.select_one(".pb-health > section")
    assert top["id"] == "finding-top"
    first = top.select("ol > li")
    assert len(first) == 3
    # the single point of failure cutting off most partners comes first, naming Bravo
    assert first[0].select_one("a")["href"] == "#finding-single-point-of-failure"
    assert "Bravo alone links 4 partners to Focal" in first[0].get_text()
    # the three are the first three risk/attention findings of the report, in order
    firing = [s for s in page.select(".pb-health > section.pb-finding")
              if {"pb-risk", "pb-attention"} & set(s["class"])]
    assert [li.select_one("a")["href"] for li in first] == ["#" + s["id"] for s in firing[:3]]
    spof = page.select_one("#finding-single-point-of-failure")
    assert spof.select_one("code.pb-check").get_text() == "single-point-of-failure"
    assert texts(spof.select("li > a")) == ["Bravo", "Hotel", "Delta"]
    assert "— cuts off 4 partners" in spof.select("li")[0].get_text()
    # every finding shows its id; Focal is never listed as a single point of failure
    assert all(s.select_one("code.pb-check") for s in page.select("section.pb-finding[id^=finding-]")
               if s["id"] not in ("finding-top", "finding-changes"))
    assert "Focal" not in texts(spof.select("li > a"))


def test_findings_that_do_not_apply_say_why(consortium):
    page = consortium.page("health/")
    # two scored agreements? none: the consortium's agreements have no scorecard
    thin = page.select_one("#finding-thin-agreement")
    assert "pb-na" in thin["class"] and "not applicable" in thin.get_text()
    assert "No current agreement has a scorecard: completeness not computed." in thin.get_text()


STAR = """\
network: {name: Star, focal: hub, as_of: 2026-01-01}
partners:
  - {id: hub, name: Hub}
%s
relationships:
%s
"""


def star(spokes: int) -> str:
    """`spokes` partners s0… tied to the hub, each the only link of a leaf l0…: all single points of failure."""
    partners = "\n".join(f"  - {{id: s{i:02}, name: Spoke {i:02}, network: ivn, ivn_criteria: [function]}}\n"
                         f"  - {{id: l{i:02}, name: Leaf {i:02}, network: ovn}}" for i in range(spokes))
    ties = "\n".join(f"  - {{from: s{i:02}, to: hub, deliverable: code, nature: tangible}}\n"
                     f"  - {{from: hub, to: s{i:02}, deliverable: advice, nature: intangible}}\n"
                     f"  - {{from: l{i:02}, to: s{i:02}, deliverable: data, nature: tangible}}\n"
                     f"  - {{from: s{i:02}, to: l{i:02}, deliverable: help, nature: intangible}}" for i in range(spokes))
    return STAR % (partners, ties)


def test_and_n_more_links_to_the_full_list(handbook):
    handbook.write("network/network.yml", star(15))
    assert handbook.build().returncode == 0
    spof = handbook.page("health/").select_one("#finding-single-point-of-failure")
    assert len(spof.select("li")) == 12
    more = spof.select_one("a[href*='all']")
    assert more.get_text() == "and 3 more"
    assert more["href"] == "all/#finding-single-point-of-failure"
    full = handbook.page("health/all/").select_one("#finding-single-point-of-failure")
    assert len(full.select("li")) == 15


def test_the_author_sets_findings_to_ignore_warn_or_error(handbook):
    handbook.write("network/network.yml", star(2))
    raised = handbook.check("--check", "single-point-of-failure=error")
    assert raised.returncode == 1
    assert ("network/network.yml:1: error: health: Single points of failure: 2 partners alone link others "
            "to Hub: if one left, the partners it links would lose every path to Hub. "
            "[single-point-of-failure]") in raised.stdout
    warned = handbook.check("--strict", "--check", "single-point-of-failure=warn")
    assert warned.returncode == 2 and "warning: health: Single points of failure" in warned.stdout
    # one-way relationships are an observation (info), never firing: error changes nothing
    assert handbook.check("--strict", "--check", "one-way=error").returncode == 0
    wrong = handbook.check("--check", "single-points=error")
    assert wrong.returncode == 1 and "single-point-of-failure" in wrong.stderr

    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="checks: {single-point-of-failure: error}"))
    failed = handbook.build()
    assert failed.returncode == 1 and "[single-point-of-failure]" in failed.stderr
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="checks: {single-point-of-failure: ignore}"))
    assert handbook.build().returncode == 0
    health = handbook.page("health/")
    assert health.select_one("#finding-single-point-of-failure") is None
    assert "Single points of failure" not in health.get_text()


def test_example_umoja_is_critical_and_its_page_says_why(example):
    section = example.page("partners/umoja-coop/").select_one(".pb-impact")
    facts = dict(zip(texts(section.select("dt")), map(prose, section.select("dd")), strict=False))
    # By hand from network/: FieldBook's only current tie is its offer to Umoja (relationships.yml);
    # it has no funding and no project, so without Umoja it has no path to OpenHarvest.
    assert facts["Partners cut off"].startswith("1 partner would lose every path to OpenHarvest Foundation: "
                                                "FieldBook Inc..")
    # Umoja's roles all have another current partner: customer segments (the Kenyan ministry),
    # channels (AgriNet, Savanna Telecom), customer relationships (AgriNet, Lumen, Smallholder Voices)
    assert facts["Roles left with no partner"] == "None: every role it plays has another current partner."
    assert facts["Projects left without an implementing partner"] == "Tanzania cooperative pilot"
    # the MOU is Umoja's and OpenHarvest's alone; the research partnership keeps OpenHarvest and
    # Terra Firma, the charter (negotiating) six parties
    assert facts["Agreements"] == ("Would end (one party or none left): Pilot memorandum of understanding with "
                                   "Umoja. Would lose a party: Advisory models research partnership, "
                                   "OpenHarvest consortium charter.")
    # funding.yml: OpenHarvest pays Umoja 3,000 USD a quarter from 2024-07-01; in the window
    # 2025-10-02 – 2026-10-01 on 2026-01-01, 04-01, 07-01 and 10-01 (12,000), and as many in
    # the 12 months after (2027-01-01 … 2027-10-01); Umoja pays OpenHarvest nothing
    money = section.select_one("table")
    assert "(Oct 2, 2025 – Oct 1, 2026)" in texts(money.select("thead th"))[1]
    assert texts(money.select("tbody td")) == ["USD", "0 USD", "12,000 USD", "0 USD", "12,000 USD"]
    # relationships.yml: 4 tangible (dashboards, guides, FieldBook's offer, loans), 2 intangible
    assert facts["Exchanges that stop"].startswith("4 tangible, 2 intangible.")


def test_example_money_at_stake_matches_the_funding_data(example):
    def row(partner):
        section = example.page(f"partners/{partner}/").select_one(".pb-impact")
        return texts(section.select("table tbody td"))

    # Kibo: 396,000 USD over the 33 months 2024-03 … 2026-11 = 12,000 a month; November 2025 to
    # October 2026 are in the window (144,000), November 2026 is still to come (12,000)
    assert row("kibo-labs") == ["USD", "0 USD", "144,000 USD", "0 USD", "12,000 USD"]
    # Greenfield: tranche 3 (2026-01-30) in the window, tranche 4 (2027-01-29) committed; of
    # OpenHarvest's 339,000 USD in the window (with Baraka's 12 × 2,000 and Savanna's 15,000),
    # 300,000 ÷ 339,000 = 88%
    assert row("greenfield") == ["USD", "300,000 USD (88% of OpenHarvest Foundation's USD income)", "0 USD",
                                 "300,000 USD", "0 USD"]


def test_example_health_report_opens_with_its_three_most_important_findings(example):
    health = example.page("health/").select_one(".pb-health")
    top = health.select_one("section#finding-top")
    assert top is health.select_one("section")
    firing = [s for s in health.select("section.pb-finding") if {"pb-risk", "pb-attention"} & set(s["class"])]
    assert [li.select_one("a")["href"] for li in top.select("ol > li")] == ["#" + s["id"] for s in firing[:3]]
    # Umoja is the example's one single point of failure besides OpenHarvest itself
    assert prose(top.select("ol > li")[0]).startswith(
        "Single points of failure single-point-of-failure: Umoja Farmers Cooperative Union alone links "
        "1 partner to OpenHarvest Foundation")
