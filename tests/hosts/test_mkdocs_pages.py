"""MkDocs writes a large site's pages in two processes (hosts/mkdocs_pages.py), and the site is the
one a single process writes: tests/build/test_build_cache.py compares every file at 1,000 partners.
Here: links to anchors only the second process's pages hold, a hook that reads every page, two pages
that write one file, a page the second process cannot build, a second process that dies, ProperDocs.

Each build runs in a process of its own: a test worker has threads (xdist's), and a process with
threads never forks (parallel.can_fork)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import PAGES_IN_TWO_PROCESSES, ROOT, Handbook

PARTNERS = 320  # some 340 pages: above the size at which the pages take two processes


def generated_handbook(folder) -> Handbook:
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "handbook", str(PARTNERS), str(folder)],
                   check=True, capture_output=True)
    return Handbook(folder)


def test_anchors_in_either_process_resolve_and_a_hook_on_every_page_keeps_one_process(tmp_path):
    """The pages the second process writes tell MkDocs' link check which anchors they hold. A hook
    sees each page as it is written (`on_post_page`) and may keep what it saw, which a second process
    would take away with it: with one, MkDocs writes every page itself."""
    book = generated_handbook(tmp_path / "book")
    plain = book.run_process("mkdocs", "build")
    assert plain.returncode == 0, plain.stderr[-3000:]
    written = PAGES_IN_TWO_PROCESSES.search(plain.stderr)
    assert written, plain.stderr[-3000:]
    pages = int(written.group(1))
    assert pages > PARTNERS and 0 < int(written.group(2)) < pages

    # An anchor only the page's HTML holds (its diagram's, put in after Markdown): MkDocs checks the
    # links to it once every page is written, and must know of it whichever process wrote the page.
    # The last partner's page is the first the second process writes.
    last = sorted((book.path / "network" / "partners").glob("p*.yml"))[-1].stem
    anchor = re.search(r' id="(pbd1-[0-9a-f]+-title)"', (book.path / "site" / "partners" / last / "index.html")
                       .read_text(encoding="utf-8")).group(1)
    book.write("content/links.md", f"# Links\n\n[The last partner's diagram](partners/{last}.md#{anchor})\n")
    linked = book.run_process("mkdocs", "build")
    written = PAGES_IN_TWO_PROCESSES.search(linked.stderr)
    assert linked.returncode == 0 and written and int(written.group(1)) == pages + 1, linked.stderr[-3000:]
    pages += 1
    assert "does not contain an anchor" not in linked.stderr, linked.stderr[-3000:]
    assert book.page("links/").select_one(f'article a[href="../partners/{last}/#{anchor}"]')

    book.write("hooks/count.py", """\
        seen = []

        def on_post_page(output, page, config):
            seen.append(page.file.src_uri)
            return output.replace("</body>", f"<!-- page {len(seen)} seen by the hook -->\\n</body>")
        """)
    config = book.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - hooks/count.py\n", encoding="utf-8")
    hooked = book.run_process("mkdocs", "build")
    assert hooked.returncode == 0, hooked.stderr[-3000:]
    assert not PAGES_IN_TWO_PROCESSES.search(hooked.stderr), hooked.stderr[-3000:]
    counted = sorted(int(number) for path in (book.path / "site").rglob("*.html")
                     for number in re.findall(r"<!-- page (\d+) seen by the hook -->", path.read_text(encoding="utf-8")))
    assert counted == list(range(1, pages + 1))  # one process saw every page (not the sheets), each once


FAILING_GRAPHVIZ = """\
#!/bin/sh
# Graphviz that cannot draw one diagram: the ego network of the last partner.
input=$(cat)
case "$input" in
  *"Ego network of {name}"*) echo "Error: simulated failure" >&2; exit 1;;
