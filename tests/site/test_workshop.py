"""Workshop sheets under workshop/ and the print stylesheet's hooks (built with `mkdocs build`)."""

from __future__ import annotations

import json
import posixpath
import re

import hostile
import yaml
from bs4 import BeautifulSoup
from conftest import MINIMAL_NETWORK, mkdocs_yml

LEVELS = ["excluded", "informed", "consulted", "co-decides", "decides"]  # the participation ladder, in order
RATINGS = ["full", "partial", "missing", "unknown", "n/a"]

MORE = """\
agreements:
  - id: build-deal
    title: Build contract
    type: contract
    parties: [hub, maker]
    status: signed
    scorecard: {who.partners: full, why.vision: partial, how.ip-and-data: unknown, when.exit: n/a, what.roles: missing}
  - id: bare
    title: Handshake
    parties: [hub, payer]
decisions:
  - id: roadmap
    name: Roadmap
    process: The hub drafts it.
    participation:
      hub: decides
      maker: {actual: informed, desired: co-decides}
      payer: consulted
"""


def marked(row) -> list[bool]:
    """Which boxes of a sheet row are marked."""
    return ["pb-box-on" in box.get("class", []) for box in row.select(".pb-box")]


def sheet(page):
    found = page.select_one(".pb-sheet")
    for hint in found.select(".pb-sheet-screen"):  # the on-screen hint shows a sample mark
        hint.decompose()
    return found


def test_value_network_sheet_marks_what_the_data_says(handbook):
    data = MINIMAL_NETWORK.replace("    roles: [key-activities]\n", "    roles: [key-activities]\n"
                                   "    provides: [Code reviews, Release notes]\n    receives: [A contract]\n")
    handbook.write("network/network.yml", data)
    maker = yaml.safe_load(data)["partners"][1]
    assert handbook.build().returncode == 0
    page = sheet(handbook.page("workshop/value-network/maker/"))
    criteria = {row.select_one("code").get_text(): marked(row) for row in page.select("table.pb-sheet-grid tbody tr")}
    assert criteria == {c: [c in maker["ivn_criteria"]] for c in ("develops", "agreement", "function", "joint-planning")}
    lists = page.select("ul.pb-sheet-lines")
    provides = [li.get_text(" ", strip=True) for li in lists[0].select("li") if marked(li) == [True]]
    receives = [li.get_text(" ", strip=True) for li in lists[1].select("li") if marked(li) == [True]]
    assert (provides, receives) == (maker["provides"], maker["receives"])
    choices = page.select(".pb-sheet-choices")
    assert [c.get_text(strip=True) for c in choices[1].select(".pb-choice") if marked(c) == [True]] == ["Key activities"]
    assert marked(choices[0])[:2] == [True, False]  # inner, not outer
    assert "network/network.yml" in page.select_one(".pb-sheet-foot").get_text()
    # the payer is outer, a funder: marked so on its own sheet
    payer = sheet(handbook.page("workshop/value-network/payer/")).select(".pb-sheet-choices")[0]
    ticked = [c.get_text(strip=True) for c in payer.select(".pb-choice") if marked(c) == [True]]
    assert marked(payer)[:2] == [False, True] and ticked == ["funder"]
    # the focal organisation has no sheet: it would describe what it provides to itself
    assert not (handbook.path / "site/workshop/value-network/hub").exists()


def test_scorecard_sheet_marks_todays_ratings_and_nothing_for_unstated(handbook):
    handbook.write("network/more.yml", MORE)
    scorecard = yaml.safe_load(MORE)["agreements"][0]["scorecard"]
    assert handbook.build().returncode == 0
    page = sheet(handbook.page("workshop/scorecard/build-deal/"))
    header = [th.get_text(strip=True) for th in page.select("table.pb-sheet-ratings thead th")]
    assert header == ["Element", *RATINGS, "Notes"]
    rows = {row.select_one("code").get_text(): row for row in page.select("table.pb-sheet-ratings tbody tr")
            if row.select_one("code")}
    assert len(rows) == 20  # the default scorecard's elements (spec section 1)
    for element, row in rows.items():
        expected = [scorecard.get(element) == r for r in RATINGS]
        assert marked(row) == expected, element
        assert ("not stated" in row.get_text()) == (element not in scorecard), element
    # (full 1 + partial ½) ÷ 19 elements that apply (one is n/a) = 8% (unknown and missing score nothing)
    assert "8%" in page.select_one(".pb-sheet-head").get_text()
    # an agreement without a scorecard: nothing marked, "not scored"
    bare = sheet(handbook.page("workshop/scorecard/bare/"))
    assert not bare.select(".pb-box-on") and "not scored" in bare.get_text() and "not stated" not in bare.get_text()


