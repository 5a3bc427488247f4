"""A rebuild reuses the checked data and the generated pages (buildcache.py), and never shows stale ones."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from conftest import PAGES_IN_TWO_PROCESSES, Handbook, built_example, example_handbook, serving


def site_files(book) -> dict[str, bytes]:
    site = book.path / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def reused(result) -> bool:
    """What the build log says of the generated pages: all reused from the last build (none generated)."""
    line = re.search(r"partnerbook: generated (\d+) pages for [^\n]*", result.stderr)
    assert line, result.stderr
    return line.group(1) == "0" and "workshop pages" not in line.group(0) and "; reused " in line.group(0)


@pytest.mark.slow  # builds the whole example handbook again (not the session's): not in the fast tier
def test_a_rebuild_reuses_the_pages_and_builds_the_same_bytes(tmp_path):
    book = example_handbook(tmp_path / "book")
    first = book.build()
    assert first.returncode == 0, first.stderr
    assert not reused(first)
    cold = site_files(book)
    second = book.build()
    assert second.returncode == 0, second.stderr
    assert reused(second)
    assert re.search(r"data loaded in 0\.\d\d s", second.stderr)
    warm = site_files(book)
    assert sorted(warm) == sorted(cold)
    assert [name for name in cold if cold[name] != warm[name]] == []
    # the same warnings as the first build, from the cached check
    assert sorted(re.findall(r"WARNING .*", first.stderr)) == sorted(re.findall(r"WARNING .*", second.stderr))


def test_what_the_pages_are_made_of_changes_them(handbook):
    assert handbook.build().returncode == 0
    assert handbook.page("partners/maker/").select_one("article h1").get_text(strip=True) == "Maker Co"

    # the data
    data = handbook.path / "network" / "network.yml"
    data.write_text(data.read_text().replace("name: Maker Co", "name: Maker Cooperative"))
    result = handbook.build()
    assert result.returncode == 0 and not reused(result), result.stderr
    assert handbook.page("partners/maker/").select_one("article h1").get_text(strip=True) == "Maker Cooperative"
    assert "Maker Cooperative" in handbook.page("partners/").get_text()

    # a prose page that now links a partner: its "Mentioned in" names the page
    handbook.write("content/story.md", "# Our story\n\nIt began with [Maker](partners/maker.md).\n")
    result = handbook.build()
    assert result.returncode == 0 and not reused(result), result.stderr
    assert "Our story" in handbook.page("partners/maker/").get_text()

    # a prose edit that changes no link: the pages are reused
    handbook.write("content/story.md", "# Our story\n\nIt began in 2019 with [Maker](partners/maker.md).\n")
    result = handbook.build()
    assert result.returncode == 0 and reused(result), result.stderr
    assert "Our story" in handbook.page("partners/maker/").get_text()

    # a template override
    handbook.write("templates/partner.md.j2", "# {{ partner.name }} (overridden)\n")
    result = handbook.build()
    assert result.returncode == 0 and not reused(result), result.stderr
    assert handbook.page("partners/maker/").select_one("article h1").get_text(strip=True) == \
        "Maker Cooperative (overridden)"

    # an option and the language
    config = handbook.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - partnerbook", "  - partnerbook:\n      language: fr"))
    result = handbook.build()
    assert result.returncode == 0 and not reused(result), result.stderr
    assert "Partenaires" in handbook.page("partners/").get_text()


def test_a_diagram_a_prose_page_no_longer_shows_is_still_on_the_reused_pages(handbook):
    """A prose block asks for the network diagram before the pages are generated, under the same
    key as the network page's own: without the block (no link to a partner changes), the reused
    network page still has it."""
    handbook.write("content/story.md", "# Our story\n\n```partnerbook\nview: diagram\n```\n")
    assert handbook.build().returncode == 0
    handbook.write("content/story.md", "# Our story\n\nNo diagram here now.\n")
    result = handbook.build()
    assert result.returncode == 0 and reused(result), result.stderr
    assert "Traceback" not in result.stderr
    assert len(handbook.page("network/").select("figure svg g.node")) == 3  # hub, maker, payer
    assert not handbook.page("network/").select(".pb-diagram-failed")


def page_counts(result) -> tuple[int, int]:
    """(pages generated, workshop pages included; pages reused) as the build log says."""
    line = re.search(r"partnerbook: generated (\d+) pages for [^\n]*", result.stderr)
    assert line, result.stderr
    sheets = re.search(r", and (\d+) workshop pages", line.group(0))
    again = re.search(r"; reused (\d+) pages", line.group(0))
    return int(line.group(1)) + int(sheets.group(1) if sheets else 0), int(again.group(1) if again else 0)


def test_a_page_written_by_hand_replaces_a_reused_one(handbook):
    first = handbook.build()
    assert first.returncode == 0
    generated, _ = page_counts(first)
    handbook.write("content/partners/payer.md", "# Payer, in our words\n")
    result = handbook.build()
    # the other pages are as they were (they link to the same address); the hand-written one replaces one
    assert result.returncode == 0 and page_counts(result) == (0, generated - 1), result.stderr
    assert handbook.page("partners/payer/").select_one("article h1").get_text(strip=True) == "Payer, in our words"
    (handbook.path / "content" / "partners" / "payer.md").unlink()
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert handbook.page("partners/payer/").select_one("article h1").get_text(strip=True) == "Payer Fund"


def test_diagrams_are_drawn_again_when_their_cache_is_gone(handbook):
    assert handbook.build().returncode == 0
    before = handbook.page("network/").select("figure svg")
    assert before
    cache = handbook.path / ".partnerbook"
    assert not list(cache.glob("*.svg"))  # one file holds them all (a file per diagram cost a second at 1,000)
    (cache / "diagrams.pickle").unlink()
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    assert not reused(result)  # the pages' diagrams would be missing
    assert re.search(r"diagrams: [1-9]\d* drawn by Graphviz", result.stderr), result.stderr
    assert len(handbook.page("network/").select("figure svg")) == len(before)


def test_a_damaged_or_missing_cache_costs_time_not_the_build(handbook):
    assert handbook.build().returncode == 0
    cache = handbook.path / ".partnerbook"
    pickles = sorted(cache.glob("*.pickle"))
    assert [p.name.split("-")[0] for p in pickles] == ["data", "diagrams.pickle", "pages"]
    for pickle in pickles:
        pickle.write_bytes(b"not a pickle")
    result = handbook.build()
    assert result.returncode == 0 and not reused(result), result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"diagrams: [1-9]\d* drawn by Graphviz", result.stderr), result.stderr
    assert handbook.page("partners/maker/").select_one("article h1").get_text(strip=True) == "Maker Co"
    shutil.rmtree(cache)
    handbook.write("mkdocs.yml", handbook.path.joinpath("mkdocs.yml").read_text().replace(
        "  - partnerbook", "  - partnerbook:\n      cache_dir: ''"))
    for _ in range(2):  # no cache folder at all: every build generates
        result = handbook.build()
        assert result.returncode == 0 and not reused(result), result.stderr
    assert not cache.exists()


@pytest.mark.serve
def test_under_serve_a_prose_edit_reuses_the_pages_and_a_data_edit_does_not(handbook):
    handbook.write("content/story.md", "# Our story\n\nFirst draft.\n")
    with serving(handbook) as server:  # the first build is done when it serves
        handbook.write("content/story.md", "# Our story\n\nSecond draft.\n")
        assert "; reused" in server.wait_for(r"partnerbook: generated 0 pages .*")
        server.wait_for(r"Reloading browsers")  # (MkDocs drops a "built in" line equal to the last)
        assert "Second draft" in server.get("story/")
        data = handbook.path / "network" / "network.yml"
        data.write_text(data.read_text().replace("name: Payer Fund", "name: Payer Foundation"))
        assert "made again because" in server.wait_for(r"partnerbook: generated [1-9]\d* pages .*")
        server.wait_for(r"Reloading browsers")  # (MkDocs drops a "built in" line equal to the last)
        assert "Payer Foundation" in server.get("partners/payer/")


@pytest.mark.serve
def test_a_server_writes_its_caches_after_the_build_for_the_next_build_to_reuse(handbook):
    """`mkdocs serve` writes the pages it made for a later build a moment after each rebuild, not
    while the reader waits for it: a `mkdocs build` after the server stopped reuses every page."""
    from partnerbook.hosts.mkdocs import SAVE_AFTER_SECONDS
    data = handbook.path / "network" / "network.yml"
    with serving(handbook) as server:
        data.write_text(data.read_text().replace("name: Payer Fund", "name: Payer Foundation"))
        assert "made again because" in server.wait_for(r"partnerbook: generated [1-9]\d* pages .*")
        server.wait_for(r"Reloading browsers")
        assert "Payer Foundation" in server.get("partners/payer/")
        saved = time.monotonic()
        stores = list((handbook.path / ".partnerbook").glob("pages-*.pickle"))
        while time.monotonic() - saved < SAVE_AFTER_SECONDS + 10 and not (
                stores and max(p.stat().st_mtime for p in stores) > data.stat().st_mtime):
            time.sleep(0.2)
            stores = list((handbook.path / ".partnerbook").glob("pages-*.pickle"))
    # (stopped with SIGTERM: no shutdown hook ran, so what is on disk was written after the pause)
    result = handbook.build()
    assert result.returncode == 0, result.stderr
    line = re.search(r"partnerbook: generated (\d+) pages [^\n]*", result.stderr)
    assert line and line.group(1) == "0" and "; reused" in line.group(0), result.stderr


@pytest.mark.slow  # a build of the example (a copy of the run's, with its cache)
def test_a_rename_makes_again_exactly_the_pages_that_show_the_name_and_says_which(tmp_path, tmp_path_factory):
    """`mkdocs build -v` names each page made again and why; after renaming Kibo Labs they are the
    generated pages whose HTML showed "Kibo Labs" (found in the site, not asked of partnerbook)."""
    shared = built_example(tmp_path_factory)
    assert shared.result.returncode == 0, shared.result.stderr[-2000:]
    book = Handbook(tmp_path / "book")
    shutil.copytree(shared.path, book.path)  # its site and its caches
    showing = set()
    for page in (book.path / "site").rglob("index.html"):
        folder = page.parent.relative_to(book.path / "site").as_posix()
        sources = [f"{folder}.md", f"{folder}/index.md"] if folder != "." else ["index.md"]
        written = any((book.path / "content" / source).exists() for source in sources)
        if not written and "Kibo Labs" in page.read_text(encoding="utf-8"):
            showing.add("" if folder == "." else folder + "/")
    assert "partners/kibo-labs/" in showing and "partners/" in showing and len(showing) > 10
    data = book.path / "network" / "ivn.yml"
    text = data.read_text(encoding="utf-8")
    assert text.count("name: Kibo Labs\n") == 1
    data.write_text(text.replace("name: Kibo Labs\n", "name: Kibo Labs Renamed\n"), encoding="utf-8")

    result = book.build("-v")
    assert result.returncode == 0, result.stderr[-3000:]
    said = re.findall(r"partnerbook: (\S+)\.md: made again because (.+) changed", result.stderr)
    made = {("" if src == "index" else src.removesuffix("/index").removesuffix("index") + "/") for src, _ in said}
    assert made == showing, (sorted(made - showing), sorted(showing - made))
    # The summary counts what the page lines say: the three commonest reasons, then how many more.
    summary = re.search(r"partnerbook: generated \d+ pages [^\n]*", result.stderr)
    assert summary, result.stderr[-3000:]
    counts: dict[str, int] = {}
    for _, why in said:
        counts[why] = counts.get(why, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    for why, count in ranked[:3]:
        assert f"{why} changed ({count} page{'s' if count > 1 else ''})" in summary.group(0), summary.group(0)
    assert (f"{len(ranked) - 3} more" in summary.group(0)) == (len(ranked) > 3), summary.group(0)
    assert "Kibo Labs Renamed" in book.page("partners/kibo-labs/").get_text()


def _rename(book: Handbook, partner_id: str) -> str:
    path = book.path / "network" / "partners" / f"{partner_id}.yml"
    text = path.read_text(encoding="utf-8")
    name = re.search(r"\n\s+name: (.+)", text)
    assert name, text
    path.write_text(text[:name.end()] + " Renamed" + text[name.end():], encoding="utf-8")
    return name.group(1) + " Renamed"


def test_two_processes_build_the_same_site_as_one(thousand_partners, tmp_path):
    """`mkdocs build` renders half the pages, the downloads and the diagrams in a second process
    at this size (parallel.py), and MkDocs writes half the site's pages there (mkdocs_pages.py);
    `concurrency: 1` keeps them in one. After a rename, the pages made again are few but include
    the list pages, each worth fifty partner pages: they too take two processes. Every file is the
    same as a cold build's in one process, the search index too."""
    one = Handbook(tmp_path / "one")
    shutil.copytree(thousand_partners.path, one.path, ignore=shutil.ignore_patterns("site", ".partnerbook"))
    config = one.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - partnerbook", "  - partnerbook:\n      concurrency: 1"))
    two = Handbook(tmp_path / "two")  # the run's cold build in two processes, its site and its caches
    assert " in 2 processes" in thousand_partners.result.stderr, thousand_partners.result.stderr[-2000:]
    assert PAGES_IN_TWO_PROCESSES.search(thousand_partners.result.stderr), thousand_partners.result.stderr[-2000:]
    shutil.copytree(thousand_partners.path, two.path)
    assert _rename(one, "p0510") == _rename(two, "p0510")

    cold = one.build(strict=False)
    assert cold.returncode == 0, cold.stderr
    assert not reused(cold) and " in 2 processes" not in cold.stderr and not PAGES_IN_TWO_PROCESSES.search(cold.stderr)
    assert re.search(r"diagrams: [1-9]\d+ drawn by Graphviz", cold.stderr), cold.stderr  # a cold build
    # Its own process: a test worker has threads of its own (xdist's), and a process with threads never
    # forks (parallel.can_fork).
    warm = two.run_process("mkdocs", "build")
    assert warm.returncode == 0, warm.stderr
    line = re.search(r"partnerbook: generated (\d+) pages for [^\n]*", warm.stderr)
    assert line and 5 <= int(line.group(1)) < 100, warm.stderr  # its page, its counterparts', the lists
    assert "; reused " in line.group(0) and " in 2 processes" in line.group(0), line.group(0)
    written = PAGES_IN_TWO_PROCESSES.search(warm.stderr)
    assert written and 0 < int(written.group(2)) < int(written.group(1)), warm.stderr[-2000:]
    first, second = site_files(one), site_files(two)
    assert sorted(first) == sorted(second) and len(first) > 1500  # 1,022 pages, 534 sheets, the assets
    assert [name for name in first if first[name] != second[name]] == []


def test_concurrency_must_be_a_positive_number(handbook):
    config = handbook.path / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - partnerbook", "  - partnerbook:\n      concurrency: 0"))
    result = handbook.build()
    assert result.returncode == 1
    assert "`concurrency` must be 1 or more (got 0)" in result.stderr
    assert "Traceback" not in result.stderr
