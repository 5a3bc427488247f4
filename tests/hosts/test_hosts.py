"""The same handbook under MkDocs 1.6, ProperDocs and Zensical (spec section 7).

Each host builds its own copy of the example handbook and of the `partnerbook new`
starter; the sites must hold the same pages with the same text in the article
(theme chrome aside), and every internal link and SVG link must resolve.
"""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import queue
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BIN, MINIMAL_NETWORK, ROOT, Handbook, free_port, mkdocs_yml
from markdown import Markdown
from partnerbook.formats.export import DOWNLOADS

HOSTS = ("mkdocs", "properdocs", "zensical")
needs_hosts = pytest.mark.skipif(
    not (importlib.util.find_spec("zensical") and importlib.util.find_spec("properdocs")),
    reason="ProperDocs and Zensical are not installed (scripts/setup installs them: pip install -e '.[hosts]')")


def copy_example(target: Path) -> Handbook:
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(
        ".venv*", "site", ".cache", ".partnerbook", ".git", "tests", "node_modules", "test-artifacts",
        "*.egg-info", "benchmarks"))
    return Handbook(target)


def build(book: Handbook, host: str) -> subprocess.CompletedProcess:
    if host == "mkdocs":
        return book.run("mkdocs", "build", "--strict")
    if host == "properdocs":
        config = "properdocs.yml" if (book.path / "properdocs.yml").exists() else "mkdocs.yml"
        return book.run("properdocs", "build", "--strict", "-f", config)
    generated = book.run("partnerbook", "generate")
    assert generated.returncode == 0, generated.stderr
    return book.run("zensical", "build", "--strict")


# -- comparing sites -----------------------------------------------------------

def site_pages(site: Path) -> dict[str, BeautifulSoup]:
    return {path.relative_to(site).as_posix(): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted(site.rglob("index.html"))}


def is_sheet(page: BeautifulSoup) -> bool:
    """A workshop sheet: a document of its own that no host themes (site/workshop.py)."""
    return page.select_one("body.pb-sheet-page") is not None


def article(page: BeautifulSoup):
    found = page.select_one("main.pb-sheet-main" if is_sheet(page) else "article")
    assert found is not None
    return found


def article_text(page: BeautifulSoup) -> str:
    """What a reader reads in the article: no permalink signs, SVG or scripts; no whitespace
    (the hosts' code highlighters split tokens differently)."""
    copy = BeautifulSoup(str(article(page)), "html.parser")
    for element in copy.select("a.headerlink, svg, script, style"):
        element.decompose()
    return re.sub(r"\s+", "", copy.get_text().replace("¶", ""))


def unresolved_links(site: Path, pages: dict[str, BeautifulSoup]) -> list[str]:
    """Links in articles (HTML and SVG) whose file, or whose anchor in it, does not exist."""
    ids: dict[str, set[str]] = {}
    broken = []
    for name, page in pages.items():
        body = article(page)
        links = [a["href"] for a in body.select("a[href]")]
        links += [a["xlink:href"] for a in body.select("svg a[xlink\\:href]")]
        for href in links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
                continue
            path, _, anchor = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path)) if path else name
            file = site / target
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{name}: {href} (no such file)")
                continue
            if anchor and file.suffix == ".html":
                key = file.relative_to(site).as_posix()
                if key not in ids:  # the page as parsed already (pages), or read now (any other HTML file)
                    ids[key] = {e["id"] for e in (pages.get(key) or site_pages_one(file)).select("[id]")}
                if anchor not in ids[key]:
                    broken.append(f"{name}: {href} (no such anchor)")
    return broken


def site_pages_one(file: Path) -> BeautifulSoup:
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def search_entries(site: Path) -> list[dict]:
    """(location, text) entries of the site's search index."""
    index = site / "search" / "search_index.json"  # MkDocs and ProperDocs with Material
    if index.exists():
        return json.loads(index.read_text(encoding="utf-8"))["docs"]
    return json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]  # Zensical


def search_text(site: Path) -> str:
    return json.dumps(search_entries(site))


