"""Printing, in headless Chromium: pages to PDF (Playwright's `page.pdf`), counted and read with
poppler-utils (`pdfinfo`, `pdftotext`), and rendered to PNG (`pdftoppm`) into test-artifacts/print/
for a look.

The canvas page and each workshop sheet must print on exactly one page, on A4 and on Letter.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup
from conftest import MINIMAL_NETWORK, ROOT, Handbook, open_set_up
from conftest import serve_folder as _serve  # quiet_site_url and browser: conftest, shared with the screen tests

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

ARTIFACTS = Path(os.environ.get("PARTNERBOOK_ARTIFACTS", ROOT / "test-artifacts")) / "print"
POPPLER = ("pdfinfo", "pdftotext", "pdftoppm")
PAPER = {"A4": (595, 842), "Letter": (612, 792)}  # points, portrait


class Served:
    """The example handbook as the browser gets it: its URL, and each page's HTML parsed."""

    def __init__(self, url: str):
        self.url = url

    def page(self, url_path: str) -> BeautifulSoup:
        with urllib.request.urlopen(self.url + url_path) as response:
            return BeautifulSoup(response.read().decode("utf-8"), "html.parser")


@pytest.fixture  # no build of its own (the session's served example): its tests may go to either worker
def example(quiet_site_url):  # nothing printed searches: the example served with an empty search index
    missing = [tool for tool in POPPLER if not shutil.which(tool)]
    assert not missing, f"{missing} not found: install poppler-utils (scripts/setup does)"
    return Served(quiet_site_url), quiet_site_url


class Printed:
    def __init__(self, pdf: Path):
        self.pdf = pdf
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        self.pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
        width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE).groups()
        self.size = (round(float(width)), round(float(height)))
        self.text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout
        # Words printed past the paper's edge (cut off): their boxes leave the page's.
        boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
        self.cut_off = []
        for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.DOTALL):
            width, height = float(page.group(1)), float(page.group(2))
            for x0, y0, x1, y1, word in re.findall(
                    r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>',
                    page.group(3)):
                if float(x0) < 0 or float(y0) < 0 or float(x1) > width + .5 or float(y1) > height + .5:
                    self.cut_off.append(word)
        # One PNG per page, kept for a look.
        subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(pdf.with_suffix(""))], check=True)

    def is_size(self, width: int, height: int) -> bool:
        """Within 2 pt of the paper size (Chromium rounds A4 to whole device pixels)."""
        return abs(self.size[0] - width) <= 2 and abs(self.size[1] - height) <= 2

    def words(self) -> str:
        return " ".join(self.text.split())

    def has(self, text: str) -> bool:
        """The text is on paper, however lines wrap and spaces fall around brackets."""
        return re.sub(r"\s+", "", text) in re.sub(r"\s+", "", self.text)


_CONTEXTS: dict[tuple[int, str], BrowserContext] = {}


def _context(browser, color_scheme: str) -> BrowserContext:
    """One context per colour scheme for the worker's prints (closed with the session's browser): each print
    is a page of its own, and the served site's scripts and styles load once (conftest.serve_folder)."""
    key = (id(browser), color_scheme)
    if key not in _CONTEXTS:
        _CONTEXTS[key] = browser.new_context(color_scheme=color_scheme)
    return _CONTEXTS[key]


def print_page(browser, url: str, name: str, paper: str = "A4", color_scheme: str = "light") -> Printed:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}*"):
        old.unlink()
    page = _context(browser, color_scheme).new_page()
    try:
        open_set_up(page, url)  # loaded, and its diagrams fitted by partnerbook.js (not a wait for a quiet network)
        # The page's own @page size wins (landscape canvas); `format` is the paper in the tray.
        pdf = ARTIFACTS / f"{name}.pdf"
        page.pdf(path=str(pdf), format=paper, prefer_css_page_size=True)
    finally:
        page.close()
    printed = Printed(pdf)
    assert printed.cut_off == [], f"{name}: words past the paper's edge"
    return printed


def nav_only(book, url_path: str) -> list[str]:
    """Labels of the header, sidebars and footer that the page's own content does not contain."""
    page = book.page(url_path)
    article = " ".join(page.select_one("article").get_text(" ").split())
    chrome = page.select("header.md-header, nav.md-nav, footer.md-footer, .md-search")
    labels = {" ".join(node.get_text(" ").split()) for part in chrome for node in part.select("a, label, input")}
    labels |= {node.get("placeholder") for part in chrome for node in part.select("input[placeholder]")}
    found = sorted(label for label in labels if label and len(label) > 4 and label not in article)
    assert len(found) > 5, found  # the page has navigation to leave out
    return found