def test_power_sheet_marks_actual_levels_and_notes_the_desired_one(handbook):
    handbook.write("network/more.yml", MORE)
    participation = yaml.safe_load(MORE)["decisions"][0]["participation"]
    assert handbook.build().returncode == 0
    page = sheet(handbook.page("workshop/power/roadmap/"))
    header = [th.get_text(strip=True) for th in page.select("table.pb-sheet-levels thead th")]
    assert header == ["Partner", *LEVELS, "Desired"]
    names = {"hub": "Hub Org", "maker": "Maker Co", "payer": "Payer Fund"}
    rows = [row for row in page.select("table.pb-sheet-levels tbody tr") if row.select_one("a")]
    assert [row.select_one("a").get_text() for row in rows] == [names[pid] for pid in participation]
    for row, (pid, level) in zip(rows, participation.items(), strict=False):
        actual = level["actual"] if isinstance(level, dict) else level
        assert marked(row) == [actual == choice for choice in LEVELS], pid
        desired = level.get("desired") if isinstance(level, dict) else None
        assert row.select("td")[-1].get_text(strip=True) == (f"recorded: {desired}" if desired else ""), pid
    blank_rows = page.select("table.pb-sheet-levels tbody tr")[len(rows):]
    assert blank_rows and all(marked(row) == [False] * 5 for row in blank_rows)


def test_blank_sheets_mark_nothing_and_the_index_reaches_every_sheet(handbook):
    handbook.write("network/more.yml", MORE)
    assert handbook.build().returncode == 0
    for kind in ("value-network", "scorecard", "power"):
        page = sheet(handbook.page(f"workshop/blank-{kind}/"))
        assert page.select(".pb-box") and not page.select(".pb-box-on"), kind
    index = handbook.page("workshop/")
    links = {a.get("href") for a in index.select(".pb-workshop a")}
    # every partner but the focal one, every agreement, every decision, and the three blank sheets
    assert links == {"value-network/maker/", "value-network/payer/", "scorecard/build-deal/", "scorecard/bare/",
                     "power/roadmap/", "blank-value-network/", "blank-scorecard/", "blank-power/"}
    for href in links:
        assert (handbook.path / "site/workshop" / href / "index.html").is_file(), href
    # the index is in the navigation, the sheets are not
    nav = {a.get("href") for a in handbook.page("partners/").select("nav.md-nav--primary a")}
    assert "../workshop/" in nav
    assert not any("value-network/" in (href or "") or "blank-" in (href or "") for href in nav)
    # nor in search: the sheets repeat the partner, agreement and power pages
    search = json.loads((handbook.path / "site/search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in search["docs"]}
    assert any(loc.startswith("workshop/") for loc in locations)
    assert not any(loc.startswith(("workshop/value-network", "workshop/blank-", "workshop/power/")) for loc in locations)


def test_workshop_sheets_can_be_switched_off(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="workshop_sheets: false"))
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert not (handbook.path / "site/workshop").exists()
    assert "workshop pages" not in result.stderr


def test_build_log_counts_the_workshop_pages(handbook):
    handbook.write("network/more.yml", MORE)
    result = handbook.build()
    # the index, three blank sheets, two partners, two agreements and one decision
    assert ", and 9 workshop pages" in result.stderr
    # the other pages are counted as without the sheets
    pages = re.search(r"generated (\d+) pages for 3 partners in", result.stderr).group(1)
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="workshop_sheets: false"))
    without = handbook.build()
    assert f"generated {pages} pages for 3 partners in" in without.stderr and "workshop pages" not in without.stderr


