"""The docs folder for a host that runs no plugins: the generated pages as files
(`partnerbook generate`, cli/generate.py).

Zensical builds the Markdown files it finds in the docs folder, so each generated
page gets a small source file there: its front matter (title) and a marker
line. The `partnerbook.markdown` extension replaces a marked file's body with the
page while Zensical renders it. Next to them: the stylesheet and script, the data
downloads, and a block in the docs folder's `.gitignore` naming all of them.
A file is rewritten only when its content changes (Zensical re-renders what
changed), stubs of pages that no longer exist are removed, and a page without
the marker (written by hand) is never touched.

Zensical renders a page again only when its source or its configuration changed;
`watch:` files count as configuration, so a watched data folder renders every page
again after each edit. What other pages show of the data is in the prose pages'
views: `partnerbook generate` writes their digest, with the problems a server shows
on every page, into one small file, the render stamp, and mkdocs.yml watches that
instead. A data edit then renders the pages whose stubs changed, and all of them
only when a view in a page someone wrote changed.

A manifest in the cache folder remembers each file written (size, time, inode and
digest), so the next run knows its files unchanged without reading them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..base.files import check_target, write_file
from ..site.blocks import find_blocks
from ..site.pages import GeneratedPage
from .build import Build
from .cache import code_digest, key_of
from .prose import MARKER, ProsePage, is_stub
from .session import Session

STUB_NOTE = (f"{MARKER} by `partnerbook generate` from the data folder: "
             "edits here are lost; write a page of your own at another path -->")
IGNORE_BEGIN = "# partnerbook generate: begin (files written from the data; do not edit this block)"
IGNORE_END = "# partnerbook generate: end"


def front_matter(markdown: str) -> tuple[str, str]:
    """(front matter block with its fences, or "", the rest) of a page's Markdown."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        if end != -1:
            return markdown[: end + 5], markdown[end + 5:]
    return "", markdown


def stub_text(page: GeneratedPage, digest: str) -> str:
    """The page's front matter and the marker. The digest of what the page shows makes the
    stub change whenever the page does: Zensical re-renders a page only when its source
    or its configuration changed."""
    meta, _ = front_matter(page.markdown)
    return f"{meta}\n{STUB_NOTE}\n<!-- page {digest} -->\n"


def generated_body(page: GeneratedPage) -> str:
    """What the extension puts in place of a stub's body: the page without its front matter."""
    return front_matter(page.markdown)[1]


@dataclass
class Changes:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_if_changed(target: Path, content: str, docs_dir: Path) -> bool:
    """Write `target` (in `docs_dir`) unless it already holds `content` (hosts re-render what changed)."""
    data = content.encode("utf-8")  # bytes: the CSV files end their lines with \r\n
    check_target(target, docs_dir if target.parent.exists() else None)  # a link there is refused, not read
    before = None
    try:
        if target.read_bytes() == data:
            return False
        before = target.stat().st_mtime_ns
    except OSError:
        pass
    write_file(target, data, inside=docs_dir)
    _in_a_later_second(target, before)
    return True


_SECOND = 1_000_000_000


