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
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..base.files import check_target, write_file
from ..site.pages import GeneratedPage
from .build import Build
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
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    write_file(target, data, inside=docs_dir)
    return True


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


def find_stubs(docs_dir: Path) -> set[str]:
    found = set()
    for folder, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.endswith(".md") and is_stub(Path(folder, name)):
                found.add(Path(folder, name).relative_to(docs_dir).as_posix())
    return found


def write_docs(docs_dir: Path, wanted: dict[str, str]) -> Changes:
    """Write stubs and files (path in the docs folder → content); remove what an earlier run
    wrote and this one did not; keep the .gitignore block in step."""
    changes = Changes()
    ignore_file = docs_dir / ".gitignore"
    try:
        ignore_text = ignore_file.read_text(encoding="utf-8")
    except OSError:
        ignore_text = ""
    listed, before, after = _ignored_block(ignore_text)
    for relative in sorted(wanted):
        if write_if_changed(docs_dir / relative, wanted[relative], docs_dir):
            changes.written.append(relative)
        else:
            changes.unchanged += 1
    candidates = (set(listed) | find_stubs(docs_dir)) - set(wanted)
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
    return changes


def _remove_empty_folders(folder: Path, docs_dir: Path) -> None:
    while folder != docs_dir and folder.is_relative_to(docs_dir):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def build_for_docs(session: Session, prose: list[ProsePage]) -> tuple[Build, list[GeneratedPage], dict[str, str]]:
    """One run of the core for a host that reads the docs folder: the build, the generated pages, and
    every file for the docs folder (path → content: stubs, downloads, assets)."""
    build = session.begin(session.options.use_directory_urls, links_from_source=True)
    build.read_prose(prose)
    hand_written = {page.src_uri for page in prose}
    generated = build.generated_pages(lambda src_uri: src_uri in hand_written)
    stash = build.renderer.stash
    files = {page.src_uri: stub_text(page, hashlib.sha256(stash.expand(page.markdown).encode()).hexdigest()[:16])
             for page in generated}
    return build, generated, {**files, **build.downloads(), **build.assets(), **build.standalone_diagrams()}