def assert_same_sites(books: dict[str, Handbook], partner_ids: list[str]) -> None:
    sites = {host: book.path / "site" for host, book in books.items()}
    pages = {host: site_pages(site) for host, site in sites.items()}
    reference = pages["mkdocs"]
    # Every generated page is there (one per partner, eight sections), on every host.
    for partner in partner_ids:
        assert f"partners/{partner}/index.html" in reference
    # Each page's article text worked out once (parsing it is most of this function's time), not once per host.
    reference_texts = {name: article_text(page) for name, page in reference.items()}
    for host, found in pages.items():
        assert sorted(found) == sorted(reference), f"{host} has other pages than mkdocs"
        assert unresolved_links(sites[host], found) == [], host
        texts = reference_texts if found is reference else {name: article_text(page) for name, page in found.items()}
        different = [name for name in reference if texts[name] != reference_texts[name]]
        assert different == [], f"{host}: the text differs from mkdocs on {different}"
        # Diagrams and the section pages' big tables stay out of search on every host.
        text = search_text(sites[host])
        assert "cluster_ivn" not in text and "<svg" not in text, host
        # The role matrix's cells (●) are found where prose shows the view, never on the
        # section pages, whose tables repeat the partner pages.
        cells = {entry["location"] for entry in search_entries(sites[host]) if "●" in entry["text"]}
        assert cells == {entry["location"] for entry in search_entries(sites["mkdocs"]) if "●" in entry["text"]}
        assert not any(location.startswith(("roles/", "partners/")) for location in cells), (host, cells)
        assert any(found[name].select("svg.pb-svg a") for name in found), host
        # partnerbook's stylesheet and script load on every page (Zensical from extra_css/extra_javascript).
        for name, page in found.items():
            if is_sheet(page):  # written by partnerbook as it is: the same bytes whatever the host
                assert (sites[host] / name).read_bytes() == (sites["mkdocs"] / name).read_bytes(), (host, name)
                sheets = [link["href"] for link in page.select('link[rel="stylesheet"]')]
                assert len(sheets) == 2 and all(
                    (sites[host] / posixpath.dirname(name) / href).resolve().is_file() for href in sheets), (host, name)
                continue
            assets = [link["href"] for link in page.select('link[href*="partnerbook.css"]')]
            assets += [script["src"] for script in page.select('script[src*="partnerbook.js"]')]
            assert len(assets) == 2, (host, name)
            for asset in assets:
                assert (sites[host] / posixpath.dirname(name) / asset.split("?")[0]).resolve().is_file(), (host, asset)


