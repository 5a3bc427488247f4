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
import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import os
import pickle
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

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
    return key_of("data", code_digest(), data_dir, root, today, as_of is None, sorted(options.items(), key=str),
                  files_digest(files))


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
            with open(self.folder / f"{self.kind}-{key}.pickle", "rb") as file:
                value = pickle.load(file)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001  (a truncated or foreign file: do the work again)
            return None
        self.memory = {key: value}
        return value

    def put(self, key: str, value) -> None:
        self.memory = {key: value}
        if self.folder is None or not self.folder.is_dir():
            return
        target = self.folder / f"{self.kind}-{key}.pickle"
        try:
            write_file(target, _dumps(value), inside=self.folder)
            for stale in self.folder.glob(f"{self.kind}-*.pickle"):  # one is enough
                if stale != target:
                    stale.unlink()
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # costs the next build time, not correctness


# -- the generated pages ---------------------------------------------------------

@dataclass
class GeneratedRecord:
    """What generating the pages left behind, to replay on a build with the same inputs."""

    pages: list  # pages.GeneratedPage
    stash_from: int  # the stash's counter before and after: the placeholders in the pages
    stash_to: int
    stash: dict[str, str]
    diagrams: dict[str, tuple[str, str, str]]  # key → (engine, title, desc) of each diagram requested
    skipped: tuple[str, ...]  # pages the author wrote by hand, which were not generated
    asked: tuple[str, ...]  # every page generation asked about


class Recorder:
    """Watches one generation: which pages were skipped, what went into the stash and the diagrams."""

    def __init__(self, stash, diagram_set, skip: Callable[[str], bool]):
        self.stash, self.diagram_set, self._skip = stash, diagram_set, skip
        self.stash_from = stash.counter
        self.skipped: list[str] = []
        self.asked: list[str] = []

    def skip(self, src_uri: str) -> bool:
        self.asked.append(src_uri)
        if self._skip(src_uri):
            self.skipped.append(src_uri)
            return True
        return False

    def record(self, generated: list) -> GeneratedRecord:
        entries = self.stash.entries_from(self.stash_from)
        diagrams = {}
        if self.diagram_set is not None:
            # Every diagram the pages show, also those a prose page had asked for first (same key):
            # a later build may lack that prose block.
            shown = self.diagram_set.keys_in([page.markdown for page in generated] + list(entries.values()))
            diagrams = {key: (self.diagram_set.jobs[key].engine, *self.diagram_set.labels[key])
                        for key in sorted(shown)}
        return GeneratedRecord(list(generated), self.stash_from, self.stash.counter, entries, diagrams,
                               tuple(self.skipped), tuple(self.asked))


def replay(record: GeneratedRecord | None, stash, diagram_set, skip: Callable[[str], bool]) -> list | None:
    """The pages of `record` with the stash and diagrams as generating them left them, or None
    (and nothing changed) when they cannot be replayed: then the pages are generated again."""
    if record is None or record.stash_from != stash.counter:
        return None
    skipped = set(record.skipped)
    if any(skip(src) != (src in skipped) for src in record.asked):
        return None
    svgs = {}
    if diagram_set is not None:
        for key in record.diagrams:
            svg = diagram_set.renderer.cached(key)
            if svg is None:
                return None  # the diagram cache was cleared: draw them again from the data
            svgs[key] = svg
    stash.restore(record.stash, record.stash_to)
    if diagram_set is not None:
        diagram_set.replay(record.diagrams, svgs)
    return list(record.pages)
