"""In headless Chromium (Debian's `chromium`, driven by Playwright): what a reader's browser shows.

The example handbook and a hostile-data handbook are built and served on
localhost. Screenshots go to test-artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import hostile
import pytest
from conftest import ROOT, Handbook, mkdocs_yml  # site_url, quiet_site_url and browser: conftest
from conftest import serve_folder as _serve

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("PARTNERBOOK_ARTIFACTS", ROOT / "test-artifacts")) / "browser"
PAGE_TYPES = {"home": "", "partner": "partners/kibo-labs/", "partners": "partners/", "roles": "roles/",
              "network": "network/", "agreements": "agreements/", "funding": "funding/", "power": "power/",
              "canvas": "canvas/", "health": "health/", "guide": "guide/inner-value-network/",
              "impact": "impact/", "health-all": "health/all/",
              "workshop": "workshop/", "value-network-sheet": "workshop/value-network/kibo-labs/",
              "scorecard-sheet": "workshop/scorecard/umoja-mou/", "power-sheet": "workshop/power/roadmap/"}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    if os.environ.get("PARTNERBOOK_BROWSER_TESTS") == "0":
        pytest.skip("browser tests switched off with PARTNERBOOK_BROWSER_TESTS=0")
    book = Handbook(tmp_path_factory.mktemp("hostile") / "book")
    book.write("mkdocs.yml", mkdocs_yml(extra="theme:\n  name: material\n  font: false\n").replace(
        "theme:\n  name: material\n", "", 1))
    book.write("content/index.md", "# Home\n\n```partnerbook\nview: diagram\n```\n\n"
                                   "```partnerbook\nview: partners\n```\n")
    (book.path / "network").mkdir()
    (book.path / "network" / "network.yml").write_text(hostile.DATA, encoding="utf-8")
    build = book.build(strict=False)
    assert build.returncode == 0, build.stderr
    assert "Traceback" not in build.stderr
    server = _serve(book.path / "site")
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def long_list_url(thousand_partners):
    """The 1,000-partner handbook (conftest's, built once per run for the scale tests too; its own
    520-partner build cost 40 s): its partners index goes on over two pages."""
    if os.environ.get("PARTNERBOOK_BROWSER_TESTS") == "0":
        pytest.skip("browser tests switched off with PARTNERBOOK_BROWSER_TESTS=0")
    build = thousand_partners.result  # (its warnings: the synthetic data's)
    assert build.returncode == 0, build.stderr
    server = _serve(thousand_partners.path / "site", search=False)  # its test searches nothing (conftest)
    yield f"http://127.0.0.1:{server.server_port}/", thousand_partners
    server.shutdown()


class Watched:
    """A page with every console error, uncaught exception, dialog and failed request recorded."""

    def __init__(self, browser, context=None, **context_options):
        """A page of its own context (`context_options`), or a new page of `context`, which it leaves open."""
        self.own = context is None
        self.context = browser.new_context(**context_options) if context is None else context
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        # ERR_ABORTED is a request the test's own next navigation cancelled (a favicon, say).
        self.page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "")
                     and self.problems.append(f"request failed: {r.url} {r.failure}"))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str):
        self.page.goto(url, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def close(self) -> None:
        if self.own:
            self.context.close()
        else:
            self.page.close()


@pytest.fixture(scope="session")  # not "module": conftest's scheduler keeps a module-scoped fixture's readers in one worker
def reader(browser):
    """The default browser context (a reader with the default window), shared by the module's tests that
    ask for no other: each opens pages of its own in it, and Material's scripts and styles, kept by the
    browser (conftest.serve_folder), load once, not once per test. Nothing a test does is kept in it that
    another reads: partnerbook's filters live in the URL, and the palette test has a context of its own."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def watched(browser, reader):
    pages: list[Watched] = []

    def make(**options) -> Watched:
        pages.append(Watched(browser, None if options else reader, **options))
        return pages[-1]

    yield make
    for page in pages:
        page.close()