def git_clean_after(book: Handbook, host: str) -> list[str]:
    book.run("git", "init", "-q")
    book.run("git", "add", "-A")
    book.run("git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "handbook")
    result = build(book, host)
    assert result.returncode == 0, result.stdout + result.stderr
    status = book.run("git", "status", "--porcelain", "--untracked-files=all").stdout
    return status.splitlines()


# -- the example handbook and the starter on every host ------------------------

@needs_hosts
def test_example_handbook_is_the_same_site_on_every_host(tmp_path):
    books = {host: copy_example(tmp_path / host) for host in HOSTS}
    for host, book in books.items():
        assert git_clean_after(book, host) == [], f"`git status` after a {host} build"
    export = books["mkdocs"].run("partnerbook", "export", "--format", "json")
    partners = [p["id"] for p in json.loads(export.stdout)["partners"]]
    assert len(partners) > 10
    assert_same_sites(books, partners)
    # The stubs Zensical needs are ignored by git and never shown as such.
    stub = (books["zensical"].path / "content" / "partners" / f"{partners[0]}.md").read_text()
    assert "partnerbook:generated" in stub
    assert "partnerbook:generated" not in (books["zensical"].path / "site" / "partners" / partners[0]
                                           / "index.html").read_text()


@needs_hosts
def test_starter_builds_the_same_site_on_every_host(tmp_path):
    books = {}
    for host in HOSTS:
        created = Handbook(tmp_path).run("partnerbook", "new", host, "--host", host)
        assert created.returncode == 0, created.stderr
        assert f"{host} serve" in created.stderr
        books[host] = Handbook(tmp_path / host)
    assert (books["properdocs"].path / "properdocs.yml").is_file()
    assert not (books["properdocs"].path / "mkdocs.yml").exists()
    assert "partnerbook.markdown" in (books["zensical"].path / "mkdocs.yml").read_text()
    # `partnerbook new --host zensical` ran `generate`: the stubs are there.
    assert (books["zensical"].path / "content" / "partners" / "dev-partner.md").is_file()
    for host, book in books.items():
        assert git_clean_after(book, host) == [], f"`git status` after a {host} build"
        assert book.check("--strict").returncode == 0, host  # the CLI reads properdocs.yml too
    assert_same_sites(books, ["us", "dev-partner", "example-funder"])


# -- the Zensical adapter --------------------------------------------------------

@needs_hosts
def test_zensical_page_reads_the_page_zensical_renders():
    """The one use of Zensical's internal rendering context, against the installed Zensical:
    it registers its context as zensical/markdown/render.py does, and we read it back."""
    from partnerbook.markdown import zensical_page
    from zensical.extensions.context import ContextExtension, Page

    config = {"docs_dir": "content"}
    md = Markdown(extensions=[ContextExtension(page=Page(url="partners/x/", path="partners/x.md"), config=config)])
    assert zensical_page(md) == ("partners/x.md", config)
    assert zensical_page(Markdown()) is None  # MkDocs, ProperDocs, plain Markdown: the extension does nothing


def test_extension_under_mkdocs_leaves_pages_to_the_plugin(handbook):
    handbook.write("mkdocs.yml", mkdocs_yml(extra="markdown_extensions:\n  - partnerbook.markdown\n"))
    handbook.write("content/index.md", "# Welcome\n\n```partnerbook\nview: partners\n```\n")
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert len(handbook.page("").select(".pb-partners")) == 1  # one view, not two


def zensical_starter(tmp_path: Path) -> tuple[Handbook, Path]:
    """`partnerbook new --host zensical` (which runs `generate`), and its data file."""
    created = Handbook(tmp_path).run("partnerbook", "new", "book", "--host", "zensical")
    assert created.returncode == 0, created.stderr
    book = Handbook(tmp_path / "book")
    return book, book.path / "network" / "network.yml"


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@needs_hosts
def test_zensical_build_without_stubs_writes_them_and_asks_for_another_build(tmp_path):
    book, _ = zensical_starter(tmp_path)
    (book.path / "content" / "partners" / "dev-partner.md").unlink()
    first = book.run("zensical", "build")
    assert first.returncode != 0
    assert "1 generated page(s) were missing from content/ (e.g. partners/dev-partner.md)" in first.stderr
    assert "Traceback" not in first.stderr + first.stdout
    second = book.run("zensical", "build")
    assert second.returncode == 0, second.stderr
    assert heading(book.page("partners/dev-partner/").decode()) == "Example Developers Ltd"


@needs_hosts
def test_zensical_route_after_a_rename_renders_only_what_changed(tmp_path):
    """`partnerbook generate` after renaming one partner rewrites the stubs of the pages that show
    the name, and `zensical build` then reuses the pages generate made (#28)."""
    book, data = zensical_starter(tmp_path)
    assert book.run("zensical", "build").returncode == 0
    # The stubs and the workshop sheets (pages of their own, written as HTML): what generate writes per page.
    stubs = {path: path.read_bytes() for path in (book.path / "content").rglob("*.md")}
    stubs |= {path: path.read_bytes() for path in (book.path / "content" / "workshop").rglob("*.html")}
    data.write_text(data.read_text().replace("name: Example Developers Ltd", "name: Example Developers Cooperative"))
    generated = book.run("partnerbook", "generate")
    assert generated.returncode == 0, generated.stderr
    rewritten = sorted(path.relative_to(book.path).as_posix() for path, before in stubs.items()
                       if path.read_bytes() != before)
    # the partner's page and the pages that name it; never every page
    assert "content/partners/dev-partner.md" in rewritten
    assert 0 < len(rewritten) < len(stubs) / 2, rewritten
    built = book.run("zensical", "build")
    assert built.returncode == 0, built.stderr
    line = re.search(r"partnerbook: generated (\d+) pages for [^\n]*", built.stderr)
    assert line and line.group(1) == "0" and "; reused " in line.group(0), built.stderr
    assert heading(book.page("partners/dev-partner/").decode()) == "Example Developers Cooperative"


@needs_hosts
def test_zensical_build_after_a_data_edit_without_generate_asks_for_it(tmp_path):
    """Zensical chooses the pages to render before partnerbook sees the data: stubs older than the
    data would leave their pages as they were, so the build stops and says what to run."""
    book, data = zensical_starter(tmp_path)
    assert book.run("zensical", "build").returncode == 0
    data.write_text(data.read_text().replace("name: Example Developers Ltd", "name: Example Developers Cooperative"))
    guide = book.path / "content" / "guide" / "power.md"
    guide.write_text(guide.read_text() + "\nOne more sentence.\n")  # a page Zensical renders again
    stale = book.run("zensical", "build")
    assert stale.returncode != 0
    assert "were older than the data (e.g. " in stale.stderr, stale.stderr
    assert "run `partnerbook generate` before `zensical build`" in stale.stderr
    assert "Traceback" not in stale.stderr + stale.stdout
    # As it says: generate (the stubs are written already; the render stamp changes), then build.
    generated = book.run("partnerbook", "generate")
    assert generated.returncode == 0, generated.stderr
    again = book.run("zensical", "build")
    assert again.returncode == 0, again.stderr
    assert heading(book.page("partners/dev-partner/").decode()) == "Example Developers Cooperative"
    prose = book.page("guide/inner-value-network/").select_one(".pb-partners").get_text()
    assert "Example Developers Cooperative" in prose and "Example Developers Ltd" not in prose


@needs_hosts
def test_zensical_build_stops_on_bad_data_with_file_and_line(tmp_path):
    book, data = zensical_starter(tmp_path)
    line = line_of(data, "from: example-funder, to: us, deliverable: Grant")
    data.write_text(data.read_text().replace("from: example-funder, to: us, deliverable: Grant",
                                             "from: nobody, to: us, deliverable: Grant"))
    result = book.run("zensical", "build")
    assert result.returncode != 0
    assert f"network/network.yml:{line}: error:" in result.stderr, result.stderr
    assert "nobody" in result.stderr and "Traceback" not in result.stderr + result.stdout


class ZensicalServer:
    """`zensical serve` with `partnerbook generate --watch` beside it, as the README runs them."""

    def __init__(self, book: Handbook):
        self.port = free_port()
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
        self.log: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        self.processes = []
        for command in ([str(BIN / "partnerbook"), "generate", "--watch"],
                        [str(BIN / "zensical"), "serve", "-a", f"127.0.0.1:{self.port}"]):
            process = subprocess.Popen(command, cwd=book.path, text=True, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, env=env)
            threading.Thread(target=lambda process=process: [self.log.put(line) for line in process.stdout],
                             daemon=True).start()
            self.processes.append(process)
        self.process = self.processes[-1]

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=10) as response:
            return response.read().decode("utf-8")

    def wait_until(self, path: str, holds, what: str, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        page = ""
        while time.monotonic() < deadline:
            while not self.log.empty():
                self.seen.append(self.log.get())
            assert all(p.poll() is None for p in self.processes), "a process died:\n" + "".join(self.seen[-40:])
            try:
                page = self.get(path)
                if holds(page):
                    return page
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise AssertionError(f"{path} never showed {what}; the log:\n" + "".join(self.seen[-40:]))

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)


