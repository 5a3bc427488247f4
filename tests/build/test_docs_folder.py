"""`partnerbook generate` for Zensical (build/docs_folder.py): which files a data edit rewrites, the
render stamp that makes Zensical render every page again, and `generate --watch`."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BIN, MINIMAL_NETWORK

# A page of our own with a view of the inner network: maker is in it; payer (outer network) is not.
PROSE = """\
# Who builds with us

```partnerbook
view: partners
network: ivn
```
"""
STAMP = Path("content/.partnerbook-stamp/render.stamp")


def stubs(root: Path) -> dict[str, bytes]:
    content = root / "content"
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*.md")}


def rename(handbook, old: str, new: str) -> None:
    path = handbook.path / "network" / "network.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_render_stamp_changes_only_when_a_view_in_a_written_page_changes(handbook):
    handbook.write("content/index.md", PROSE)
    first = handbook.run("partnerbook", "generate")
    assert first.returncode == 0, first.stderr
    stamp = (handbook.path / STAMP).read_text()
    # The stamp's folder keeps a .gitignore of its own, so that it exists in a clone (MkDocs checks `watch:`).
    assert (handbook.path / "content/.partnerbook-stamp/.gitignore").read_text().splitlines()[-2:] == ["*", "!.gitignore"]
    before = stubs(handbook.path)

    # payer is in no view of a written page: its page and the lists that name it change, the stamp does not.
    rename(handbook, "name: Payer Fund", "name: Payer Trust")
    second = handbook.run("partnerbook", "generate")
    assert second.returncode == 0, second.stderr
    assert (handbook.path / STAMP).read_text() == stamp
    assert "renders every page again" not in second.stderr
    after = stubs(handbook.path)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert "partners/payer.md" in changed and "index.md" not in changed
    assert "partners/maker.md" not in changed  # maker's page names no payer (MINIMAL_NETWORK)
    assert 'title: "Payer Trust"' in (handbook.path / "content/partners/payer.md").read_text()

    # maker is in the view on index.md: the stamp changes, and the log says what that costs.
    rename(handbook, "name: Maker Co", "name: Maker Cooperative")
    third = handbook.run("partnerbook", "generate")
    assert third.returncode == 0, third.stderr
    assert (handbook.path / STAMP).read_text() != stamp
    assert "the views in pages you wrote changed, so Zensical renders every page again" in third.stderr

    # Nothing changed: nothing written, wherever the command runs from.
    again = handbook.run_process(str(BIN / "partnerbook"), "generate", str(handbook.path))
    assert again.returncode == 0, again.stderr
    assert " 0 written, " in again.stderr and " 0 removed " in again.stderr, again.stderr
    assert "renders every page again" not in again.stderr


def test_generate_from_another_folder_writes_the_same_files(handbook, tmp_path_factory):
    """The downloads name where each record was written relative to the handbook, not to the folder
    the command ran in: the same data, the same bytes."""
    handbook.write("content/index.md", PROSE)
    assert handbook.run("partnerbook", "generate").returncode == 0
    content = handbook.path / "content"
    written = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = subprocess.run([str(BIN / "partnerbook"), "generate", str(handbook.path)], cwd=elsewhere,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert " 0 written, " in result.stderr, result.stderr
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == written
    partners = (content / "network/data/partners.csv").read_text()
    assert ",network/network.yml:" in partners and "book/network" not in partners, partners


@pytest.mark.serve  # a process followed over time, as `mkdocs serve` is
def test_generate_watch_writes_each_change_and_lives_through_bad_data(handbook):
    handbook.write("content/index.md", PROSE)
    watcher = subprocess.Popen([str(BIN / "partnerbook"), "generate", "--watch"], cwd=handbook.path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    stub = handbook.path / "content" / "partners" / "payer.md"
    stamp = handbook.path / STAMP

    def wait_for(holds, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if holds():
                return
            assert watcher.poll() is None, f"generate --watch stopped: {watcher.stdout.read()}"
            time.sleep(0.2)
        raise AssertionError(f"never saw {what}")

    try:
        wait_for(lambda: stub.is_file() and stamp.is_file(), "the first run's files")
        good_stamp = stamp.read_text()
        rename(handbook, "name: Payer Fund", "name: Payer Trust")
        wait_for(lambda: 'title: "Payer Trust"' in stub.read_text(), "the renamed partner's stub")
        # Bad data: the pages stay as they were; the stamp carries the problem (Zensical shows it).
        rename(handbook, "{from: maker, to: hub", "{from: makr, to: hub")
        wait_for(lambda: stamp.read_text() != good_stamp, "the stamp of the problem")
        assert 'title: "Payer Trust"' in stub.read_text()
        rename(handbook, "{from: makr, to: hub", "{from: maker, to: hub")
        wait_for(lambda: stamp.read_text() == good_stamp, "the stamp of the fixed data")
    finally:
        watcher.terminate()
        output, _ = watcher.communicate(timeout=30)
    line = next(i for i, text in enumerate(MINIMAL_NETWORK.splitlines(), 1) if "{from: maker, to: hub" in text)
    assert f"network/network.yml:{line}: error: unknown partner 'makr'" in output, output
    assert "Traceback" not in output
    assert output.count(" written, ") >= 3, output  # the first run, the rename, the fix


@pytest.mark.serve
def _wait_for_watcher(watcher: subprocess.Popen, path: Path, text: str, timeout: float = 60) -> None:
    """Until `generate --watch` has written `text` into `path` (it must still run meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and text in path.read_text():
            return
        assert watcher.poll() is None, f"generate --watch stopped: {watcher.stdout.read() if watcher.stdout else ''}"
        time.sleep(0.2)
    raise AssertionError(f"never saw {text} in {path}")


def test_generate_watch_prints_each_warning_once(handbook):
    """A server prints the data's warnings once: after an edit, the ones still standing are counted
    (a thousand-partner import has hundreds), a new one is printed."""
    rename(handbook, "relationships:", "  - id: loner\n    name: Loner Ltd\n    network: ovn\nrelationships:")
    watcher = subprocess.Popen([str(BIN / "partnerbook"), "generate", "--watch"], cwd=handbook.path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    stubs = handbook.path / "content" / "partners"

    def wait_for(path: Path, text: str) -> None:
        _wait_for_watcher(watcher, path, text)

    try:
        wait_for(stubs / "loner.md", "Loner Ltd")
        rename(handbook, "name: Payer Fund", "name: Payer Trust")
        wait_for(stubs / "payer.md", "Payer Trust")
        rename(handbook, "relationships:", "  - id: hermit\n    name: Hermit Co\n    network: ovn\nrelationships:")
        wait_for(stubs / "hermit.md", "Hermit Co")
    finally:
        watcher.terminate()
        output, _ = watcher.communicate(timeout=30)
    assert output.count("partner 'loner'") == 1, output
    assert output.count("partner 'hermit'") == 1, output
    assert output.count("partnerbook: warning: 1 warning as before, not repeated") == 2, output
    assert "Traceback" not in output


def test_generate_watch_says_where_the_projects_page_goes_when_projects_come(handbook):
    """Zensical shows only what `nav` lists: when an edit brings the first project, `generate --watch`
    says where to add its page, once, however many edits follow."""
    config = handbook.path / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - Home: index.md\n  - Partners: partners/index.md\n")
    watcher = subprocess.Popen([str(BIN / "partnerbook"), "generate", "--watch"], cwd=handbook.path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    content = handbook.path / "content"

    def wait_for(path: Path, text: str) -> None:
        _wait_for_watcher(watcher, path, text)

    try:
        wait_for(content / "partners" / "payer.md", "Payer Fund")
        handbook.write("network/projects.yml", "projects:\n  - {id: well, title: The well, partners: {hub: lead}}\n")
        wait_for(content / "projects" / "index.md", "partnerbook:generated")  # a stub: its title, its digest
        rename(handbook, "name: Payer Fund", "name: Payer Trust")
        wait_for(content / "partners" / "payer.md", "Payer Trust")
    finally:
        watcher.terminate()
        output, _ = watcher.communicate(timeout=30)
    note = "the data has projects, and the `nav` of mkdocs.yml does not list projects/index.md"
    assert output.count(note) == 1, output
    assert output.index(note) > output.index("watching")  # said when the project came, not at the start
    assert "Traceback" not in output


def test_zensical_manifest_knows_a_file_changed_by_hand(handbook):
    """The manifest trusts a file only while its size, time and inode are those written: a stub
    rewritten by hand (same size) is read again, and generate puts it back."""
    assert handbook.run("partnerbook", "generate").returncode == 0
    stub = handbook.path / "content" / "partners" / "payer.md"
    original = stub.read_text()
    tampered = original.replace("Payer Fund", "Payer Fun!")
    assert len(tampered) == len(original)
    stub.write_text(tampered)
    os.utime(stub, ns=(stub.stat().st_atime_ns, stub.stat().st_mtime_ns + 10**9))
    result = handbook.run("partnerbook", "generate")
    assert result.returncode == 0, result.stderr
    assert " 1 written, " in result.stderr, result.stderr
    assert stub.read_text() == original


def test_generate_stops_on_a_broken_block_in_a_written_page_before_writing(handbook):
    """The views of the pages people wrote go into the render stamp, so generate reads their blocks
    as a build does: a broken one is named with its file and line, and nothing is written."""
    handbook.write("content/bad.md", "# Bad\n\n```partnerbook\nview: nosuch\n```\n")
    result = handbook.run("partnerbook", "generate")
    assert result.returncode == 1
    assert "content/bad.md:4: error: unknown view 'nosuch'" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(handbook.path / "content").as_posix()
                  for p in (handbook.path / "content").rglob("*")) == ["bad.md", "index.md"]


def test_a_file_written_again_within_a_second_gets_a_later_second(handbook):
    """Zensical compares modification times in whole seconds: two generate runs within one second
    must still leave the changed stub and the changed render stamp in a later second, else Zensical
    keeps showing the first version (a partner renamed twice quickly, a banner after a fix)."""
    handbook.write("content/index.md", PROSE)
    first = handbook.run("partnerbook", "generate")
    assert first.returncode == 0, first.stderr
    stub, stamp = handbook.path / "content/partners/maker.md", handbook.path / STAMP
    seconds = {path: path.stat().st_mtime_ns // 1_000_000_000 for path in (stub, stamp)}
    rename(handbook, "name: Maker Co", "name: Maker Cooperative")  # maker is in the view: its stub and the stamp
    second = handbook.run("partnerbook", "generate")
    assert second.returncode == 0, second.stderr
    assert 'title: "Maker Cooperative"' in stub.read_text()
    for path, before in seconds.items():
        assert path.stat().st_mtime_ns // 1_000_000_000 > before, path
    assert max(stub.stat().st_mtime, stamp.stat().st_mtime) <= time.time() + 1.01  # at most a second ahead
