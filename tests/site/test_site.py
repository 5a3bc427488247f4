"""The generated site: pages, links, numbers, escaping, overrides (built with `mkdocs build`)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import yaml
from conftest import mkdocs_yml

SECTIONS = ["partners", "roles", "network", "agreements", "funding", "power", "canvas", "health"]


def h1(page) -> str:
    heading = page.select_one("h1")
    for permalink in heading.select("a.headerlink"):
        permalink.decompose()
    return heading.get_text()


def broken_links(site: Path) -> list[str]:
    """Every relative href / xlink:href / src in the site that points at no file."""
    broken = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        base = "/" + page.relative_to(site).as_posix()
        for url in re.findall(r'(?:href|xlink:href|src)="([^"#][^"]*|#[^"]*)"', text):
            parsed = urlparse(url)
            if parsed.scheme or url.startswith(("#", "//", "mailto:")):
                continue
            target = urlparse(urljoin(base, url)).path
            path = site / target.lstrip("/")
            if target.endswith("/"):
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {url}")
    return broken


def test_every_page_of_the_example_exists_and_no_link_is_broken(example):
    site = example.path / "site"
    for section in SECTIONS:
        assert (site / section / "index.html").is_file(), section
    for data in (example.path / "network").glob("*.yml"):
        for partner in yaml.safe_load(data.read_text()).get("partners") or ():
            # A partner marked internal has no page in the public edition (the internal one has it).
            page = site / "partners" / partner["id"] / "index.html"
            assert page.is_file() == (partner.get("visibility") != "internal"), partner["id"]
    assert broken_links(site) == []


def test_build_log_says_what_was_generated(example):
    # 8 sections, projects (network/projects.yml has one), the health report's full lists and
    # partners by impact, 21 partners
    assert re.search(r"INFO    -  partnerbook: generated 32 pages for 21 partners in [\d.]+ s", example.log)


def test_partner_pages_are_not_in_the_sidebar_but_sections_are(example):
    nav = example.page("partners/").select_one("nav.md-nav--primary")
    nav_links = {a.get("href") for a in nav.select("a")}
    assert "../roles/" in nav_links and "../health/" in nav_links
    assert not any("kibo-labs" in (href or "") for href in nav_links)


def test_partners_index_groups_focal_ivn_ovn_with_filter_data(example):
    page = example.page("partners/")
    groups = [th.get_text(" ", strip=True) for th in page.select("tr.pb-group-row th")]
    assert groups == ["Focal organisation (1)", "Inner value network (IVN) (10)", "Outer value network (OVN) (10)"]
    rows = page.select("tr.pb-partner-row")
    assert rows[0].select_one("a").get_text() == "OpenHarvest Foundation"
    kibo = next(r for r in rows if r.select_one("a")["href"] == "kibo-labs/")
    assert kibo["data-network"] == "ivn" and kibo["data-kind"] == "business"
    assert kibo["data-roles"] == "key-activities key-resources"
    assert kibo["data-tags"] == '["software", "mobile"]'
    form = page.select_one("form.pb-filter")
    assert form.has_attr("hidden")  # shown by the script; without JavaScript the full list stays


def test_partner_profile(example):
    page = example.page("partners/kibo-labs/")
    text = page.get_text(" ", strip=True)
    assert h1(page) == "Kibo Labs"
    assert "✓ develops" in text and "✗ function" in text
    assert [a.get_text() for a in page.select(".pb-profile-facts a.pb-role")] == ["Key activities", "Key resources"]
    assert page.select_one(".pb-profile-facts a.pb-role")["href"] == "../../roles/#role-key-activities"
    relationships = page.select(".pb-profile-relationships tbody tr")
    assert len(relationships) == 5
    assert relationships[0].select_one("a.pb-partner")["href"] == "../openharvest/"
    agreements = page.select(".pb-profile-agreements tbody tr")
    assert agreements[0].select_one("a.pb-agreement")["href"] == "../../agreements/#agreement-kibo-contract"
    funding = page.select_one(".pb-profile-funding").get_text(" ", strip=True)
    # the contract: 396,000 USD over the 33 months 2024-03 … 2026-11 = 12,000 a month; the window
    # 2025-10-02 … 2026-10-01 holds November 2025 … October 2026
    assert "396,000 USD" in funding
    assert "OpenHarvest Foundation pays Kibo Labs 144,000 USD in the window (384,000 USD all time; " \
        "12,000 USD committed in the next 12 months)" in funding
    decisions = {tr.select_one("a").get_text(): [td.get_text() for td in tr.select("td")[1:]]
                 for tr in page.select(".pb-profile-decisions tbody tr")}
    assert decisions["Product roadmap priorities"] == ["consulted", "co-decides"]


def test_scorecard_completeness_numbers(example):
    page = example.page("agreements/")
    completeness = {a.get_text(): tr.select_one("[data-completeness]").get_text()
                    for tr in page.select(".pb-agreements > table tbody tr") for a in tr.select("a.pb-agreement")}
    # kibo-contract: 16 elements stated, 1 n/a -> 19 counted; full 11, partial 3 -> 12.5 / 19
    assert completeness["Field app development contract"] == "66%"
    # umoja-mou: full 2, partial 3, 13 left out -> 3.5 / 20
    assert completeness["Pilot memorandum of understanding with Umoja"] == "18%"
    # commons-core-grant has no scorecard: not scored (never 0%)
    assert completeness["Core maintenance grant 2023–2025"] == "not scored"
    diagram_links = {a["xlink:href"] for a in page.select_one("svg.pb-svg").select("a[xlink\\:href]")}
    assert {"./#agreement-kibo-contract", "../partners/kibo-labs/"} <= diagram_links
    section = page.select_one("#agreement-kibo-contract")
    assert section.select_one(".pb-completeness").get_text() == "66%"
    from analysis.test_scorecard import ratings_by_column

    ratings = ratings_by_column(page.select_one(".pb-scorecard-matrix table"), "Field app development contract")
    assert ratings["Why: Vision"] == "○missing" and ratings["Why: Principles"] == "–n/a"
    assert ratings["How: Governance"] == "○missing (not stated)"


def _money_rows(page, kind: str) -> dict[str, list[str]]:
    table = page.select_one(f"table.pb-money-{kind}")
    return {tr["data-currency"]: [td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in table.select("tbody tr")}


def test_funding_page_keeps_income_spending_and_elsewhere_apart(example):
    page = example.page("funding/")
    text = page.select_one(".pb-window").get_text(" ", strip=True)
    assert "the 12 months from Oct 2, 2025 to Oct 1, 2026 (the snapshot date)" in text
    income = _money_rows(page, "income")
    # window 2025-10-02 … 2026-10-01 (network/funding.yml): Greenfield's tranche of 2026-01-30 300,000,
    # Baraka 2,000 a month × 12 (2025-11 … 2026-10), Savanna's yearly 15,000 of 2026-02
    assert income["USD"][1] == "339,000 USD"
    assert income["USD"][3] == "Greenfield Foundation" and income["USD"][4] == "88%"  # 300,000 / 339,000
    assert income["USD"][5] == "7,901"  # (300² + 24² + 15²) / 339² × 10,000
    # the tranche of 2027-01-29 + Baraka 24,000 (2026-11 … 2027-10) + Savanna's 2027-02 15,000
    assert income["USD"][7] == "339,000 USD"
    assert income["USD"][8] == "8,000 USD (1)"  # Terra Firma's undated in-kind help
    # EUR: the core grant's last instalment (2025-02-14) is before the window
    assert income["EUR"][1] == "0 EUR" and income["EUR"][6] == "150,000 EUR"
    spending = _money_rows(page, "spending")
    # Kibo 12,000 × 12 + AgriNet 5,000 × 12 + Umoja 3,000 × 4 quarters (2026-01, -04, -07, -10)
    assert spending["USD"][1] == "216,000 USD" and spending["USD"][4] == "64%"  # 216,000 / 339,000
    # DataKiln 1,500 × 12 + the registry membership of 2026-05
    assert spending["EUR"][1] == "19,200 EUR"
    elsewhere = _money_rows(page, "elsewhere")
    # Greenfield → Umoja 20,000 (2026-03-10); Commons Fund → GeoStack 30,000 over 24 months × 12
    assert elsewhere["USD"][1] == "20,000 USD" and elsewhere["EUR"][1] == "15,000 EUR"
    commitments = _money_rows(page, "commitments")
    # EUR: DataKiln 2026-11 … 2027-01 4,500 + membership 2027-05 1,200; no EUR income expected
    assert commitments["EUR"][1:3] == ["5,700 EUR", "0 EUR"] and commitments["EUR"][4] == "no income expected"
    years = {tr.select("td")[0].get_text(): [td.get_text() for td in tr.select("td")[1:]]
             for tr in page.select('table.pb-money-years[data-currency="USD"] tbody tr')}
    # 2027: Greenfield's last tranche + Baraka 2,000 × 10 (to the 2027-10-01 horizon) + Savanna 15,000
    assert years["2027"][1] == "335,000"
    assert page.select_one('figure.pb-year-figure[data-currency="USD"] svg title').get_text().startswith(
        "Income and spending of OpenHarvest Foundation per year, USD")


def test_largest_funder_share_is_the_same_string_everywhere(example):
    funding = example.page("funding/")
    top = funding.select_one('table.pb-money-income tr[data-currency="USD"]')
    share = top.select_one(".pb-share").get_text()
    funder = top.select_one("a.pb-partner")["href"].strip("./").split("/")[-1]
    health = example.page("health/").get_text(" ", strip=True)
    assert f"Greenfield Foundation gives {share} of OpenHarvest Foundation's USD income in the window" in health
    partner = example.page(f"partners/{funder}/")
    assert partner.select_one('.pb-money-share[data-currency="USD"] .pb-share').get_text() == share


def test_power_page_highlights_gaps_with_anchors(example):
    page = example.page("power/")
    row = page.select_one("#decision-roadmap")
    gaps = [td.get_text() for td in row.select("td.pb-gap-up")]
    assert "informed → co-decides" in gaps and "excluded → consulted" in gaps


def test_canvas_and_roles(example):
    canvas = example.page("canvas/")
    assert "Polder Analytics" not in canvas.get_text()  # left in 2024
    assert [dt.get_text() for dt in canvas.select(".pb-canvas dt")] == [
        "complementor", "funder", "regulator", "competitor", "supplier", "channel", "customer", "community", "other"]
    roles = example.page("roles/")
    channels = roles.select_one("#role-channels")
    assert [a.get_text() for a in channels.select("a.pb-partner")] == [
        "Umoja Farmers Cooperative Union", "AgriNet Nigeria", "Savanna Telecom"]
    cell = roles.select_one(".pb-role-matrix a.pb-cell")
    assert cell["href"].startswith("../partners/")


HOSTILE = '<script>alert(1)</script> *bold* _it_ [x](javascript:alert(2)) `code` {{ 7*7 }} :smile: "]; URL="javascript:z" \\N'


def test_hostile_names_are_shown_as_text_everywhere(handbook):
    handbook.write("network/network.yml", (handbook.path / "network/network.yml").read_text().replace(
        "name: Maker Co", "name: " + repr(HOSTILE).replace("\\\\", "\\")[1:-1].join(["'", "'"]).replace("\\'", "''")
    ).replace("ivn_criteria: [develops]", "ivn_criteria: [develops]\n    summary: '<img src=x onerror=alert(3)> **loud**'\n"
              "    description: |\n      <script>bad()</script> [link](javascript:alert(4)) and [fine](https://ok.example)"))
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    for url in ("partners/", "partners/maker/", "network/", "roles/", "partners/hub/"):
        page = handbook.page(url)
        main = page.select_one("article") or page
        assert not main.select("script"), url
        assert not main.select("img"), url
        assert not main.select("em") or all(HOSTILE not in em.get_text() for em in main.select("em")), url
        assert not [a for a in main.select("a") if "javascript" in (a.get("href") or "") + (a.get("xlink:href") or "")], url
        assert "49" not in main.get_text().replace("2026", ""), url  # {{ 7*7 }} never evaluated
    maker = handbook.page("partners/maker/")
    assert h1(maker) == HOSTILE
    assert HOSTILE in maker.title.get_text()  # Material prints page titles unescaped: we escape them
    assert not [script for script in maker.select("script") if "alert" in script.get_text()]
    assert [a.get("href") for a in maker.select(".pb-description a")] == [None, "https://ok.example"]
    assert "<script>" not in str(maker.select_one(".pb-description"))
    # In the SVG the node label is the name as text
    svg = handbook.page("network/").select_one("svg.pb-svg")
    labels = " ".join(t.get_text() for t in svg.select("text"))
    assert "<script>alert(1)</scr" in labels and "*bold* _it_" in labels  # long words are broken, labels cut
    # a word joiner (U+2060) keeps Graphviz from expanding "\\N" in tooltips
    tooltips = [(a.get("xlink:title") or "").replace("\u2060", "") for a in svg.select("a")]
    assert f"{HOSTILE} — organisation, inner value network" in tooltips


def test_template_override_and_hand_written_page(handbook):
    handbook.write("templates/canvas.md.j2", "# Our canvas\n\nCustom text for {{ network.info.name }}.\n\n{{ view('canvas') }}\n")
    handbook.write("content/funding/index.md", "# Funding, by hand\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    canvas = handbook.page("canvas/")
    assert h1(canvas) == "Our canvas"
    assert "Custom text for Tiny network." in canvas.get_text()
    assert canvas.select_one(".pb-canvas a.pb-partner")["href"] == "../partners/hub/"
    assert h1(handbook.page("funding/")) == "Funding, by hand"
    assert "funding/index.md is written by hand; it replaces the generated page" in result.stderr


def test_prose_links_to_generated_pages_are_validated(handbook):
    handbook.write("content/index.md", "# Home\n\nSee [Maker](partners/maker.md) and [the roles](roles/index.md).\n")
    assert handbook.build().returncode == 0
    assert handbook.page("").select_one("article a[href='partners/maker/']") is not None
    handbook.write("content/index.md", "# Home\n\nSee [Nobody](partners/nobody.md).\n")
    result = handbook.build()
    assert result.returncode == 1
    assert "Doc file 'index.md' contains a link 'partners/nobody.md', but the target is not found" in result.stderr


def test_prose_links_to_anchors_in_generated_views_are_found(handbook):
    """MkDocs checks a link's anchor against the ids of the page it links to. The ids a view puts in
    (a role's row, the workshop page's sections) count like any other; a missing one is still reported."""
    handbook.write("mkdocs.yml", mkdocs_yml(extra="validation:\n  anchors: warn\n"))
    links = ("See [key activities](roles/index.md#role-key-activities), "
             "[the blank sheets](workshop/index.md#blank-sheets) and [Maker's impact](partners/maker.md#impact).")
    handbook.write("content/index.md", f"# Home\n\n{links}\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert "does not contain an anchor" not in result.stderr, result.stderr
    # the ids are there for a reader too
    assert handbook.page("roles/").select_one("#role-key-activities") is not None
    assert handbook.page("workshop/").select_one("#blank-sheets") is not None
    handbook.write("content/index.md", f"# Home\n\n{links} [Nowhere](roles/index.md#role-nowhere).\n")
    result = handbook.build()
    assert result.returncode == 1
    assert "does not contain an anchor '#role-nowhere'" in result.stderr
    assert result.stderr.count("does not contain an anchor") == 1, result.stderr


def test_plain_mkdocs_theme_and_no_directory_urls(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(theme="mkdocs", extra="use_directory_urls: false\n"))
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    site = handbook.path / "site"
    assert (site / "partners" / "maker.html").is_file()
    assert handbook.page("partners/maker.html").select_one("a.pb-partner")["href"] in ("hub.html", "../partners/hub.html")
    assert broken_links(site) == []


def test_prefix_puts_generated_pages_in_a_folder(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="prefix: ecosystem"))
    handbook.write("content/index.md", "# Home\n\n[Maker](ecosystem/partners/maker.md)\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert (handbook.path / "site/ecosystem/partners/maker/index.html").is_file()
    assert broken_links(handbook.path / "site") == []


def test_every_guide_page_embeds_a_live_view_and_partners_link_back(example):
    guide = sorted((example.path / "content" / "guide").glob("*.md"))
    assert len(guide) == 16  # with foss-communities.md (26), reviewing-changes.md (31), publishing.md (27)
    for source in guide:
        page = example.page(f"guide/{source.stem}/")
        assert page.select("article .pb-view"), source.name
    backlinks = example.page("partners/kibo-labs/").select(".pb-profile-backlinks a")
    assert ("Partnership strategies", "../../guide/strategies/") in [(a.get_text(), a["href"]) for a in backlinks]


def test_snapshot_date_separates_past_partners(example):
    network_svg = example.page("network/").select_one("svg.pb-svg")
    assert "Polder Analytics" not in network_svg.get_text()
    row = next(tr for tr in example.page("partners/").select("tr.pb-partner-row") if "Polder" in tr.get_text())
    assert "pb-past" in row["class"] and "left Jun 2024" in row.get_text()
    polder = example.page("partners/polder-analytics/")
    assert "Mar 2022 – Jun 2024" in polder.select_one(".pb-profile-facts").get_text()
    assert "left the network" in polder.get_text()
    changes = example.page("health/").select_one("#finding-changes").get_text(" ", strip=True)
    assert "Joined: Kijani Credit (Mar 2026)" in changes


def test_broken_template_override_is_reported_without_traceback(handbook):
    handbook.write("templates/canvas.md.j2", "# Canvas\n\n{% if %}\n")
    result = handbook.build()
    assert result.returncode == 1
    assert "templates/canvas.md.j2:3: error: Expected an expression" in result.stderr
    assert "Traceback" not in result.stderr
    handbook.write("templates/canvas.md.j2", "# Canvas\n\n{{ nothing.here }}\n")
    result = handbook.build()
    assert result.returncode == 1
    assert "templates/canvas.md.j2:3: error: 'nothing' is undefined" in result.stderr
    assert "Traceback" not in result.stderr


def test_partner_history_is_dated_and_linked(example):
    page = example.page("partners/kibo-labs/")
    items = page.select(".pb-history li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "Jan 2022 joined the network",
        "Mar 2024 contract of 396,000 USD over Mar 2024 – Nov 2026 began, paid by OpenHarvest Foundation",
        "Mar 1, 2024 signed Field app development contract",
        "Nov 2026 contract of 396,000 USD ends, paid by OpenHarvest Foundation upcoming",  # as_of is 2026-10-01
        "Nov 30, 2026 expiry of Field app development contract upcoming",
    ]
    greenfield = [li.get_text(" ", strip=True) for li in example.page("partners/greenfield/").select(".pb-history li")]
    assert "Jan 31, 2025 paid 300,000 USD to OpenHarvest Foundation" in greenfield
    assert not any("began" in line for line in greenfield)  # a payment is not an arrangement
    assert items[2].select_one("a")["href"] == "../../agreements/#agreement-kibo-contract"
    polder = [li.get_text(" ", strip=True) for li in example.page("partners/polder-analytics/").select(".pb-history li")]
    assert "Jun 2024 left the network" in polder
    assert "Jun 2024 ended: Reporting dashboards, with OpenHarvest Foundation" in polder