def heading(page: str) -> str:
    found = BeautifulSoup(page, "html.parser").select_one("article h1")
    return found.get_text().replace("¶", "").strip() if found else ""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    before = path.stat().st_mtime
    path.write_text(text.replace(old, new))
    # Zensical compares watched files' modification times in whole seconds: two saves
    # within one second look like one to it.
    later = max(time.time(), before) + 1.5
    os.utime(path, (later, later))


@needs_hosts
@pytest.mark.serve
def test_zensical_serve_follows_data_edits_and_survives_bad_data(tmp_path):
    book, data = zensical_starter(tmp_path)
    server = ZensicalServer(book)
    try:
        server.wait_until("partners/dev-partner/", lambda page: heading(page) == "Example Developers Ltd",
                          "the partner's name")
        # An edit to a partner file while serving: the page follows, and a new partner gets its page.
        edit(data, "name: Example Developers Ltd", "name: Renamed Developers Ltd")
        server.wait_until("partners/dev-partner/", lambda page: heading(page) == "Renamed Developers Ltd",
                          "the new name")
        edit(data, "relationships:\n", "  - {id: newcomer, name: Newcomer Org, network: ovn, ovn_type: customer}\n\n"
                                       "relationships:\n  - {from: newcomer, to: us, deliverable: Ideas, "
                                       "nature: intangible}\n")
        server.wait_until("partners/newcomer/", lambda page: heading(page) == "Newcomer Org", "the new partner")
        assert (book.path / "content" / "partners" / "newcomer.md").is_file()  # its stub, written by --watch
        # Broken data: the server lives on, every page shows the problem over the last good data.
        line = line_of(data, "from: newcomer, to: us")
        edit(data, "from: newcomer, to: us", "from: nobody, to: us")
        page = server.wait_until("partners/dev-partner/", lambda page: "pb-serve-errors" in page, "the banner")
        assert f"network/network.yml:{line}: error:" in page
        assert heading(page) == "Renamed Developers Ltd"
        edit(data, "from: nobody, to: us", "from: newcomer, to: us")
        server.wait_until("partners/dev-partner/", lambda page: "pb-serve-errors" not in page
                          and heading(page) == "Renamed Developers Ltd", "the page without the banner")
    finally:
        server.stop()


