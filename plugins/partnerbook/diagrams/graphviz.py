"""DOT → SVG with Graphviz: a content-addressed cache, and many graphs per process.

A diagram Graphviz cannot draw is no silent empty picture: its key and reason
land in `DiagramRenderer.failures`, which `diagrams.DiagramSet` reports.

The cache on disk is one file, `diagrams.pickle` in the cache folder, not a file
per diagram: creating a file costs about a millisecond of system time here, and a
cold build at 1,000 partners wrote 1,001 of them beside the pages it renders. The
file is read once, on the first diagram a build looks for (17 ms for 1,001
diagrams), and written by `save` once a build drew new ones (25 ms).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..base.files import write_file
from .dot import shorten

INSTALL_HINT = (
    "Graphviz's `dot` command was not found on PATH; partnerbook needs it to draw diagrams. "
    "Install it: Debian/Ubuntu `sudo apt-get install graphviz`, Fedora `sudo dnf install graphviz`, "
    "macOS `brew install graphviz`, Windows `winget install graphviz` (then open a new terminal)."
)
TIMEOUT_SECONDS = 120
CHUNK_BYTES = 20_000  # DOT per extra Graphviz process: less layout work than that costs less than a process start
RENDER_FORMAT = 3  # bump when what is done to Graphviz's SVG before caching it changes
PROGRESS_MIN = 50  # log progress when drawing at least this many diagrams
PACK = "diagrams.pickle"  # the diagram cache in the cache folder
# A diagram no build has looked at in this many saves of the cache leaves it (a renamed partner's
# old ego diagram): the file holds about what the handbook shows, not every diagram it ever drew.
KEEP_SAVES = 8


class GraphvizMissing(Exception):
    pass


@dataclass(frozen=True)
class Graphviz:
    executable: str
    version: str


def find_graphviz() -> Graphviz:
    executable = shutil.which("dot")
    if executable is None:
        raise GraphvizMissing(INSTALL_HINT)
    try:
        probe = subprocess.run([executable, "-V"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GraphvizMissing(f"`{executable} -V` failed ({exc}). {INSTALL_HINT}") from None
    return Graphviz(executable, (probe.stderr or probe.stdout).strip())


# -- rendering -----------------------------------------------------------------

@dataclass
class Job:
    dot: str | Callable[[], str]  # or a builder, called only when the diagram is not in the cache
    engine: str
    key: str = ""

    def source(self) -> str:
        if callable(self.dot):
            self.dot = self.dot()
        return self.dot


class DiagramRenderer:
    """Graphviz with a content-addressed cache in memory and on disk; renders in batches."""

    def __init__(self, graphviz: Graphviz, cache_dir: Path | None,
                 warn: Callable[[str], None] = lambda message: None,
                 info: Callable[[str], None] = lambda message: None,
                 workers: int | None = None):
        self.graphviz = graphviz
        self.cache_dir = cache_dir
        self.memory: dict[str, str] = {}
        self.warn = warn
        self.info = info
        self.workers = workers or os.cpu_count() or 1
        self._lock = threading.Lock()
        self.processes = 0  # Graphviz processes started (the build log reports it)
        self.failures: dict[str, str] = {}  # key → why Graphviz could not draw it
        self.rendered = 0
        self.reused = 0
        # The cache file as last read: key → (SVG, the save it was last looked at in), and the
        # file's (mtime, size) then, to read it again when another process wrote it meanwhile.
        self._pack: dict[str, tuple[str, int]] | None = None
        self._pack_stamp: tuple[int, int] | None = None
        self._generation = 0  # the save the cache file had when read
        self._used: set[str] = set()  # keys drawn or found since the last save
        self.unsaved = False  # diagrams drawn that the cache file does not hold yet

    def key(self, dot: str, engine: str) -> str:
        return hashlib.sha256(f"{RENDER_FORMAT}\0{self.graphviz.version}\0{engine}\0{dot}".encode()).hexdigest()[:32]

    def cached(self, key: str) -> str | None:
        """The SVG of a diagram drawn before (in this process or the cache file), or None."""
        svg = self.memory.get(key)
        if svg is None and self.cache_dir is not None:
            entry = self._read_pack(again=False).get(key)
            if entry is None and self._pack_changed():  # another process (a server's generate) drew it
                entry = self._read_pack(again=True).get(key)
            if entry is not None:
                svg = self.memory[key] = entry[0]
        if svg is not None:
            self._used.add(key)
        return svg

    def _pack_path(self) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / PACK

    def _stamp(self) -> tuple[int, int] | None:
        try:
            stat = self._pack_path().stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def _pack_changed(self) -> bool:
        return self._stamp() != self._pack_stamp

    def _read_pack(self, *, again: bool) -> dict[str, tuple[str, int]]:
        if self._pack is not None and not again:
            return self._pack
        self._pack, self._pack_stamp = {}, self._stamp()
        try:
            with open(self._pack_path(), "rb") as file:
                generation, pack = pickle.load(file)
            if isinstance(generation, int) and isinstance(pack, dict):
                self._pack, self._generation = pack, generation
        except Exception:  # noqa: BLE001  (none yet, or a damaged or foreign file: the diagrams are drawn again)
            pass
        return self._pack

    def _store(self, key: str, svg: str) -> None:
        self.memory[key] = svg
        self._used.add(key)
        self.unsaved = True

    def save(self) -> None:
        """Write the cache file when this process drew diagrams it lacks: the diagrams looked at
        since the last save, and those the last KEEP_SAVES saves looked at. Safe from another
        thread (a server saves when idle, while its next build may already look diagrams up)."""
        with self._lock:
            if not self.unsaved or self.cache_dir is None:
                return
            self.unsaved = False  # (a diagram drawn from here on sets it again)
            used = set(self._used)
            pack = dict(self._read_pack(again=self._pack_changed()))  # what another process wrote meanwhile stays
            generation = self._generation + 1
            for key in used:
                svg = self.memory.get(key)
                if svg is not None:
                    pack[key] = (svg, generation)
            pack = {key: entry for key, entry in pack.items() if entry[1] > generation - KEEP_SAVES}
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                write_file(self._pack_path(), pickle.dumps((generation, pack), protocol=pickle.HIGHEST_PROTOCOL),
                           inside=self.cache_dir)
            except OSError as exc:
                self.warn(f"cannot write the diagram cache {self._pack_path()}: {exc.strerror}")
                self.cache_dir = None
                return
            self._pack, self._pack_stamp, self._generation = pack, self._stamp(), generation
            self._used -= used

    def render(self, jobs: list[Job]) -> dict[str, str]:
        """key → SVG for every job; one Graphviz process per engine for all cache misses."""
        out: dict[str, str] = {}
        missing: dict[str, list[Job]] = {}
        for job in jobs:
            job.key = job.key or self.key(job.source(), job.engine)
            svg = self.cached(job.key)
            if svg is not None:
                out[job.key] = svg
                self.reused += 1
            elif job.key not in {j.key for j in missing.get(job.engine, [])}:
                missing.setdefault(job.engine, []).append(job)
        for engine, batch in missing.items():
            started = time.perf_counter()
            chunks = self._chunks(batch)
            if len(batch) >= PROGRESS_MIN:
                self.info(f"drawing {len(batch)} diagrams with Graphviz `{_shown(engine)}` "
                          f"in {len(chunks)} process(es)…")
            with ThreadPoolExecutor(len(chunks)) as pool:
                drawn = list(pool.map(lambda chunk: self._run_batch(engine, chunk), chunks))  # noqa: B023  (called in this iteration)
            for chunk, svgs in zip(chunks, drawn, strict=False):
                for job, svg in zip(chunk, svgs, strict=False):
                    if svg is None:
                        continue
                    self._store(job.key, svg)
                    out[job.key] = svg
                    self.rendered += 1
            if len(batch) >= PROGRESS_MIN:
                self.info(f"drew {len(batch)} diagrams with `{_shown(engine)}` "
                          f"in {time.perf_counter() - started:.1f} s")
        return out

    def render_detached(self, jobs: list[Job]) -> tuple:
        """`render` in another process (parallel.Forked): what it drew, found and logged, for `adopt`."""
        messages: list[tuple[str, str]] = []
        self.warn = lambda message: messages.append(("warning", message))
        self.info = lambda message: messages.append(("info", message))
        before = (self.rendered, self.reused, self.processes)
        svgs = self.render(jobs)
        counts = (self.rendered - before[0], self.reused - before[1], self.processes - before[2])
        return svgs, dict(self.failures), counts, messages

    def adopt(self, detached: tuple) -> dict[str, str]:
        """What `render_detached` returned, as if this process had rendered it."""
        svgs, failures, (rendered, reused, processes), messages = detached
        self.memory.update(svgs)
        self._used.update(svgs)
        self.unsaved = self.unsaved or rendered > 0  # what the child drew, this process saves
        self.failures.update(failures)
        self.rendered, self.reused, self.processes = (
            self.rendered + rendered, self.reused + reused, self.processes + processes)
        for kind, message in messages:
            (self.warn if kind == "warning" else self.info)(message)
        return svgs

    def _chunks(self, batch: list[Job]) -> list[list[Job]]:
        """The batch split across up to one Graphviz process per core, balanced by DOT size
        (layout time grows with it), when there is enough work to pay for a process start."""
        sizes = {id(job): len(job.source()) for job in batch}
        count = min(self.workers, len(batch), max(1, sum(sizes.values()) // CHUNK_BYTES))
        chunks: list[list[Job]] = [[] for _ in range(count)]
        loads = [0] * count
        # Graphviz carries state from one graph to the next in a process (`splines=curved` routes an
        # edge a few hundredths of a point apart after other graphs): the batches are made from the
        # diagrams alone, never from the order pages asked for them, so one process or two, or pages
        # rendered in another order, draw the same bytes.
        for job in sorted(batch, key=lambda j: (-sizes[id(j)], j.key)):
            lightest = loads.index(min(loads))
            chunks[lightest].append(job)
            loads[lightest] += sizes[id(job)]
        return [chunk for chunk in chunks if chunk]

    def _run(self, engine: str, source: str, timeout: float) -> str:
        with self._lock:
            self.processes += 1
        result = subprocess.run(
            [self.graphviz.executable, *engine_arguments(engine), "-Tsvg"], input=source.encode("utf-8"),
            capture_output=True, timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}")
        return result.stdout.decode("utf-8")

    def _run_batch(self, engine: str, batch: list[Job]) -> list[str | None]:
        """SVG per job (None for a diagram Graphviz cannot draw, its reason in `failures`).

        All graphs go on one stdin: 1,000 ego graphs take ~1.7 s instead of ~20 s
        one process each. A bad graph fails its whole batch, so a failed batch is
        split in two and each half tried again: one bad graph among 1,000 costs
        about 20 extra runs, not 1,000."""
        if len(batch) == 1:
            return [self._render_one(engine, batch[0])]
        try:
            output = self._run(engine, "\n".join(_settled(j.source()) for j in batch), TIMEOUT_SECONDS)
            # Graphviz names the root group of every graph after the first `page0,1_graph0`:
            # the same graph gets the same SVG wherever it sits in a batch (reproducible builds).
            parts = [_BATCH_GRAPH_ID.sub('id="graph0"', part.lstrip(), count=1) + "</svg>\n"
                     for part in output.split("</svg>")[:-1]]
            svgs: list[str | None] = _kept(parts, [j.source() for j in batch])
            if len(svgs) == len(batch):
                return svgs
        except (RuntimeError, subprocess.TimeoutExpired, OSError):
            pass
        half = len(batch) // 2
        return self._run_batch(engine, batch[:half]) + self._run_batch(engine, batch[half:])

    def _render_one(self, engine: str, job: Job) -> str | None:
        try:
            source = job.source()
            output = self._run(engine, _settled(source), TIMEOUT_SECONDS)
            if _CURVED not in source:
                return output
            parts = [_BATCH_GRAPH_ID.sub('id="graph0"', part.lstrip(), count=1) + "</svg>\n"
                     for part in output.split("</svg>")[:-1]]
            if len(parts) != 2:
                raise RuntimeError("Graphviz drew the diagram once, not twice")
            return parts[1]
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            reason = "it took too long" if isinstance(exc, subprocess.TimeoutExpired) else str(exc)
            if engine != "sfdp":
                self.warn(f"Graphviz `{engine}` failed ({shorten(reason, 300)}); "
                          "drawing the diagram with `sfdp` instead")
                return self._render_one("sfdp", job)
            self.failures[job.key] = shorten(reason, 300)
            return None


_BATCH_GRAPH_ID = re.compile(r'id="page\d+,\d+_graph0"')
# `splines=curved` routes each edge from state the graphs drawn before it in the same run leave
# behind: a few edges come out a hundredth of a point apart, so a diagram drawn among others (a
# cold build) and alone (a later build, the others cached) would differ. Drawn twice in a row,
# the second drawing depends on the graph alone (0 differences in 150 diagrams of the 1,000-partner
# handbook, each after 50 others; 3 of 40 differed without): that one is kept. It doubles Graphviz's time
# for these diagrams (~1.7 s more for 1,000 ego diagrams), once per diagram: the cache keeps it.
_CURVED = "splines=curved"


def _settled(source: str) -> str:
    return f"{source}\n{source}" if _CURVED in source else source


def _kept(parts: list[str], sources: list[str]) -> list[str | None]:
    """The SVG of each source from a run of `_settled` sources: the second drawing of a doubled one."""
    kept: list[str | None] = []
    position = 0
    for source in sources:
        doubled = _CURVED in source
        if position + doubled >= len(parts):
            return []  # fewer drawings than graphs: the caller splits the batch
        kept.append(parts[position + doubled])
        position += 1 + doubled
    return kept if position == len(parts) else []


def _shown(engine: str) -> str:
    return engine.replace("-n2", " -n2")


def engine_arguments(engine: str) -> list[str]:
    """Command-line arguments for an engine name; `neato-n2` keeps the positions in the DOT."""
    if engine == "neato-n2":
        return ["-Kneato", "-n2"]
    return [f"-K{engine}"]