def test_hostile_data_is_text_on_every_sheet(handbook):
    handbook.write("network/network.yml", hostile.DATA)
    result = handbook.build(strict=False)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    for url in ("workshop/", "workshop/value-network/evil/", "workshop/value-network/other/",
                "workshop/scorecard/deal/", "workshop/power/choice/"):
        page = handbook.page(url)
        main = page.select_one("article") or page  # a sheet is a document of its own: all of it
        assert not main.select(".pbpwn, script, img, svg"), url
        assert "49" not in main.get_text().replace("2026", ""), url
    evil = handbook.page("workshop/value-network/evil/")
    assert hostile.NAME in evil.select_one(".pb-sheet-head").get_text()
    assert hostile.DELIVERABLE in evil.select_one("ul.pb-sheet-lines").get_text()
    assert hostile.TITLE in handbook.page("workshop/scorecard/deal/").select_one(".pb-sheet-head").get_text()
    power = handbook.page("workshop/power/choice/")
    assert hostile.PURPOSE in power.select_one(".pb-sheet-head").get_text()
    assert hostile.DECISION in power.select_one("h1").get_text()
    assert hostile.DECISION in power.select_one("title").get_text()  # the document's title, as text


def test_print_stylesheet_is_on_every_page_and_the_canvas_page_is_marked(handbook):
    handbook.write("content/index.md", "# Home\n\n```partnerbook\nview: canvas\n```\n")
    for theme in ("material", "mkdocs"):
        handbook.write("mkdocs.yml", mkdocs_yml(theme=theme))
        assert handbook.build().returncode == 0, theme
        for url in ("", "partners/maker/", "canvas/", "workshop/", "workshop/blank-power/"):
            links = [link.get("href") for link in handbook.page(url).select("link[rel=stylesheet]")]
            assert any(href.endswith("assets/partnerbook/partnerbook-print.css") for href in links), (theme, url)
        # the canvas page prints as one landscape sheet; a canvas inside prose prints as prose
        assert handbook.page("canvas/").select(".pb-canvas.pb-canvas-sheet")
        assert handbook.page("").select(".pb-canvas") and not handbook.page("").select(".pb-canvas-sheet")
    css = (handbook.path / "site/assets/partnerbook/partnerbook-print.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: landscape" in css


def test_above_the_partner_limit_only_inner_partners_get_a_value_network_sheet(handbook):
    # 3 partners (hub, maker, payer) > 2: the inner maker keeps its sheet, the outer payer gets none
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="workshop_partner_limit: 2"))
    assert handbook.build().returncode == 0
    site = handbook.path / "site/workshop"
    assert (site / "value-network/maker/index.html").is_file()
    assert not (site / "value-network/payer").exists()
    index = handbook.page("workshop/").select_one(".pb-workshop")
    assert "more than 2 partners" in index.get_text() and "for the 1 outer partner," in index.get_text()
    assert [a.get("href") for a in index.select("a") if a.get("href").startswith("value-network/")] == ["value-network/maker/"]
    # at the limit, everyone has one and the index says nothing about it
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="workshop_partner_limit: 3"))
    assert handbook.build().returncode == 0
    assert (site / "value-network/payer/index.html").is_file()
    assert "more than" not in handbook.page("workshop/").select_one(".pb-workshop").get_text()