# -- partnerbook generate -------------------------------------------------------

def test_generate_writes_stubs_removes_orphans_and_never_touches_written_pages(handbook):
    hand_written = "# Maker, in our words\n\nWritten by hand.\n"
    handbook.write("content/partners/maker.md", hand_written)
    first = handbook.run("partnerbook", "generate")
    assert first.returncode == 0, first.stderr
    content = handbook.path / "content"
    stubs = sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md")
                   if "partnerbook:generated" in p.read_text())
    sections = ["agreements", "canvas", "funding", "health", "network", "partners", "power", "roles"]
    # MINIMAL_NETWORK has hub, maker and payer; maker's page is written by hand.
    # ... and the two pages the health report and the partner index link to, outside the nav
    # ... and the workshop index, blank sheets and a Value Network sheet per partner but the focal one
    # ... and the workshop index; the blank sheets and a Value Network sheet per partner but the focal
    # one are documents of their own, no stubs: the hosts copy them as they are
    assert stubs == sorted([f"{s}/index.md" for s in sections] + ["health/all.md", "impact/index.md",
                                                                 "partners/hub.md", "partners/payer.md",
                                                                 "workshop/index.md"])
    sheets = sorted(p.relative_to(content).as_posix() for p in (content / "workshop").rglob("*.html"))
    assert sheets == ["workshop/blank-power/index.html", "workshop/blank-scorecard/index.html",
                      "workshop/blank-value-network/index.html", "workshop/value-network/maker/index.html",
                      "workshop/value-network/payer/index.html"]
    assert all((content / sheet).read_text().startswith("<!DOCTYPE html>\n") for sheet in sheets)
    assert (content / "partners" / "maker.md").read_text() == hand_written
    assert (content / "partners" / "hub.md").read_text().startswith('---\ntitle: "Hub Org"\n---\n')
    for asset in ("assets/partnerbook/partnerbook.css", "assets/partnerbook/partnerbook.js",
                  "assets/partnerbook/partnerbook-print.css",
                  "network/data/partnerbook.json", "network/data/partners.csv"):
        assert (content / asset).is_file(), asset
    ignored = (content / ".gitignore").read_text().splitlines()
    assert "/partners/hub.md" in ignored and "/network/data/partnerbook.json" in ignored
    assert "/partners/maker.md" not in ignored
    assert not (content / "diagrams").exists()  # (the browser makes a diagram's full-size file)
    # the stubs, the sheets, the two stylesheets and the script, the data downloads
    assert all(f"/{sheet}" in ignored for sheet in sheets)
    written = len(stubs) + len(sheets) + 3 + len(DOWNLOADS)
    assert f"{written} written, 0 unchanged, 0 removed" in first.stderr, first.stderr
    # Idempotent: a second run writes nothing.
    mtimes = {p: p.stat().st_mtime_ns for p in content.rglob("*") if p.is_file()}
    second = handbook.run("partnerbook", "generate")
    assert "0 written" in second.stderr and "0 removed" in second.stderr, second.stderr
    assert {p: p.stat().st_mtime_ns for p in content.rglob("*") if p.is_file()} == mtimes
    # A partner leaves the data: its stub goes; the hand-written page stays.
    handbook.write("network/network.yml", MINIMAL_NETWORK.replace(
        "  - id: payer\n    name: Payer Fund\n    kind: funder\n    network: ovn\n    ovn_type: funder\n", "")
        .replace("  - {from: payer, to: hub, deliverable: Money, nature: tangible}\n", "")
        .replace("  - {from: hub, to: payer, deliverable: Reports, nature: intangible}\n", ""))
    third = handbook.run("partnerbook", "generate")
    assert third.returncode == 0, third.stderr
    assert not (content / "partners" / "payer.md").exists()
    assert not (content / "workshop" / "value-network" / "payer.md").exists()
    # payer's two stubs (page and workshop sheet)
    assert "2 removed" in third.stderr, third.stderr
    assert (content / "partners" / "maker.md").read_text() == hand_written
    assert "/partners/payer.md" not in (content / ".gitignore").read_text()
    # MkDocs builds the same folder: the stubs give way to the generated pages.
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert handbook.page("partners/hub/").select_one("h1").get_text().startswith("Hub Org")
    assert "partnerbook:generated" not in (handbook.path / "site" / "partners" / "hub" / "index.html").read_text()
    assert handbook.page("partners/maker/").select_one("h1").get_text().startswith("Maker, in our words")


