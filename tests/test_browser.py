"""In headless Chromium (Debian's `chromium`): the partner filter and dark-mode diagrams."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading

import pytest

from conftest import Handbook, ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-gpu"]


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    if os.environ.get("PARTNERBOOK_BROWSER_TESTS") == "0":
        pytest.skip("browser tests switched off with PARTNERBOOK_BROWSER_TESTS=0")
    book = Handbook(tmp_path_factory.mktemp("browser") / "book")
    shutil.copytree(ROOT, book.path, ignore=shutil.ignore_patterns(".venv", "site", ".cache", ".git", "tests"))
    assert book.build().returncode == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(book.path / "site"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()


def visible_partners(page) -> list[str]:
    return page.eval_on_selector_all(
        "tr.pb-partner-row:not([hidden]) td:first-child a", "links => links.map(a => a.textContent)")


def test_filter_reads_and_writes_the_url(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "partners/?network=ovn")
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

    shared = browser.new_page()
    shared.goto(page.url)  # a shared filtered view opens filtered
    shared.wait_for_selector("form.pb-filter:not([hidden])")
    assert visible_partners(shared) == ["Savanna Telecom"]


def test_without_javascript_the_full_list_shows(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "partners/?network=ovn")
    assert len(visible_partners(page)) == 21
    assert page.is_hidden("form.pb-filter")
    context.close()


def test_filter_works_after_instant_navigation(browser, site_url):
    page = browser.new_page()
    page.goto(site_url)
    page.click("nav.md-nav--primary a[href$='partners/']")
    page.wait_for_url("**/partners/")
    page.wait_for_selector("form.pb-filter:not([hidden])")
    page.select_option("select[name=kind]", "funder")
    assert sorted(visible_partners(page)) == ["Digital Commons Fund", "Greenfield Foundation"]


def test_diagram_colours_follow_the_palette(browser, site_url):
    page = browser.new_page()
    page.goto(site_url + "network/")
    page.wait_for_selector("svg.pb-svg")

    def colours():
        return page.evaluate("""() => {
            const svg = document.querySelector('svg.pb-svg');
            const text = svg.querySelector('g.pb-ivn text');
            const box = svg.querySelector('g.pb-ivn polygon, g.pb-ivn path');
            const background = svg.querySelector('g.graph > polygon');
            return [getComputedStyle(text).fill, getComputedStyle(box).fill,
                    background ? getComputedStyle(background).fill : 'none',
                    getComputedStyle(document.body).backgroundColor];
        }""")

    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    light_text, light_box, light_bg, _ = colours()
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark_text, dark_box, dark_bg, dark_page = colours()
    assert light_text != dark_text and light_box != dark_box
    assert dark_text not in ("rgb(0, 0, 0)",)  # not Graphviz's black
    assert light_bg in ("none", "rgba(0, 0, 0, 0)") and dark_bg in ("none", "rgba(0, 0, 0, 0)")  # no white sheet
    brightness = sum(int(x) for x in dark_text[dark_text.index("(") + 1:].split(",")[:3]) / 3
    assert brightness > 150, dark_text  # light text on Material's dark slate page
