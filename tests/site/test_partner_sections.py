"""A partner page stays small however much a partner does (issue 24, point 6): each long section shows its
first rows (paging.SECTION_ROWS, 100), says how many more and links to the section's own page, which lists
them all. At 3,000 IATI activities the most connected partner's page was 2.25 MB before.

The handbook here: a hub with 400 agreements, 300 projects and 400 payments with the focal organisation,
and 150 partners it alone connects to the rest of the network and pays once each (flows elsewhere).
"""

from __future__ import annotations

import pytest
from conftest import Handbook, mkdocs_yml

AGREEMENTS, PROJECTS, PAYMENTS, LEAVES = 400, 300, 400, 150
YEARS = (2021, 2022, 2023, 2024, 2025)  # payment n is paid in YEARS[n % 5]
SHOWN = 100  # paging.SECTION_ROWS
# The budget: a partner page with one row in each section is 26 KB (theme, navigation, facts, ego diagram);
# here seven lists of 100–151 rows of ~0.2–0.3 KB (relationships, agreements, projects, flows elsewhere,
# payments, history, the lists of "if it left"): ~30 KB each, 210 KB; measured 200 KB. Every row shown
# (400 + 300 + 150 + 550 + 806 + 150 + …) would be over 600 KB.
BUDGET = 256 * 1024


def _data() -> dict[str, str]:
    partners = ["  - {id: home, name: Home Organisation}", "  - {id: hub, name: Hub Cooperative, network: ivn}"]
    partners += [f"  - {{id: leaf-{n:03d}, name: Leaf {n}, network: ovn, ovn_type: other}}" for n in range(LEAVES)]
    agreements = [f"  - {{id: deal-{n:03d}, title: Deal {n}, type: grant, parties: [home, hub], status: signed, "
                  f"signed: {2021 + n % 5}-{1 + n % 12:02d}-{1 + n % 28:02d}, expires: 2027-06-30}}"
                  for n in range(AGREEMENTS)]
    projects = [f"  - {{id: work-{n:03d}, title: Work {n}, partners: {{hub: implementing, home: lead}}, "
                f"since: 2024-01, until: 2027-12}}" for n in range(PROJECTS)]
    funding = [f"  - {{from: home, to: hub, amount: {1000 + n}, currency: EUR, instrument: grant, "
               f"date: {YEARS[n % 5]}-{1 + n % 12:02d}-15, purpose: Tranche {n}}}" for n in range(PAYMENTS)]
    funding += [f"  - {{from: hub, to: leaf-{n:03d}, amount: 500, currency: EUR, date: 2025-03-01, "
                f"purpose: Payout {n}}}" for n in range(LEAVES)]
    relationships = ["  - {from: home, to: hub, deliverable: Core grant, nature: tangible}"]
    relationships += [f"  - {{from: hub, to: leaf-{n:03d}, deliverable: Training {n}, nature: tangible}}"
                      for n in range(LEAVES)]
    return {
        "network/network.yml": "network: {name: Hub test, focal: home}\n",
        "network/partners.yml": "partners:\n" + "\n".join(partners) + "\n",
        "network/agreements.yml": "agreements:\n" + "\n".join(agreements) + "\n",
        "network/projects.yml": "projects:\n" + "\n".join(projects) + "\n",
        "network/funding.yml": "funding:\n" + "\n".join(funding) + "\n",
        "network/relationships.yml": "relationships:\n" + "\n".join(relationships) + "\n",
    }


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Handbook:
    book = Handbook(tmp_path_factory.mktemp("sections"))
    book.write("mkdocs.yml", mkdocs_yml(plugin_options="as_of: 2025-12-31\nworkshop_sheets: false"))
    book.write("content/index.md", "# Home\n")
    for name, text in _data().items():
        book.write(name, text)
    build = book.build(strict=False)
    assert build.returncode == 0, build.stderr[-3000:]
    return book


def _follow(page_url: str, link) -> str:
    """The site URL a relative link on `page_url` points to."""
    href = link["href"].split("#")[0]
    parts = page_url.rstrip("/").split("/")
    for step in href.rstrip("/").split("/"):
        parts = parts[:-1] if step == ".." else [*parts, step]
    return "/".join(parts) + "/"


def test_the_hub_page_stays_under_its_budget(hub):
    size = (hub.path / "site/partners/hub/index.html").stat().st_size
    assert size < BUDGET, size