def test_old_cache_folder_is_moved_and_the_new_one_ignores_itself(handbook):
    first = handbook.build()
    assert first.returncode == 0, first.stderr
    drawn = int(re.search(r"diagrams: (\d+) drawn", first.stderr).group(1))
    assert drawn > 0
    cache = handbook.path / ".partnerbook"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    (handbook.path / ".cache").mkdir()
    cache.rename(handbook.path / ".cache" / "partnerbook")  # as partnerbook 0.1 left it
    second = handbook.build()
    assert f"diagrams: 0 drawn by Graphviz in 0 run(s), {drawn} from cache" in second.stderr, second.stderr
    assert cache.is_dir() and not (handbook.path / ".cache" / "partnerbook").exists()


def test_generate_with_bad_data_names_file_and_line_and_writes_nothing(handbook):
    handbook.write("network/network.yml", MINIMAL_NETWORK.replace("{from: maker, to: hub", "{from: makr, to: hub"))
    line = next(i for i, text in enumerate(MINIMAL_NETWORK.splitlines(), 1) if "{from: maker, to: hub" in text)
    result = handbook.run("partnerbook", "generate")
    assert result.returncode == 1
    assert f"network/network.yml:{line}: error: unknown partner 'makr'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (handbook.path / "content").rglob("*")) == ["index.md"]
    missing = handbook.run("partnerbook", "generate", "network")
    assert missing.returncode == 1 and "no mkdocs.yml or properdocs.yml" in missing.stderr


@needs_hosts
def test_zensical_rebuild_after_a_data_edit_shows_it_on_generated_and_prose_pages(tmp_path):
    """Zensical caches pages by source and configuration: the stub of a changed page changes
    with it, and the watched render stamp makes prose pages with views render again."""
    book, data = zensical_starter(tmp_path)
    assert book.run("zensical", "build").returncode == 0
    edit(data, "name: Example Developers Ltd", "name: Renamed Developers Ltd")
    assert book.run("partnerbook", "generate").returncode == 0
    rebuilt = book.run("zensical", "build")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert heading(book.page("partners/dev-partner/").decode()) == "Renamed Developers Ltd"
    prose = book.page("guide/inner-value-network/").select_one(".pb-partners").get_text()
    assert "Renamed Developers Ltd" in prose and "Example Developers Ltd" not in prose


@needs_hosts
def test_zensical_serve_started_on_bad_data_shows_the_problems_until_fixed(tmp_path):
    book, data = zensical_starter(tmp_path)
    line = line_of(data, "from: example-funder, to: us, deliverable: Grant")
    edit(data, "from: example-funder, to: us", "from: nobody, to: us")
    server = ZensicalServer(book)
    try:
        page = server.wait_until("", lambda page: "pb-serve-errors" in page, "the banner")
        assert f"network/network.yml:{line}: error:" in page
        edit(data, "from: nobody, to: us", "from: example-funder, to: us")
        server.wait_until("partners/dev-partner/", lambda page: "pb-serve-errors" not in page
                          and heading(page) == "Example Developers Ltd", "the partner page without the banner")
    finally:
        server.stop()
