"""The pages a person wrote: which Markdown files in the docs folder are prose (one rule for
`partnerbook generate`, the Zensical extension and `partnerbook check`), a page as the build reads it,
and what the build reads in it besides blocks (its title, the partners it mentions)."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..base.problems import display_path

# The first line of a page `partnerbook generate` wrote (a stub, not prose; docs_folder.py).
MARKER = "<!-- partnerbook:generated"


@dataclass(frozen=True)
class ProsePage:
    src_uri: str  # path in the docs folder
    shown_path: str  # as messages name it (relative to the handbook)
    text: str


def is_stub(path: str | Path | None) -> bool:
    """A Markdown file that `partnerbook generate` wrote (its marker in the first lines)."""
    if not path:
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return MARKER in head


def prose_files(docs_dir: Path, known_stub: Callable[[str], bool] | None = None) -> list[tuple[str, Path]]:
    """(src_uri, path) of every Markdown page a person wrote in the docs folder, as MkDocs finds
    them: no dot-folders or dotfiles, no stubs; folder by folder, names sorted. `known_stub` tells
    a stub `generate` wrote and nobody touched since without reading it (docs_folder.Manifest)."""
    found = []
    for folder, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = Path(folder, name)
            src_uri = path.relative_to(docs_dir).as_posix()
            if (known_stub is not None and known_stub(src_uri)) or not path.is_file() or is_stub(path):
                continue
            found.append((src_uri, path))
    return found


def prose_pages(docs_dir: Path, root: Path, known_stub: Callable[[str], bool] | None = None) -> list[ProsePage]:
    """The prose pages of the docs folder, read, their paths shown relative to `root`."""
    return [ProsePage(src_uri, display_path(path, root), path.read_text(encoding="utf-8"))
            for src_uri, path in prose_files(docs_dir, known_stub)]


_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_FRONT_TITLE = re.compile(r"\A---\s*\n(?:.*\n)*?title:\s*(.+)\n(?:.*\n)*?---", re.MULTILINE)


def page_title(markdown: str, fallback: str) -> str:
    match = _FRONT_TITLE.match(markdown) or _TITLE.search(markdown)
    return match.group(1).strip().strip("'\"") if match else fallback


def mentions(markdown: str, partner_ids: set[str], partners_folder: str) -> set[str]:
    """Partners a prose page links to (`…partners/<id>.md`) or focuses a view on (`focus: <id>`)."""
    found = set(re.findall(re.escape(partners_folder) + r"([a-z0-9][a-z0-9-]*)\.md", markdown))
    found |= set(re.findall(r"^\s*focus:\s*([a-z0-9][a-z0-9-]*)\s*$", markdown, re.MULTILINE))
    return found & partner_ids



# A Markdown link to a page by its source (`](../partners/x.md#anchor "title")`), or to a page
# written as HTML (a workshop sheet: `](../workshop/power/x/index.html)`): group 1 the path.
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+?\.(?:md|html))(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.S)


def without_code(markdown: str) -> str:
    """The Markdown with fenced blocks and code spans blanked out, lines kept (a fence line empty,
    a code span as spaces of its length): links there are examples."""
    lines = markdown.split("\n")
    fence = None
    for i, line in enumerate(lines):
        match = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence is None and match:
            fence = match.group(1)
            lines[i] = ""
        elif fence is not None:
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = None
            lines[i] = ""
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), "\n".join(lines))


def relink(markdown: str, src_uri: str, site_files: Mapping[str, str]) -> str:
    """The page with its Markdown links to a standalone page's source (`workshop/power/x.md`, which
    is no Markdown page of the site) pointed at the file the host copies (`workshop/power/x/index.html`):
    the host checks and rewrites that link as it did the page's. Links in code stay as written."""
    if not site_files or ".md" not in markdown:
        return markdown
    folder = posixpath.dirname(src_uri)
    lines = markdown.split("\n")
    for number, line in enumerate(without_code(markdown).split("\n")):
        spans = []
        for match in MD_LINK.finditer(line):
            target = posixpath.normpath(posixpath.join(folder, match.group(1)))
            if "://" not in match.group(1) and target in site_files:
                spans.append((match.start(1), match.end(1), posixpath.relpath(site_files[target], folder or ".")))
        for start, end, new in reversed(spans):
            lines[number] = lines[number][:start] + new + lines[number][end:]
    return "\n".join(lines)