def screen_text(book, url_path: str, selector: str) -> list[str]:
    """Texts of the elements `selector` picks on the built page, as a screen shows them."""
    page = book.page(url_path)
    return [" ".join(node.get_text(" ").split()) for node in page.select(selector)]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_canvas_prints_on_one_landscape_page(browser, example, paper):
    book, url = example
    url_path = "canvas/"
    printed = print_page(browser, url + url_path, f"canvas-{paper}", paper)
    width, height = PAPER[paper]
    assert printed.pages == 1
    assert printed.is_size(height, width), printed.size  # landscape
    # nothing of the block is cut off: every partner the screen lists is on the paper
    names = screen_text(book, "canvas/", ".pb-canvas a.pb-partner")
    assert len(names) > 10
    for name in names:
        assert printed.has(name), name
    for label in nav_only(book, url_path):
        assert label not in printed.words(), label


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("sheet", ["scorecard/greenfield-grant", "scorecard/umoja-mou", "value-network/kibo-labs",
                                   "value-network/agrinet-ng", "power/roadmap", "power/farmer-data",
                                   "blank-value-network", "blank-scorecard", "blank-power"])
def test_each_workshop_sheet_prints_on_one_portrait_page(browser, example, sheet, paper):
    book, url = example
    url_path = f"workshop/{sheet}/"
    printed = print_page(browser, url + url_path, f"sheet-{sheet.replace('/', '-')}-{paper}", paper)
    assert printed.pages == 1
    assert printed.is_size(*PAPER[paper]), printed.size
    # all of the sheet is on the page: its last words (the foot saying how to type it back) too
    foot = screen_text(book, f"workshop/{sheet}/", ".pb-sheet-foot")[0]
    assert printed.has(foot[-60:])
    assert "partnerbook check" in printed.text
    assert "All workshop sheets" not in printed.text  # the on-screen hint stays on screen
    # A sheet is a document of its own (site/workshop.py): no header, navigation or footer to leave out.
    page = book.page(url_path)
    assert page.select_one("body.pb-sheet-page > main.pb-sheet-main") is not None
    assert not page.select("header, nav, footer, script")
    assert printed.words().startswith(" ".join(page.h1.get_text(" ").split()))


def test_scorecard_sheet_on_paper_has_every_element(browser, example):
    book, url = example
    printed = print_page(browser, url + "workshop/scorecard/greenfield-grant/", "sheet-scorecard-elements")
    elements = screen_text(book, "workshop/scorecard/greenfield-grant/", ".pb-sheet-ratings tbody th code")
    assert len(elements) == 20
    for element in elements:
        assert printed.has(element), element


def test_partner_page_prints_without_navigation_or_link_targets(browser, example):
    book, url = example
    url_path = "partners/kibo-labs/"
    printed = print_page(browser, url + url_path, "partner-kibo-labs")
    words = printed.words()
    assert words.startswith("Kibo Labs") or "Kibo Labs Mobile studio" in words
    for label in nav_only(book, url_path):
        assert label not in printed.words(), label
    assert "http://127.0.0.1" not in printed.text and "(../" not in printed.text
    # tables are not clipped: every deliverable of the relationships table is on paper, whole
    deliverables = screen_text(book, "partners/kibo-labs/", ".pb-profile-relationships tbody td:nth-child(3)")
    assert deliverables
    for deliverable in deliverables:
        assert printed.has(deliverable), deliverable
    # the ego diagram is on paper: every label it draws (whole words: none past the page's edge)
    labels = screen_text(book, url_path, "svg.pb-svg text")
    assert labels
    for label in labels:
        assert printed.has(label), label


def test_health_report_prints_every_finding(browser, example):
    book, url = example
    url_path = "health/"
    printed = print_page(browser, url + url_path, "health")
    # every finding's title and every name it links to is on paper (nothing clipped or hidden)
    texts = screen_text(book, url_path, "article .pb-view a, article .pb-view strong")
    assert len(texts) > 10
    for text in texts:
        assert printed.has(text), text
    for label in nav_only(book, url_path):
        assert label not in printed.words(), label


def test_dark_palette_prints_dark_text_on_white(browser, example):
    """A reader in dark mode prints black on white, not the light-grey text of the slate scheme; a
    workshop sheet, paper on screen too, stays dark on white in the dark scheme, on screen and on paper."""
    _, url = example
    context = browser.new_context(color_scheme="dark")
    colours = []
    try:
        page = context.new_page()
        open_set_up(page, url + "power/")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        page.emulate_media(media="print")
        colours += page.evaluate("""() => ['h1', '.pb-view td', '.pb-view th'].map(
            s => getComputedStyle(document.querySelector(s)).color)""")
        open_set_up(page, url + "workshop/scorecard/greenfield-grant/")
        for media in ("screen", "print"):
            page.emulate_media(media=media)
            colours += page.evaluate("""() => ['h1', '.pb-sheet-head td', '.pb-box'].map(
                s => getComputedStyle(document.querySelector(s)).color)""")
            background = page.evaluate("getComputedStyle(document.querySelector('main')).backgroundColor")
            assert background == "rgb(255, 255, 255)", (media, background)
    finally:
        context.close()
    assert len(colours) == 9
    for colour in colours:
        channels = [float(x) for x in re.findall(r"[\d.]+", colour)[:3]]
        assert max(channels) < 90, colours  # near black