# -- navigation ------------------------------------------------------------------

def test_clicking_a_node_of_the_network_diagram_opens_the_partner(watched, quiet_site_url):
    w = watched()
    page = w.open(quiet_site_url + "network/")
    page.click("svg.pb-svg a[*|href$='partners/kibo-labs/'] text")
    page.wait_for_url("**/partners/kibo-labs/")
    assert page.text_content("article h1").startswith("Kibo Labs")
    # and in its ego diagram, a counterpart opens the counterpart
    page.wait_for_selector("svg.pb-svg")
    page.click("svg.pb-svg a[*|href$='/openharvest/'] text")
    page.wait_for_url("**/partners/openharvest/")
    assert page.text_content("article h1").startswith("OpenHarvest Foundation")
    w.screenshot("partner-openharvest")
    assert not w.problems


def test_role_matrix_links_open_partners_and_roles(watched, quiet_site_url):
    w = watched()
    page = w.open(quiet_site_url + "roles/")
    cells = page.eval_on_selector_all(
        ".pb-role-matrix table a.pb-partner", "links => links.map(a => [a.textContent, a.getAttribute('href')])")
    assert len(cells) > 20
    for text, href in cells[:: max(1, len(cells) // 6)]:  # a spread of cells, each followed for real
        page.goto(quiet_site_url + "roles/")
        page.click(f".pb-role-matrix table a.pb-partner[href='{href}']")
        page.wait_for_url(re.compile(r".*/partners/[a-z0-9-]+/$"))
        assert page.text_content("article h1").startswith(text.strip())
    page.goto(quiet_site_url + "partners/kibo-labs/")
    page.click("a.pb-role[href$='#role-key-activities']")
    page.wait_for_url("**/roles/#role-key-activities")
    assert page.is_visible("#role-key-activities")
    assert not w.problems


@pytest.mark.parametrize("query, expected", [("Kibo Labs", "Kibo Labs"), ("studio", "Kibo Labs")])
def test_search_finds_a_partner_by_name_and_by_a_summary_word(watched, site_url, query, expected):
    w = watched()
    page = w.open(site_url)
    found = """() => [...document.querySelectorAll('.md-search-result a')]
        .some(a => new URL(a.href).pathname.endsWith('/partners/kibo-labs/'))"""
    # Results come in once the search worker has loaded the index; a query typed
    # before that is answered when it is ready, or on the next keystroke.
    shown = False
    box = page.locator("input.md-search__input")
    for _ in range(3):
        box.fill("")
        box.press_sequentially(query, delay=10)  # real key strokes: Material reads keyup
        try:
            page.wait_for_function(found, timeout=8000)
            shown = True
            break
        except Exception:  # noqa: BLE001  playwright's TimeoutError: the search worker was not ready yet
            continue
    assert shown, (f"no search result for {query!r} leads to Kibo Labs: "
                   + page.evaluate("() => document.querySelector('.md-search-result').innerText.slice(0, 300)"))
    hit = page.eval_on_selector_all(".md-search-result a", """links => links
        .filter(a => new URL(a.href).pathname.endsWith('/partners/kibo-labs/')).map(a => a.textContent)[0]""")
    assert expected in hit and query.split()[0].lower() in hit.lower()
    w.screenshot(f"search-{query.replace(' ', '-')}")
    assert not w.problems


def test_filter_reads_and_writes_the_url(watched, quiet_site_url):
    page = watched().open(quiet_site_url + "partners/?network=ovn")
    page.wait_for_selector("form.pb-filter:not([hidden])")
    ovn = visible_partners(page)
    assert len(ovn) == 10 and "Savanna Telecom" in ovn and "Kibo Labs" not in ovn
    assert page.is_hidden("tr.pb-group-row[data-group=ivn]")
    assert page.text_content(".pb-filter-count") == "10 of 21 partners"

    page.select_option("select[name=network]", "")
    page.select_option("select[name=role]", "channels")
    assert sorted(visible_partners(page)) == ["AgriNet Nigeria", "Savanna Telecom", "Umoja Farmers Cooperative Union"]
    assert page.url.endswith("/partners/?role=channels")

    page.select_option("select[name=tag]", "telecom")
    assert visible_partners(page) == ["Savanna Telecom"]
    assert "role=channels" in page.url and "tag=telecom" in page.url

    shared = watched().open(page.url)  # a shared filtered view opens filtered
    shared.wait_for_selector("form.pb-filter:not([hidden])")
    assert visible_partners(shared) == ["Savanna Telecom"]


def visible_partners(page) -> list[str]:
    return page.eval_on_selector_all(
        "tr.pb-partner-row:not([hidden]) td:first-child a", "links => links.map(a => a.textContent)")


def test_without_javascript_the_full_list_shows(watched, quiet_site_url):
    page = watched(java_script_enabled=False).open(quiet_site_url + "partners/?network=ovn")
    assert len(visible_partners(page)) == 21
    assert page.is_hidden("form.pb-filter")


def test_filter_works_after_instant_navigation(watched, quiet_site_url):
    page = watched().open(quiet_site_url)
    page.click("nav.md-nav--primary a[href$='partners/']")
    page.wait_for_url("**/partners/")
    page.wait_for_selector("form.pb-filter:not([hidden])")
    page.select_option("select[name=kind]", "funder")
    assert sorted(visible_partners(page)) == ["Digital Commons Fund", "Greenfield Foundation"]


# -- palettes ----------------------------------------------------------------------

_COLOURS = """() => {
    // Paint colours on a 1×1 canvas, over the page background, to read what the eye sees
    // (color-mix(), transparency and all).
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', {willReadFrequently: true});
    const paint = (...layers) => {
        ctx.clearRect(0, 0, 1, 1);
        for (const colour of ['#ffffff', ...layers]) {
            if (!colour || colour === 'none') continue;
            ctx.fillStyle = colour;
            ctx.fillRect(0, 0, 1, 1);
        }
        return [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3);
    };
    const style = e => getComputedStyle(e);
    const page = style(document.body).backgroundColor;
    const svg = document.querySelector('svg.pb-svg');
    const out = {scheme: document.body.getAttribute('data-md-color-scheme'), background: paint(page), page,
                 labels: [], lines: [], shapes: [],
                 sheet: [...svg.querySelectorAll('g.graph > polygon')].map(e => style(e).fill)};
    for (const node of svg.querySelectorAll('g.node:not(.pb-past)')) {
        const shape = node.querySelector('polygon, ellipse, path');
        const fill = style(shape).fill;
        const text = node.querySelector('text');
        if (text) out.labels.push([paint(page, fill, style(text).fill), paint(page, fill), text.textContent]);
        out.shapes.push([paint(page, style(shape).stroke), paint(page, fill)]);
    }
    for (const path of svg.querySelectorAll('g.edge path')) out.lines.push(paint(page, style(path).stroke));
    return out;
}"""


def contrast(a: list[float], b: list[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    def luminance(rgb):
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_diagrams_are_legible_in_light_and_dark_palettes(watched, quiet_site_url):
    w = watched(color_scheme="light")
    page = w.open(quiet_site_url + "network/")
    page.wait_for_selector("svg.pb-svg g.node")
    seen = {}
    for _ in range(2):
        colours = page.evaluate(_COLOURS)
        scheme, background = colours["scheme"], colours["background"]
        seen[scheme] = colours
        assert colours["labels"] and colours["lines"] and colours["shapes"]
        assert all(fill in ("none", "rgba(0, 0, 0, 0)", "transparent") for fill in colours["sheet"])  # no white sheet
        for text, behind, label in colours["labels"]:  # WCAG 1.4.3: text 4.5:1 against what is behind it
            assert contrast(text, behind) >= 4.5, (scheme, label, text, behind)
        for line in colours["lines"]:  # WCAG 1.4.11: lines 3:1 against the page
            assert contrast(line, background) >= 3, (scheme, line, background)
        for stroke, fill in colours["shapes"]:  # a node's outline or its fill marks its edge
            assert max(contrast(stroke, background), contrast(fill, background)) >= 3, (scheme, stroke, fill)
        w.screenshot(f"network-{scheme}")
        page.click("form[data-md-component=palette] label:not([hidden])")  # the header's palette toggle
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
        # Material fades the background to the new palette: wait until it has changed and settled.
        before, last = colours["page"], None
        for _ in range(50):
            now = page.evaluate("getComputedStyle(document.body).backgroundColor")
            if now != before and now == last:
                break
            last = now
            page.wait_for_timeout(100)
    assert set(seen) == {"default", "slate"}
    assert seen["default"]["background"] != seen["slate"]["background"], {k: (v["page"], v["background"]) for k, v in seen.items()}
    # the text follows the palette (the focal node's white-on-accent label stays as it is)
    assert [t for t, *_ in seen["default"]["labels"]][1:] != [t for t, *_ in seen["slate"]["labels"]][1:]
    assert not w.problems


# -- every page type: accessibility, console, diagrams ------------------------------

@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_is_accessible_and_quiet(watched, site_url, page_type):
    w = watched()
    page = w.open(site_url + PAGE_TYPES[page_type])
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
    }""")
    assert result == [], "\n".join(result)

    diagrams = page.evaluate("""() => [...document.querySelectorAll('svg.pb-svg')].map(svg => {
        const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        const name = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim();
        // Compare absolute URLs: Material's instant navigation rewrites hrefs in the page.
        const url = a => { const h = a.getAttribute('href') || a.getAttribute('xlink:href'); return h && new URL(h, document.baseURI).href; };
        const inSvg = new Set([...svg.querySelectorAll('a')].map(url).filter(Boolean));
        const inTables = new Set([...document.querySelectorAll('article table a')].map(url));
        const here = new URL(location.pathname, location.href).href;  // an ego diagram's centre is this page
        return {role: svg.getAttribute('role'), name, missing: [...inSvg].filter(h => !inTables.has(h) && h !== here)};
    })""")
    if page_type in ("partner", "network", "funding", "power", "home", "guide"):
        assert diagrams, f"no diagram on the {page_type} page"
    for diagram in diagrams:
        assert diagram["role"] == "img" and len(diagram["name"]) > 10, diagram
        # the table equivalent: every partner a diagram links to is linked from a table on the page
        assert diagram["missing"] == [], diagram
    w.screenshot(f"page-{page_type}")
    assert not w.problems, w.problems


# -- hostile data -------------------------------------------------------------------

HOSTILE_PAGES = ["", "partners/", "partners/evil/", "partners/other/", "partners/home/", "roles/", "network/",
                 "agreements/", "funding/", "power/", "canvas/", "health/"]


def test_hostile_data_shows_as_text_and_never_runs(watched, hostile_url):
    w = watched()
    shown = ""
    for path in HOSTILE_PAGES:
        page = w.open(hostile_url + path)
        state = page.evaluate("""() => ({
            planted: document.querySelectorAll('.pbpwn').length,
            ran: window.pbpwned === undefined ? null : window.pbpwned,
            scriptLinks: [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || a.getAttribute('xlink:href') || '')
                .filter(h => /^\\s*javascript:/i.test(h)),
            text: document.querySelector('article').innerText,
            svgText: [...document.querySelectorAll('svg.pb-svg')].map(s => s.textContent + ' ' +
                [...s.querySelectorAll('title')].map(t => t.textContent).join(' ')).join(' '),
        })""")
        assert state["planted"] == 0 and state["ran"] is None and state["scriptLinks"] == [], (path, state)
        assert "49" not in state["text"].replace("2026", ""), path  # no template was evaluated
        shown += state["text"] + "\n" + state["svgText"] + "\n"
        if path == "partners/evil/":
            assert page.text_content("article h1").strip().startswith(hostile.NAME)
            w.screenshot("hostile-partner")
    for what, literal in hostile.LITERALS.items():
        assert " ".join(literal.split()) in " ".join(shown.split()), f"the {what} is not shown literally"
    assert w.dialogs == [], w.dialogs
    assert not w.problems, w.problems


# -- zoom and small screens -----------------------------------------------------------

_DIAGRAM_STATE = """() => {
    const frame = document.querySelector('.pb-svg-frame');
    const svg = frame.querySelector('svg.pb-svg');
    const label = svg.querySelector('g.node text');
    const box = svg.getBoundingClientRect();
    const fontPx = label.getBoundingClientRect().height;
    return {width: box.width, frameWidth: frame.clientWidth, scrollLeft: frame.scrollLeft,
            scrollWidth: frame.scrollWidth, fontPx, pageOverflow: document.documentElement.scrollWidth - innerWidth,
            tools: !!document.querySelector('.pb-zoom-tools'), focused: document.activeElement === frame};
}"""


def test_diagram_zooms_with_keys_and_buttons_not_the_wheel(watched, quiet_site_url):
    w = watched(viewport={"width": 1400, "height": 1000})
    page = w.open(quiet_site_url + "network/")
    page.wait_for_selector(".pb-zoom-tools")
    start = page.evaluate(_DIAGRAM_STATE)
    page.focus(".pb-svg-frame")
    page.keyboard.press("+")
    bigger = page.evaluate(_DIAGRAM_STATE)
    assert bigger["focused"] and abs(bigger["width"] / start["width"] - 1.25) < 0.02, (start, bigger)
    page.keyboard.press("+")
    page.keyboard.press("ArrowRight")
    panned = page.evaluate(_DIAGRAM_STATE)
    assert panned["scrollLeft"] > bigger["scrollLeft"] and panned["scrollWidth"] > panned["frameWidth"]
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert abs(page.evaluate(_DIAGRAM_STATE)["width"] - start["width"]) < 2
    page.keyboard.press("+")
    page.keyboard.press("0")  # the fit: the whole diagram in its frame, smaller than the readable size it opened at
    fitted = page.evaluate(_DIAGRAM_STATE)
    assert fitted["width"] <= fitted["frameWidth"] + 1 and fitted["width"] <= start["width"], (start, fitted)
    assert start["fontPx"] >= 9, start  # it opened where its labels are readable (issue 25)
    page.click(".pb-zoom-tools button[aria-label^='Zoom in']")
    assert page.evaluate(_DIAGRAM_STATE)["width"] > fitted["width"] * 1.2
    page.click(".pb-zoom-tools button[aria-label^='Fit']")
    # the plain mouse wheel scrolls the page and never zooms
    before = page.evaluate(_DIAGRAM_STATE)["width"]
    page.hover(".pb-svg-frame")
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    assert page.evaluate(_DIAGRAM_STATE)["width"] == before
    assert page.evaluate("window.scrollY") > 0
    assert not w.problems


def test_full_size_link_opens_the_diagram_as_an_svg_file(watched, quiet_site_url):
    """The site ships no file per diagram: the link makes one from the SVG on the page."""
    w = watched()
    page = w.open(quiet_site_url + "partners/kibo-labs/")
    assert page.locator("a.pb-full-size").count() == 1
    assert page.text_content("a.pb-full-size") == "Open the diagram full size (SVG)"
    page.click(".pb-zoom-tools button[aria-label^='Zoom in']")  # the page's zoom does not carry over
    assert not w.problems
    missing = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    with page.expect_navigation():
        page.click("a.pb-full-size")
    assert page.url.startswith("blob:"), page.url
    assert page.evaluate("document.documentElement.tagName.toLowerCase()") == "svg"
    assert page.evaluate("document.documentElement.getAttribute('style')") is None
    assert page.evaluate("document.querySelector('title').textContent") == "Ego network of Kibo Labs"
    # the light palette comes with it (a file has no page CSS)
    assert page.evaluate("getComputedStyle(document.querySelector('.node:not(.pb-focal) text')).fill") == "rgb(34, 34, 34)"
    # its partner links lead to the partner pages
    links = page.evaluate("""[...document.querySelectorAll('a')]
        .map(a => a.getAttributeNS('http://www.w3.org/1999/xlink', 'href')).filter(Boolean)""")
    assert links and all(link.startswith(quiet_site_url) for link in links), links
    assert any(link.endswith("/partners/openharvest/") for link in links), links
    for link in links[:3]:
        assert page.request.get(link).status == 200, link
    # a bare SVG document makes the browser ask for /favicon.ico, which the site has not
    assert all(url.endswith("/favicon.ico") for url in missing), missing


@pytest.mark.parametrize("width", [390, 1400])
def test_network_diagram_on_a_phone_and_a_wide_screen(watched, quiet_site_url, width):
    w = watched(viewport={"width": width, "height": 900}, is_mobile=width < 600, has_touch=width < 600)
    page = w.open(quiet_site_url + "network/")
    page.wait_for_selector(".pb-zoom-tools")
    page.locator("figure.pb-diagram").scroll_into_view_if_needed()
    state = page.evaluate(_DIAGRAM_STATE)
    assert state["pageOverflow"] <= 0, state  # the diagram scrolls in its frame, not the page sideways
    w.screenshot(f"network-diagram-{width}")
    # the text can be enlarged to a readable size
    page.focus(".pb-svg-frame")
    for _ in range(8):
        if page.evaluate(_DIAGRAM_STATE)["fontPx"] >= 12:
            break
        page.keyboard.press("+")
    assert page.evaluate(_DIAGRAM_STATE)["fontPx"] >= 12
    assert page.evaluate(_DIAGRAM_STATE)["pageOverflow"] <= 0
    w.screenshot(f"network-diagram-{width}-zoomed")
    assert not w.problems


def test_zoom_works_after_instant_navigation(watched, quiet_site_url):
    page = watched().open(quiet_site_url)
    page.click("nav.md-nav--primary a[href='network/'], nav.md-nav--primary a[href$='/network/']")
    page.wait_for_url("**/network/")
    page.wait_for_selector(".pb-zoom-tools")
    start = page.evaluate(_DIAGRAM_STATE)["width"]
    page.focus(".pb-svg-frame")
    page.keyboard.press("+")
    assert page.evaluate(_DIAGRAM_STATE)["width"] > start * 1.2
    assert page.locator(".pb-zoom-tools").count() == 1


def test_without_javascript_the_diagram_scrolls_at_its_natural_size(watched, quiet_site_url):
    page = watched(java_script_enabled=False, viewport={"width": 390, "height": 800}).open(quiet_site_url + "network/")
    state = page.evaluate(_DIAGRAM_STATE.replace("const frame", "const frame0").replace(
        "frame0 = document.querySelector('.pb-svg-frame');", "frame0 = document.querySelector('.pb-svg-frame'); const frame = frame0;"))
    assert not state["tools"]
    natural = float(page.get_attribute("svg.pb-svg", "width").removesuffix("pt")) * 4 / 3
    assert abs(state["width"] - natural) < 2 and state["scrollWidth"] > state["frameWidth"]
    assert state["fontPx"] >= 11  # 11 pt labels: readable without zooming
    assert state["pageOverflow"] <= 0


def test_role_matrix_filters_by_role_and_network(watched, quiet_site_url):
    page = watched().open(quiet_site_url + "roles/?role=channels")
    page.wait_for_selector(".pb-role-matrix form.pb-filter:not([hidden])")
    rows = page.eval_on_selector_all(".pb-role-matrix tr.pb-partner-row:not([hidden]) th a",
                                     "links => links.map(a => a.textContent)")
    # the partners whose `roles` include channels, as the filter test on the partners page lists them
    assert sorted(rows) == ["AgriNet Nigeria", "Savanna Telecom", "Umoja Farmers Cooperative Union"]
    page.select_option(".pb-role-matrix select[name=network]", "ovn")
    assert page.eval_on_selector_all(".pb-role-matrix tr.pb-partner-row:not([hidden]) th a",
                                     "links => links.map(a => a.textContent)") == ["Savanna Telecom"]
    # the role columns fit a phone's width: the nine headers run upwards
    page.set_viewport_size({"width": 390, "height": 800})
    widths = page.eval_on_selector_all(".pb-role-matrix thead th[scope=col]:not(:first-child)",
                                       "cells => cells.map(c => c.getBoundingClientRect().width)")
    assert widths and max(widths) < 48, widths


def test_filter_without_a_match_says_so(watched, quiet_site_url):
    page = watched().open(quiet_site_url + "partners/?network=ivn&role=channels")
    page.wait_for_selector("form.pb-filter:not([hidden])")
    assert len(visible_partners(page)) > 0 and page.is_hidden(".pb-no-match")
    page.select_option("select[name=kind]", "funder")  # no IVN funder plays a channels role
    assert visible_partners(page) == []
    assert page.is_visible(".pb-no-match")
    assert page.text_content(".pb-no-match") == "No partner matches these filters."
    assert page.text_content(".pb-filter-count") == "0 of 21 partners"


def test_the_filters_stay_set_on_the_other_pages_of_a_long_list(watched, long_list_url):
    url, book = long_list_url
    reader = watched()
    page = reader.open(url + "partners/?network=ovn")
    page.wait_for_selector("form.pb-filter:not([hidden])")
    links = page.eval_on_selector_all(".pb-pager a", "links => links.map(a => a.getAttribute('href'))")
    assert links and all(link.endswith("?network=ovn") for link in links), links
    page.click(".pb-pager-top a[href*='page-2']")
    page.wait_for_selector("form.pb-filter:not([hidden])")
    assert "/partners/page-2/?network=ovn" in page.url
    assert page.input_value("select[name=network]") == "ovn"
    rows = page.eval_on_selector_all("tr.pb-partner-row", "rows => rows.map(r => [r.dataset.network, r.hidden])")
    # page 2 holds partners 501 to 1,000 (the data files say how many there are), outer ones last
    assert len(rows) == len(list((book.path / "network" / "partners").glob("*.yml"))) - 500
    assert all(hidden == (network != "ovn") for network, hidden in rows), rows
    shown = sum(1 for network, hidden in rows if not hidden)
    assert shown > 0 and page.text_content(".pb-filter-count") == f"{shown} of {len(rows)} partners"
    reader.screenshot("long-list-page-2-filtered")
    # the inner network ends on page 1: page 2 says where to look
    page.select_option("select[name=network]", "ivn")
    assert page.text_content(".pb-no-match") == ("No partner on this page matches these filters; "
                                                 "try the other pages of the list.")
    assert page.is_visible(".pb-no-match")
    page.click(".pb-pager-top a:text-is('1')")
    page.wait_for_selector("form.pb-filter:not([hidden])")
    assert page.url.endswith("/partners/?network=ivn")
    assert page.is_hidden(".pb-no-match") and visible_partners(page)
    # clearing the filter clears the links too
    page.select_option("select[name=network]", "")
    links = page.eval_on_selector_all(".pb-pager a", "links => links.map(a => a.getAttribute('href'))")
    assert links and not any("?" in link for link in links), links
    reader.screenshot("long-list-unfiltered")