@pytest.mark.parametrize("section, rows, cell, every", [
    # the agreement's title, the project's title, the payment's purpose
    ("agreements", ".pb-profile-agreements tbody tr", 0, [f"Deal {n}" for n in range(AGREEMENTS)]),
    ("projects", ".pb-profile-projects tbody tr", 0, [f"Work {n}" for n in range(PROJECTS)]),
    ("funding", ".pb-money-payments tbody tr", -1,
     [f"Tranche {n}" for n in range(PAYMENTS)] + [f"Payout {n}" for n in range(LEAVES)]),
])
def test_a_long_section_shows_its_first_rows_and_links_to_its_own_page(hub, section, rows, cell, every):
    total = len(every)

    def names(page) -> list[str]:
        return [row.select("td")[cell].get_text(" ", strip=True) for row in page.select(rows)]

    page = hub.page("partners/hub/")
    shown = names(page)
    assert len(shown) == SHOWN
    more = page.select(f".pb-profile-{section} .pb-capped a")[-1]  # the funding's flows elsewhere come first
    assert more.get_text() == f"…and {total - SHOWN} more on the full list"
    target = _follow("partners/hub", more)
    assert target == f"partners/hub/{section}/"
    full = hub.page(target)
    # the 550 payments go over two parts (paging.SECTION_PAGE_ROWS["funding"] is 500), linked from the first
    parts = [full] + [hub.page(_follow(target.rstrip("/"), a)) for a in full.select(".pb-pager-top a")]
    assert len(parts) == (2 if section == "funding" else 1)
    listed = [name for part in parts for name in names(part)]
    assert sorted(listed) == sorted(every)
    assert listed[:SHOWN] == shown  # the same order: the partner page shows the first rows of the list
    assert not full.select(".pb-capped")


def test_the_history_shows_its_latest_events_and_links_to_the_full_history(hub):
    # Events of the hub, by hand from _data(): each agreement signed and expiring (400 × 2); its 550 payments,
    # more than 10, per year and counterpart are 5 + 150 lines, more than 40: one line per year, direction and
    # currency, 5 received from Home and 1 paid in 2025 (index.funding_events); its relationships are undated.
    events = AGREEMENTS * 2 + len(YEARS) + 1
    page = hub.page("partners/hub/")
    assert len(page.select(".pb-profile-history .pb-history li")) == SHOWN
    # the latest events: every expiry (2027-06-30) is after the last signature (2025)
    assert page.select(".pb-profile-history .pb-history li time")[-1]["datetime"] == "2027-06-30"
    more = page.select_one(".pb-profile-history .pb-capped a")
    assert more.get_text() == f"…{events - SHOWN} earlier events on the full history"
    full = hub.page(_follow("partners/hub", more))
    assert len(full.select(".pb-history li")) == events


def test_if_it_left_names_the_first_partners_cut_off_and_links_to_the_full_lists(hub):
    page = hub.page("partners/hub/")
    impact = page.select_one(".pb-impact")
    cut_off = impact.select_one("dl.pb-impact-list dd")
    # every leaf reaches Home only through the hub: 150 cut off
    assert cut_off.get_text(" ", strip=True).startswith(f"{LEAVES} partners would lose every path")
    assert len([a for a in cut_off.select("a") if "leaf-" in a["href"]]) == SHOWN
    more = cut_off.select_one("a.pb-capped")
    assert more.get_text() == f"…and {LEAVES - SHOWN} more on the full list"
    full = hub.page(_follow("partners/hub", more))
    listed = {a["href"].rstrip("/").rsplit("/", 1)[-1] for a in full.select(".pb-impact-list dd")[0].select("a")}
    assert {f"leaf-{n:03d}" for n in range(LEAVES)} <= listed
    assert not full.select(".pb-capped")


def test_flows_elsewhere_show_the_latest_rows_and_link_to_the_funding_page_of_the_partner(hub):
    # the hub pays each leaf once, in 2025: one row per leaf, "gives to"
    page = hub.page("partners/hub/")
    assert len(page.select(".pb-money-partner-elsewhere tbody tr")) == SHOWN
    more = page.select_one(".pb-profile-funding .pb-money-partner-elsewhere + .pb-capped a")
    assert more.get_text() == f"…and {LEAVES - SHOWN} more on the full list"
    full = hub.page(_follow("partners/hub", more))
    named = [row.select("td")[2].get_text(strip=True) for row in full.select(".pb-money-partner-elsewhere tbody tr")]
    assert sorted(named) == sorted(f"Leaf {n}" for n in range(LEAVES))