def test_sheets_follow_the_prefix(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(plugin_options="prefix: ecosystem"))
    handbook.write("content/index.md", "# Home\n\n[Sheets](ecosystem/workshop/index.md)\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    sheet_page = handbook.page("ecosystem/workshop/value-network/maker/")
    partner = sheet_page.select_one(".pb-sheet-head a.pb-partner").get("href")
    assert partner == "../../../partners/maker/"  # from ecosystem/workshop/value-network/maker/
    assert (handbook.path / "site/ecosystem/partners/maker/index.html").is_file()
    back = sheet_page.select_one(".pb-sheet-screen a").get("href")
    assert back == "../../" and (handbook.path / "site/ecosystem/workshop/index.html").is_file()


def _resolves(site, page_file: str, href: str) -> str:
    """The site file a relative link of `page_file` reaches (a folder's index.html), or fail."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_file), href.partition("#")[0]))
    path = site / target
    if path.is_dir():
        path = path / "index.html"
    assert path.is_file(), (page_file, href)
    return path.relative_to(site).as_posix()


def test_a_sheet_is_a_page_of_its_own_whose_links_reach_the_site(build_site):
    """No theme around a sheet: a whole document, in the site's language, that opens as the paper it
    prints on; its stylesheets, the partner it names and the way back to the index all resolve,
    with either URL style. Search leaves it out."""
    for directory_urls, language, sheet_file in ((True, "en", "workshop/value-network/maker/index.html"),
                                                 (False, "fr", "workshop/value-network/maker.html")):
        site = build_site({"mkdocs.yml": mkdocs_yml(plugin_options=f"language: {language}",
                                                    extra=f"use_directory_urls: {str(directory_urls).lower()}\n")})
        assert site.result.returncode == 0, site.log
        folder = site.path / "site"
        text = (folder / sheet_file).read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>\n")
        page = BeautifulSoup(text, "html.parser")
        assert page.html["lang"] == language
        assert not page.select("header, nav, footer, script, .md-header, .md-sidebar")
        assert page.title.get_text() == page.h1.get_text() and "Maker Co" in page.title.get_text()
        stylesheets = [link["href"] for link in page.select('link[rel="stylesheet"]')]
        assert sorted(_resolves(folder, sheet_file, href) for href in stylesheets) == [
            "assets/partnerbook/partnerbook-print.css", "assets/partnerbook/partnerbook.css"]
        partner = page.select_one(".pb-sheet-head a.pb-partner")
        assert _resolves(folder, sheet_file, partner["href"]) == (
            "partners/maker/index.html" if directory_urls else "partners/maker.html")
        back = page.select_one(".pb-sheet-screen a")
        assert _resolves(folder, sheet_file, back["href"]) == "workshop/index.html"
        # the index links to the sheet, and search has no entry for it
        index = BeautifulSoup((folder / "workshop/index.html").read_text(encoding="utf-8"), "html.parser")
        hrefs = [a["href"] for a in index.select("ul.pb-sheet-list a")]
        assert sheet_file in [_resolves(folder, "workshop/index.html", href) for href in hrefs]
        search = (folder / "search/search_index.json").read_text(encoding="utf-8")
        assert "value-network/maker" not in search and "Maker Co" in search


def test_the_internal_edition_marks_its_sheets(build_site):
    site = build_site({"mkdocs.yml": mkdocs_yml(plugin_options="edition: internal")})
    assert site.result.returncode == 0, site.log
    sheet = site.page("workshop/blank-power/")
    assert sheet.select_one('head meta[name="robots"]')["content"] == "noindex"
    assert "Internal edition" in sheet.body.find(True).get_text()  # the band, first in the body
    public = build_site()
    assert public.page("workshop/blank-power/").select_one('meta[name="robots"]') is None


def test_a_prose_link_to_a_sheet_source_reaches_the_sheet_and_the_check_says_how_to_write_it(build_site):
    """A sheet has no Markdown source: the plugin points a link to `…/maker.md` at the sheet's file
    (MkDocs follows it, strict), and `partnerbook check` says to write the file's path, which
    Zensical needs (it checks links before any extension runs)."""
    prose = ("# Workshop\n\nPrint [the Maker sheet](workshop/value-network/maker.md#top) and\n"
             "the [blank one](workshop/blank-power/index.html).\n\n"
             "```\n[an example](workshop/value-network/maker.md)\n```\n")
    site = build_site({"content/session.md": prose})
    assert site.result.returncode == 0, site.log
    page = site.page("session/")
    links = {a.get_text(): a["href"] for a in page.select("article a")}
    assert links["the Maker sheet"] == "../workshop/value-network/maker/#top"
    assert links["blank one"] == "../workshop/blank-power/"
    assert "[an example](workshop/value-network/maker.md)" in page.select_one("article pre").get_text()
    check = site.check()
    assert ("content/session.md:3: warning: link 'workshop/value-network/maker.md' is a workshop sheet, a page "
            "of its own written as HTML: write 'workshop/value-network/maker/index.html'") in check.stdout
    assert check.stdout.count("is a workshop sheet") == 1  # not the file link, nor the one in code
