"""Where generated pages live, and relative links between pages (as MkDocs computes them)."""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field

SECTIONS = ("partners", "roles", "network", "agreements", "funding", "power", "canvas", "health")
# Items that live as anchors on a section page rather than on pages of their own.
ANCHORED = {"role": "roles", "agreement": "agreements", "decision": "power", "group": "network",
            "project": "projects"}


def dest_uri(src_uri: str, use_directory_urls: bool) -> str:
    """The output file of a source page, as MkDocs names it."""
    stem = posixpath.splitext(src_uri)[0]
    if posixpath.basename(stem) in ("index", "README"):
        return posixpath.join(posixpath.dirname(stem), "index.html")
    return f"{stem}/index.html" if use_directory_urls else f"{stem}.html"


ASSET_DIR = "assets/partnerbook/"  # the stylesheets and script every page loads, whatever the prefix


def relative_url(from_src: str, to_src: str, use_directory_urls: bool, anchor: str = "") -> str:
    url = _relative_page_url(from_src, to_src, use_directory_urls)
    return url + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1 << 16)  # tens of thousands of links per build, few distinct pairs per page
def _relative_page_url(from_src: str, to_src: str, use_directory_urls: bool) -> str:
    target = dest_uri(to_src, use_directory_urls)
    base = posixpath.dirname(dest_uri(from_src, use_directory_urls))
    url = site_relpath(target, base)
    if use_directory_urls and (url == "index.html" or url.endswith("/index.html")):
        url = url[: -len("index.html")] or "./"
    return url


def site_relpath(target: str, base: str) -> str:
    """`posixpath.relpath` for paths inside the site (relative, without `.` or `..` parts): the
    same result without its two `abspath` calls, which cost a tenth of page generation."""
    to, start = target.split("/"), base.split("/") if base and base != "." else []
    shared = 0
    for mine, theirs in zip(to, start, strict=False):
        if mine != theirs:
            break
        shared += 1
    return "/".join([".."] * (len(start) - shared) + to[shared:]) or "."


def relative_file_url(from_src: str, file_path: str, use_directory_urls: bool) -> str:
    """The URL of a site file (not a page) as seen from a page's output."""
    return site_relpath(file_path, posixpath.dirname(dest_uri(from_src, use_directory_urls)))


def relative_md(from_src: str, to_src: str, anchor: str = "") -> str:
    """A Markdown link target (`../partners/x.md`) that MkDocs validates and rewrites."""
    url = site_relpath(to_src, posixpath.dirname(from_src))
    return url + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class SitePaths:
    """The source paths of every generated page, under the configured prefix."""

    prefix: str = ""
    # (kind, id) → the sub-page of a long list that holds its anchor (paging.py); else the section.
    moved: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def section(self, name: str) -> str:
        return f"{self.prefix}{name}/index.md"

    def partner(self, partner_id: str) -> str:
        return f"{self.prefix}partners/{partner_id}.md"

    def workshop(self) -> str:
        """The workshop index: printable sheets for group sessions."""
        return f"{self.prefix}workshop/index.md"

    def sheet(self, kind: str, item_id: str | None = None) -> str:
        """A workshop sheet: kind is `value-network` (a partner), `scorecard` (an agreement) or
        `power` (a decision); without an id the blank sheet. Ids live one folder down, so no
        id can clash with a blank sheet's name."""
        if item_id is None:
            return f"{self.prefix}workshop/blank-{kind}.md"
        return f"{self.prefix}workshop/{kind}/{item_id}.md"

    def download(self, name: str) -> str:
        return f"{self.prefix}network/data/{name}"

    def health_all(self) -> str:
        """Every item of every finding: the health page shows the first few of each."""
        return f"{self.prefix}health/all.md"

    def impact(self) -> str:
        """Partners ranked by what the network would lose without them."""
        return f"{self.prefix}impact/index.md"

    def target(self, kind: str, item_id: str | None = None) -> tuple[str, str]:
        """(src_uri, anchor) of a partner, role, agreement, decision or section."""
        if kind == "partner":
            return self.partner(str(item_id)), ""
        if kind == "health-all":
            return self.health_all(), f"finding-{item_id}" if item_id else ""
        if kind == "impact":
            return self.impact(), ""
        if kind in ANCHORED:
            return self.moved.get((kind, item_id)) or self.section(ANCHORED[kind]), f"{kind}-{item_id}"
        return self.section(kind), ""


def normalise_prefix(prefix: str) -> str:
    """'' or 'a/b/' ; refuses anything that would leave docs_dir."""
    cleaned = prefix.strip().strip("/")
    if not cleaned:
        return ""
    parts = cleaned.split("/")
    if any(p in ("", ".", "..") or "\\" in p for p in parts):
        raise ValueError(f"prefix '{prefix}' must be a plain folder path such as 'ecosystem'")
    return cleaned + "/"