def test_plain_mkdocs_theme_prints_without_its_navbar_and_footer(example, browser, tmp_path):
    book = Handbook(tmp_path / "book")
    shutil.copytree(ROOT / "network", book.path / "network")
    book.write("content/index.md", "# Home\n\nSee [the partners](partners/index.md).\n")
    book.write("mkdocs.yml", "site_name: Plain Theme Handbook\ndocs_dir: content\ntheme:\n  name: mkdocs\n"
                             "plugins:\n  - search\n  - partnerbook\n")
    build = book.build()
    assert build.returncode == 0, build.stderr
    server = _serve(book.path / "site", search=False)
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        partner = print_page(browser, base + "partners/kibo-labs/", "plain-partner-kibo-labs")
        canvas = print_page(browser, base + "canvas/", "plain-canvas")
        sheet = print_page(browser, base + "workshop/scorecard/greenfield-grant/", "plain-sheet-scorecard")
    finally:
        server.shutdown()
    for printed in (partner, canvas, sheet):
        assert "Plain Theme Handbook" not in printed.text  # the navbar's site name
        assert "Documentation built with" not in printed.text  # the footer
        assert "Table of Contents" not in printed.text and "Previous" not in printed.text
        assert "http://127.0.0.1" not in printed.text  # Bootstrap prints each link's url_path; not here
    assert canvas.pages == 1 and canvas.is_size(842, 595), canvas.size
    assert sheet.pages == 1
    # the ratings' header on paper (the Notes heading may come out of the PDF's text beside the head
    # table's last cell, which shares its line)
    assert sheet.has("full partial missing unknown n/a") and sheet.has("Notes")
    assert sheet.has("then run partnerbook check.")
    heading = BeautifulSoup((book.path / "site/partners/kibo-labs/index.html").read_text(), "html.parser").h1
    assert heading.get_text(strip=True) in partner.text




def test_long_sheets_still_print_on_one_page(example, browser, tmp_path):
    """A decision with 36 partners, a partner that provides and receives 14 things, a scorecard of
    30 elements (a config may replace the default 20): each sheet turns dense and keeps to its page."""
    book = Handbook(tmp_path / "book")
    names = [f"Partner number {i} of the long list" for i in range(36)]
    things = [f"Thing number {i} we need" for i in range(14)]
    elements = [f"part{group}.element-{i}" for group in range(5) for i in range(6)]
    partners = "".join(f"  - {{id: p{i}, name: {name}, network: ovn}}\n" for i, name in enumerate(names))
    book.write("network/network.yml", MINIMAL_NETWORK.replace("partners:\n", "partners:\n" + partners, 1).replace(
        "    roles: [key-activities]\n",
        f"    roles: [key-activities]\n    provides: [{', '.join(things)}]\n    receives: [{', '.join(things)}]\n"))
    book.write("network/more.yml", "decisions:\n  - id: big\n    name: A decision many take part in\n"
               "    participation:\n" + "".join(f"      p{i}: {{actual: informed, desired: consulted}}\n"
                                              for i in range(len(names)))
               + "agreements:\n  - {id: deal, title: Deal, parties: [hub, maker], scorecard: {"
               + ", ".join(f"{e}: full" for e in elements) + "}}\n")
    book.write("content/index.md", "# Home\n")
    book.write("mkdocs.yml", "site_name: Long sheets\ndocs_dir: content\ntheme:\n  name: material\n"
               "plugins:\n  - search\n  - partnerbook:\n      scorecard_elements: [" + ", ".join(elements) + "]\n")
    build = book.build(strict=False)  # 36 partners in no relationship: warnings
    assert build.returncode == 0, build.stderr
    server = _serve(book.path / "site", search=False)
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        for path, rows in (("workshop/power/big/", names), ("workshop/value-network/maker/", things),
                           ("workshop/scorecard/deal/", elements)):
            for paper in PAPER:
                printed = print_page(browser, base + path, f"long-{path.split('/')[1]}-{paper}", paper)
                assert printed.pages == 1, (path, paper)
                missing = [row for row in rows if not printed.has(row)]
                assert missing == [] and printed.has("then run partnerbook check."), (path, paper, missing)
    finally:
        server.shutdown()