def _in_a_later_second(target: Path, before: int | None) -> None:
    """Zensical compares modification times in whole seconds: a file written again within the
    second of its last write would look unchanged to it, and its page stay as it was (a partner
    renamed twice quickly, broken data fixed a second after the banner showed). The new version
    gets a time in a later second than the old one: at most a second ahead of the clock."""
    if before is None:
        return
    try:
        now = target.stat().st_mtime_ns
        if now // _SECOND <= before // _SECOND:
            later = (before // _SECOND + 1) * _SECOND
            os.utime(target, ns=(later, later))
    except OSError:
        pass


def _ignored_block(text: str) -> tuple[list[str], str, str]:
    """(paths in our block, text before it, text after it) of a .gitignore."""
    if IGNORE_BEGIN not in text or IGNORE_END not in text:
        return [], text, ""
    before, rest = text.split(IGNORE_BEGIN, 1)
    block, after = rest.split(IGNORE_END, 1)
    paths = [line.strip().lstrip("/") for line in block.splitlines()
             if line.strip() and not line.startswith("#") and line.strip() != "/.gitignore"]
    return paths, before, after


def written_files(docs_dir: Path) -> set[str]:
    """What the last `generate` wrote into the docs folder, as its .gitignore block lists it."""
    try:
        return set(_ignored_block((docs_dir / ".gitignore").read_text(encoding="utf-8"))[0])
    except OSError:
        return set()


class Manifest:
    """What the last run wrote into one docs folder: relative path → [size, mtime_ns, inode, digest].
    A file whose status is still the one written holds the content written (a save, a copy or
    a link put there changes the status): it is not read again to compare, nor to tell a stub."""

    NAME = "docs-manifest.json"

    def __init__(self, cache_dir: Path | None, docs_dir: Path):
        self.path = cache_dir / self.NAME if cache_dir is not None else None
        self.docs_dir = docs_dir
        self.files: dict[str, list] = {}
        self.made_from: str | None = None  # docs_key() after the last run wrote
        self.changed = False
        if self.path is None:
            return
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved.get("docs_dir") == str(docs_dir.resolve()) and isinstance(saved.get("files"), dict):
                self.files = saved["files"]
                self.made_from = saved.get("made_from")
        except (OSError, ValueError, AttributeError):
            pass  # none yet, or damaged: every file is read once

    @staticmethod
    def _status(path: Path) -> os.stat_result | None:
        try:
            status = os.lstat(path)
        except OSError:
            return None
        return status if stat.S_ISREG(status.st_mode) else None

    def holds(self, relative: str, digest: str | None = None) -> bool:
        """Whether the file is as the last run left it (with that content, when `digest` is given)."""
        entry = self.files.get(relative)
        if entry is None or (digest is not None and entry[3] != digest):
            return False
        status = self._status(self.docs_dir / relative)
        return status is not None and entry[:3] == [status.st_size, status.st_mtime_ns, status.st_ino]

    def record(self, relative: str, digest: str) -> None:
        status = self._status(self.docs_dir / relative)
        entry = [status.st_size, status.st_mtime_ns, status.st_ino, digest] if status else None
        if self.files.get(relative) != entry:
            self.changed = True
            if entry is None:
                self.files.pop(relative, None)
            else:
                self.files[relative] = entry

    def keep_only(self, relatives: Iterable[str]) -> None:
        kept = {relative: self.files[relative] for relative in relatives if relative in self.files}
        if kept != self.files:
            self.files, self.changed = kept, True

    def made(self, key: str) -> None:
        """Note that the docs folder is now what `key` (docs_key) describes."""
        if self.made_from != key:
            self.made_from, self.changed = key, True

    def save(self) -> None:
        if self.path is None or not self.changed or not self.path.parent.is_dir():
            return
        text = json.dumps({"docs_dir": str(self.docs_dir.resolve()), "files": self.files,
                           "made_from": self.made_from}, sort_keys=True)
        with contextlib.suppress(OSError):  # next time the files are read to compare: slower, the same result
            write_file(self.path, text, inside=self.path.parent)
        self.changed = False


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def find_stubs(docs_dir: Path, manifest: Manifest | None = None) -> set[str]:
    found = set()
    for folder, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.endswith(".md"):
                continue
            relative = Path(folder, name).relative_to(docs_dir).as_posix()
            if (manifest is not None and manifest.holds(relative)) or is_stub(Path(folder, name)):
                found.add(relative)
    return found


def write_docs(docs_dir: Path, wanted: dict[str, str], manifest: Manifest | None = None) -> Changes:
    """Write stubs and files (path in the docs folder → content); remove what an earlier run
    wrote and this one did not; keep the .gitignore block in step."""
    manifest = manifest or Manifest(None, docs_dir)
    changes = Changes()
    ignore_file = docs_dir / ".gitignore"
    try:
        ignore_text = ignore_file.read_text(encoding="utf-8")
    except OSError:
        ignore_text = ""
    listed, before, after = _ignored_block(ignore_text)
    for relative in sorted(wanted):
        data = wanted[relative].encode("utf-8")
        digest = _digest(data)
        if manifest.holds(relative, digest):
            changes.unchanged += 1
            continue
        if write_if_changed(docs_dir / relative, wanted[relative], docs_dir):
            changes.written.append(relative)
        else:
            changes.unchanged += 1
        manifest.record(relative, digest)
    candidates = (set(listed) | find_stubs(docs_dir, manifest)) - set(wanted)
    for relative in sorted(candidates):
        target = docs_dir / relative
        if not target.resolve().is_relative_to(docs_dir.resolve()):
            continue  # a hand-edited block naming a file elsewhere: not ours to remove
        if not target.is_file() or (relative.endswith(".md") and not is_stub(target)):
            continue  # a page written by hand where a generated one was: never touched
        target.unlink()
        changes.removed.append(relative)
        _remove_empty_folders(target.parent, docs_dir)
    # A .gitignore of our own ignores itself too; one the author keeps only gains the block.
    own = [] if before.strip() or after.strip() else ["/.gitignore"]
    block = "\n".join([IGNORE_BEGIN, *own, *(f"/{path}" for path in sorted(wanted)), IGNORE_END])
    new_text = f"{before.rstrip()}\n\n{block}{after}" if before.strip() else f"{block}{after or chr(10)}"
    if not new_text.endswith("\n"):
        new_text += "\n"
    if new_text != ignore_text:
        write_file(ignore_file, new_text, inside=docs_dir)
    manifest.keep_only(wanted)
    manifest.save()
    return changes


def _remove_empty_folders(folder: Path, docs_dir: Path) -> None:
    while folder != docs_dir and folder.is_relative_to(docs_dir):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def pages_for_docs(session: Session, prose: list[ProsePage]) -> tuple[Build, list[GeneratedPage]]:
    """One run of the core for a host that reads the docs folder: the build and the generated pages."""
    build = session.begin(session.options.use_directory_urls, links_from_source=True)
    build.read_prose(prose)
    hand_written = {page.src_uri for page in prose}
    return build, build.generated_pages(lambda src_uri: src_uri in hand_written)


def docs_files(build: Build, generated: list[GeneratedPage]) -> dict[str, str]:
    """Every file for the docs folder (path → content: stubs, standalone pages, downloads, assets).
    Hosts copy a standalone page (a workshop sheet) as they find it."""
    files = {page.src_uri: stub_text(page, page_digest(page)) for page in generated if page.site_file is None}
    files |= {page.site_file: build.standalone_output(page) for page in generated if page.site_file is not None}
    return {**files, **build.downloads(), **build.assets()}


def page_digest(page: GeneratedPage) -> str:
    """What the page shows, hashed: its Markdown and the HTML it parked (in the order parked), which
    is the page once expanded (cheaper than expanding 1,000 pages to hash them)."""
    digest = hashlib.sha256(page.markdown.encode())
    for key, html in page.parked.items():
        digest.update(f"\0{key}\0".encode())
        digest.update(html.encode())
    return digest.hexdigest()[:16]


def build_for_docs(session: Session, prose: list[ProsePage]) -> tuple[Build, list[GeneratedPage], dict[str, str]]:
    """The build, the generated pages, and every file for the docs folder."""
    build, generated = pages_for_docs(session, prose)
    return build, generated, docs_files(build, generated)


def docs_key(options, network_key: str | None) -> str:
    """The docs folder as a run leaves it: the checked data's key (its files, the options it reads,
    today's date when no `as_of` is set, partnerbook's code), the files it is made from (the data,
    the templates, the config file, the pages of the docs folder: their sizes and times), the edition
    and the URL style. The Zensical extension writes nothing when the last run left this key."""
    return key_of(network_key, code_digest(), source_fingerprint(options, docs=True), options.editions,
                  options.use_directory_urls)


# -- the render stamp --------------------------------------------------------

STAMP_FOLDER = ".partnerbook-stamp"  # in the docs folder: hosts leave dot-folders out of the site
STAMP_NAME = "render.stamp"
STAMP_IGNORE = ("# Written by partnerbook: Zensical watches this folder (mkdocs.yml, `watch:`).\n"
                "# Keep this file in git, so that the folder exists before the first `partnerbook generate`\n"
                "# (MkDocs checks that it does).\n*\n!.gitignore\n")


def stamp_folder(docs_dir: Path) -> Path:
    """The folder mkdocs.yml has Zensical watch: `<docs_dir>/.partnerbook`."""
    return docs_dir / STAMP_FOLDER


def stamp_text(build: Build | None, prose: list[ProsePage], problems: str = "") -> str:
    """What every page may show beyond its own source: the views of the pages people wrote
    (as rendered), and the problems a server shows on top of every page."""
    digest = hashlib.sha256(problems.encode())
    if build is not None:
        for page in prose:
            if not find_blocks(page.text):
                continue
            digest.update(f"\0{page.src_uri}\0".encode())
            digest.update(build.renderer.stash.expand(build.page_markdown(page.src_uri, page.text)).encode())
    return ("# Written by `partnerbook generate`: Zensical renders every page again when this changes\n"
            "# (mkdocs.yml watches it). It changes with the views in pages you wrote and with the data's problems.\n"
            f"{digest.hexdigest()[:32]}\n")


def write_stamp(docs_dir: Path, text: str) -> bool:
    """Write the render stamp when its content changed (and the folder's .gitignore when it has
    none); whether the stamp was written."""
    folder = stamp_folder(docs_dir)
    path = folder / STAMP_NAME
    folder.mkdir(exist_ok=True)
    if not (folder / ".gitignore").exists():
        write_file(folder / ".gitignore", STAMP_IGNORE, inside=folder)
    return write_if_changed(path, text, folder)


def source_fingerprint(options, *, docs: bool = False, skip: Callable[[str], bool] | None = None) -> tuple:
    """What the generated files are made from, as (folder, path in it, size, mtime) of every file:
    the data and template folders, the config file, and with `docs` the Markdown pages of the docs
    folder (prose links and embeds; the stubs in it change with each run, so take this after a run).
    Paths relative to their folder: the command line and the extension name folders differently.
    `skip` leaves out docs-folder files by their path there (the stubs a run wrote: Manifest.holds)."""
    folders = [("data", options.data_dir), ("templates", options.templates_dir)]
    if docs:
        folders.append(("docs", options.docs_dir))
    entries: list[tuple[str, str, int, int]] = []
    for kind, folder in folders:
        if folder is None or not folder.is_dir():
            continue
        start = len(os.path.join(str(folder), ""))  # os.walk's paths begin with the folder as given
        for current, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(current, name)
                if kind == "docs" and (not name.endswith(".md") or (skip is not None and skip(path[start:]))):
                    continue
                try:
                    status = os.stat(path)
                except OSError:
                    continue
                entries.append((kind, path[start:], status.st_size, status.st_mtime_ns))
    if options.config_file is not None and options.config_file.is_file():
        status = options.config_file.stat()
        entries.append(("config", options.config_file.name, status.st_size, status.st_mtime_ns))
    return tuple(entries)