esac
printf '%s' "$input" | exec {real} "$@"
"""


def test_a_page_the_second_process_cannot_build_is_an_error_said_once(tmp_path):
    """The second process takes the pages from the end: the last partner's page is the first it
    builds. Its diagram cannot be drawn, so the page cannot be built there; MkDocs' own process
    builds it again when it reaches it, and reports the error as it would have (once, no traceback)."""
    book = generated_handbook(tmp_path / "book")
    last = sorted((book.path / "network" / "partners").glob("p*.yml"))[-1]
    name = yaml.safe_load(last.read_text(encoding="utf-8"))["partners"][0]["name"]
    fake = tmp_path / "bin"
    fake.mkdir()
    for engine in ("dot", "neato"):
        script = fake / engine
        script.write_text(FAILING_GRAPHVIZ.format(name=name, real=shutil.which(engine)))
        script.chmod(0o755)
    env = {"PATH": f"{Path(sys.executable).parent}:{fake}:/usr/bin:/bin"}
    result = book.run_process("mkdocs", "build", env=env)
    assert result.returncode == 1, result.stderr[-3000:]
    message = f"the diagram “Ego network of {name}” could not be drawn by Graphviz: Error: simulated failure"
    assert result.stderr.count(message) == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert not PAGES_IN_TWO_PROCESSES.search(result.stderr)  # the build stopped at that page

    shutil.rmtree(fake)  # Graphviz as it is: the same build passes, its pages in two processes
    again = book.run_process("mkdocs", "build")
    assert again.returncode == 0, again.stderr[-3000:]
    assert PAGES_IN_TWO_PROCESSES.search(again.stderr), again.stderr[-3000:]
    assert name in book.page(f"partners/{last.stem}/").select_one("article h1").get_text()


@pytest.mark.skipif(not importlib.util.find_spec("properdocs"), reason="ProperDocs is not installed")
def test_properdocs_writes_the_same_site_in_two_processes_as_in_one(tmp_path):
    """The page function stood in for is ProperDocs' own there (its build module, not MkDocs')."""
    two = generated_handbook(tmp_path / "two")
    one = Handbook(tmp_path / "one")
    shutil.copytree(two.path, one.path)
    config = one.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - partnerbook", "  - partnerbook:\n      concurrency: 1"), encoding="utf-8")
    results = [book.run_process("properdocs", "build", "-f", "mkdocs.yml") for book in (one, two)]
    assert [result.returncode for result in results] == [0, 0], results[0].stderr[-3000:] + results[1].stderr[-3000:]
    assert not PAGES_IN_TWO_PROCESSES.search(results[0].stderr) and PAGES_IN_TWO_PROCESSES.search(results[1].stderr)

    def files(book: Handbook) -> dict[str, bytes]:
        site = book.path / "site"
        return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}

    first, second = files(one), files(two)
    assert sorted(first) == sorted(second) and "search/search_index.json" in first
    assert [name for name in first if first[name] != second[name]] == []


def test_two_pages_that_write_the_same_file_leave_the_one_a_single_process_leaves(tmp_path):
    """`partners/<id>.md` (generated, at the end of the list) and `partners/<id>/index.md` (written by
    hand, at its start) both make `partners/<id>/index.html`; MkDocs says nothing and the later page
    wins. In two processes the winner would depend on timing: such a site is written by one."""
    two = generated_handbook(tmp_path / "two")
    last = sorted((two.path / "network" / "partners").glob("p*.yml"))[-1].stem
    two.write(f"content/partners/{last}/index.md", "# Written by hand\n\nA page of its own.\n")
    one = Handbook(tmp_path / "one")
    shutil.copytree(two.path, one.path)
    config = one.path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - partnerbook", "  - partnerbook:\n      concurrency: 1"), encoding="utf-8")
    results = [book.run_process("mkdocs", "build") for book in (one, two)]
    assert [result.returncode for result in results] == [0, 0], results[0].stderr[-3000:] + results[1].stderr[-3000:]
    assert not PAGES_IN_TWO_PROCESSES.search(results[1].stderr), results[1].stderr[-3000:]
    page = f"site/partners/{last}/index.html"
    assert (one.path / page).read_bytes() == (two.path / page).read_bytes()


# The page pass on its own (a stand-in build module whose pages are files), in a fresh interpreter
# like tests/base/test_parallel.py: what happens when the second process dies.
PAGE_PASS = textwrap.dedent("""
    import json, os, sys, types
    from pathlib import Path
    from partnerbook.base import parallel
    from partnerbook.hosts import mkdocs_pages

    parallel.LOCK_SECONDS = 0.5
    site, mode = Path(sys.argv[1]), sys.argv[2]
    parent = os.getpid()

    class Page:
        def __init__(self, number):
            self.number, self.present_anchor_ids = number, set()
            self.file = types.SimpleNamespace(inclusion=types.SimpleNamespace(is_excluded=lambda: False))

    def build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if os.getpid() != parent and page.number == 590:
            if mode == "dies holding the lock":
                wrapper._ends._lock.acquire()
            os._exit(3)
        (site / f"{page.number}.html").write_text(f"page {page.number}")

    module = types.SimpleNamespace(_build_page=build_page)
    pages = [Page(number) for number in range(600)]
    said = []
    wrapper = mkdocs_pages.TwoProcessPages(module, pages, [], lambda: None, said.append)
    for page in pages:
        module._build_page(page, None, None, None, None)
    print(json.dumps({"restored": module._build_page is build_page, "said": said}))
""")


@pytest.mark.parametrize("mode", ["dies", "dies holding the lock"])
def test_pages_the_second_process_leaves_when_it_dies_are_written_by_the_first(tmp_path, mode):
    site = tmp_path / "site"
    site.mkdir()
    result = subprocess.run([sys.executable, "-c", PAGE_PASS, str(site), mode],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["restored"]  # MkDocs' own page function again
    assert sorted(path.name for path in site.iterdir()) == sorted(f"{number}.html" for number in range(600))
    assert all(path.read_text() == f"page {path.stem}" for path in site.iterdir())
    # The child wrote 591–599 before dying at 590; what it sends back is lost with it, so the first
    # process writes every page from where the two met. A child that died holding the lock never met
    # it: the first process gives the lock up and writes the rest on its own.
    assert out["said"] == ([] if mode == "dies holding the lock" else
                           ["600 pages written in 2 processes (0 by the second)"])
