"""What a build reuses from the last one: the checked data, and the generated pages.

At 1,000 partners, checking the data takes about a second and generating the
pages four; a rebuild after a prose edit (or none) changes neither. Both are
kept as one pickle each in the cache folder, under a key made of everything
they are made from:

- the checked data: partnerbook's own code, every data file's path and bytes,
  and the options `check_data` reads (with the date, which `as_of` defaults to);
- the generated pages: that data key, the language and its catalogs' bytes,
  the template overrides' bytes, the build's options, the prose pages'
  backlinks, and Graphviz's version (a diagram's key names it).

Whatever is not in a key is checked when the pages are replayed: every diagram
they show must still be in the diagram cache, and the pages the author wrote
by hand must be the same. A cache that cannot be read or written costs time,
never correctness: the build then does the work again.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..base.collector import collector_paused
from ..base.files import write_file

FORMAT = 1  # bump when what is pickled changes shape


# Libraries whose output lands on the pages or in the checked data: numbers and dates (Babel),
# templates and escaping, authors' Markdown and its sanitiser, YAML, the diagrams' DOT, analysis.
LIBRARIES = ("babel", "jinja2", "markupsafe", "markdown", "nh3", "pyyaml", "pydot", "networkx")


@functools.cache
def code_digest() -> str:
    """partnerbook's code, templates, catalogs and assets, the libraries' versions and Python's:
    an upgrade of any of them never reads an old cache."""
    package = Path(__file__).parent.parent
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} -")
    digest = hashlib.sha256(f"format {FORMAT}\0{sys.version}\0{versions}".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".po", ".css", ".js", ".json", ".yml"):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def files_digest(paths: list[Path], shown_from: Path | None = None) -> str:
    """Paths and bytes of some files (a missing one counts as empty)."""
    digest = hashlib.sha256()
    for path in paths:
        name = path.relative_to(shown_from).as_posix() if shown_from and path.is_relative_to(shown_from) else str(path)
        try:
            content = path.read_bytes()
        except OSError:
            content = b""
        digest.update(f"{name}\0{len(content)}\0".encode() + content)
    return digest.hexdigest()


def folder_files(folder: Path | None) -> list[Path]:
    """Every file under a folder, in a stable order (none when it does not exist)."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        found += [Path(current, name) for name in sorted(files)]
    return found


def key_of(*parts) -> str:
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()[:32]


def data_key(files: list[Path], data_dir: Path, root: Path, *, as_of: dt.date | None, **options) -> str:
    """The key of `check_data`'s result: the code, the files, and every option it reads."""
    today = as_of or dt.date.today()  # findings and "current" depend on the date
    # Paths resolved, file names relative to the data folder: the command line (relative paths) and
    # the hosts (absolute ones) reading the same files in the same folder share the key.
    return key_of("data", code_digest(), data_dir.resolve(), root.resolve(), today, as_of is None,
                  sorted(options.items(), key=str),
                  files_digest([path.resolve() for path in files], data_dir.resolve()))


# -- one pickle per kind ---------------------------------------------------------

def _frozen_mapping(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


def _dumps(value) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table,
                              MappingProxyType: lambda mapping: (_frozen_mapping, (dict(mapping),))}
    pickler.dump(value)
    return buffer.getvalue()


@dataclass
class PickleCache:
    """The last value of one kind, in memory (a server's rebuilds) and in the cache folder."""

    folder: Path | None
    kind: str  # file names are `<kind>-<key>.pickle`
    memory: dict = field(default_factory=dict)

    def get(self, key: str):
        if key in self.memory:
            return self.memory[key]
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{self.kind}-{key}.pickle", "rb") as file, collector_paused():
                value = pickle.load(file)  # a whole network or page store: no cycle to look for while it grows
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001  (a truncated or foreign file: do the work again)
            return None
        self.memory = {key: value}
        return value

    def put(self, key: str, value) -> None:
        self.remember(key, value)
        self.save(key, value)

    def remember(self, key: str, value) -> None:
        """The value a later `get` of this process gives (a server's next build)."""
        self.memory = {key: value}

    def save(self, key: str, value) -> None:
        """The value written for a later process (Session.keep may have a forked child do it)."""
        if self.folder is None or not self.folder.is_dir():
            return
        target = self.folder / f"{self.kind}-{key}.pickle"
        try:
            with collector_paused():  # the pickler's memo holds every object written: nothing to free
                content = _dumps(value)
            write_file(target, content, inside=self.folder)
            for stale in self.folder.glob(f"{self.kind}-*.pickle"):  # one is enough
                if stale != target:
                    stale.unlink()
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # costs the next build time, not correctness


# -- the generated pages ---------------------------------------------------------

@dataclass
class PageStore:
    """The generated pages of the last build, each with what it read (site/reads.py), the HTML it
    parked and the diagrams it shows: a build reuses a page whose reads give the same digests."""

    data_key: str | None  # the checked data's key and the prose's links: both the same, every page is reused
    parts: dict[str, str]  # what every page depends on (Build.global_parts): any change makes them all again
    pages: dict[str, object] = field(default_factory=dict)  # src_uri → pages.GeneratedPage
    diagrams: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)  # src_uri → key → labels


def page_diagrams(diagram_set, page) -> dict[str, tuple[str, str, str]]:
    """key → (engine, title, desc) of the diagrams a page shows (in its Markdown or what it parked)."""
    if diagram_set is None:
        return {}
    keys = diagram_set.keys_in([page.markdown, *page.parked.values()])
    return {key: (diagram_set.jobs[key].engine, *diagram_set.labels[key]) for key in sorted(keys)}


def reuse_page(store: PageStore, src_uri: str, stash, diagram_set):
    """The page of `store` with its HTML parked again and its diagrams known as drawn, or None
    (nothing changed) when a diagram it shows is no longer in the diagram cache."""
    page = store.pages.get(src_uri)
    if page is None:
        return None
    diagrams = store.diagrams.get(src_uri, {})
    svgs = {}
    if diagram_set is not None:
        for key in diagrams:
            svg = diagram_set.renderer.cached(key)
            if svg is None:
                return None  # the diagram cache was cleared: draw them again from the data
            svgs[key] = svg
    stash.restore(dict(page.parked))  # type: ignore[attr-defined]
    if diagram_set is not None:
        diagram_set.replay(diagrams, svgs)
    return dataclasses.replace(page, reused=True)  # type: ignore[type-var]
