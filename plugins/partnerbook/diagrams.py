"""DOT → SVG with Graphviz, cached by content hash, and inlined into pages.

Partner nodes link to `pb:partner:<id>`; the SVG is rendered once per DOT
source and the placeholder links are made relative to each page that shows it,
so one render serves every page depth. Colours come from CSS classes (see
assets/partnerbook.css), so diagrams follow Material's light and dark palettes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from markupsafe import Markup, escape

from .dot import agreements_dot, funding_dot, network_dot, power_dot

INSTALL_HINT = (
    "Graphviz's `dot` command was not found on PATH; partnerbook needs it to draw diagrams. "
    "Install it: Debian/Ubuntu `sudo apt-get install graphviz`, Fedora `sudo dnf install graphviz`, "
    "macOS `brew install graphviz`, Windows `winget install graphviz` (then open a new terminal)."
)
TIMEOUT_SECONDS = 120
CHUNK_BYTES = 20_000  # DOT per extra Graphviz process: less layout work than that costs less than a process start
PROGRESS_MIN = 50  # log progress when drawing at least this many diagrams


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


# Diagrams keyed by the data they are drawn from (not their DOT) must change key
# when the code that turns data into DOT changes.
_DOT_CODE = hashlib.sha256(Path(__file__).with_name("dot.py").read_bytes()
                           + Path(__file__).read_bytes()).hexdigest()[:16]


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
        self.rendered = 0
        self.reused = 0

    def key(self, dot: str, engine: str) -> str:
        return hashlib.sha256(f"{self.graphviz.version}\0{engine}\0{dot}".encode()).hexdigest()[:32]

    def _cached(self, key: str) -> str | None:
        if key in self.memory:
            return self.memory[key]
        if self.cache_dir is not None:
            path = self.cache_dir / f"{key}.svg"
            if path.is_file():
                svg = path.read_text(encoding="utf-8")
                self.memory[key] = svg
                return svg
        return None

    def _store(self, key: str, svg: str) -> None:
        self.memory[key] = svg
        if self.cache_dir is not None:
            try:
                self.cache_dir.mkdir(parents=True, exist_ok=True)
                temporary = self.cache_dir / f"{key}.svg.tmp"
                temporary.write_text(svg, encoding="utf-8")
                temporary.replace(self.cache_dir / f"{key}.svg")
            except OSError as exc:
                self.warn(f"cannot write the diagram cache {self.cache_dir}: {exc.strerror}")
                self.cache_dir = None

    def render(self, jobs: list[Job]) -> dict[str, str]:
        """key → SVG for every job; one Graphviz process per engine for all cache misses."""
        out: dict[str, str] = {}
        missing: dict[str, list[Job]] = {}
        for job in jobs:
            job.key = job.key or self.key(job.source(), job.engine)
            svg = self._cached(job.key)
            if svg is not None:
                out[job.key] = svg
                self.reused += 1
            elif job.key not in {j.key for j in missing.get(job.engine, [])}:
                missing.setdefault(job.engine, []).append(job)
        for engine, batch in missing.items():
            started = time.perf_counter()
            chunks = self._chunks(batch)
            if len(batch) >= PROGRESS_MIN:
                self.info(f"drawing {len(batch)} diagrams with Graphviz `{engine}` in {len(chunks)} process(es)…")
            with ThreadPoolExecutor(len(chunks)) as pool:
                drawn = list(pool.map(lambda chunk: self._run_batch(engine, chunk), chunks))
            for chunk, svgs in zip(chunks, drawn):
                for job, svg in zip(chunk, svgs):
                    self._store(job.key, svg)
                    out[job.key] = svg
                    self.rendered += 1
            if len(batch) >= PROGRESS_MIN:
                self.info(f"drew {len(batch)} diagrams with `{engine}` in {time.perf_counter() - started:.1f} s")
        return out

    def _chunks(self, batch: list[Job]) -> list[list[Job]]:
        """The batch split across up to one Graphviz process per core, balanced by DOT size
        (layout time grows with it), when there is enough work to pay for a process start."""
        sizes = {id(job): len(job.source()) for job in batch}
        count = min(self.workers, len(batch), max(1, sum(sizes.values()) // CHUNK_BYTES))
        chunks: list[list[Job]] = [[] for _ in range(count)]
        loads = [0] * count
        for job in sorted(batch, key=lambda j: -sizes[id(j)]):
            lightest = loads.index(min(loads))
            chunks[lightest].append(job)
            loads[lightest] += sizes[id(job)]
        return [chunk for chunk in chunks if chunk]

    def _run(self, engine: str, source: str, timeout: float) -> str:
        with self._lock:
            self.processes += 1
        result = subprocess.run(
            [self.graphviz.executable, f"-K{engine}", "-Tsvg"], input=source.encode("utf-8"),
            capture_output=True, timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr.decode("utf-8", "replace").strip() or f"exit {result.returncode}")
        return result.stdout.decode("utf-8")

    def _run_batch(self, engine: str, batch: list[Job]) -> list[str]:
        # All graphs on one stdin: 1,000 ego graphs take ~1.7 s instead of ~20 s one process each.
        if len(batch) > 1:
            try:
                output = self._run(engine, "\n".join(j.source() for j in batch), TIMEOUT_SECONDS)
                svgs = [part + "</svg>\n" for part in output.split("</svg>")[:-1]]
                if len(svgs) == len(batch):
                    return svgs
            except (RuntimeError, subprocess.TimeoutExpired, OSError):
                pass  # one bad graph spoils the batch: render them one by one below
        return [self._render_one(engine, job) for job in batch]

    def _render_one(self, engine: str, job: Job) -> str:
        try:
            return self._run(engine, job.source(), TIMEOUT_SECONDS)
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            reason = "it took too long" if isinstance(exc, subprocess.TimeoutExpired) else str(exc)
            if engine != "sfdp":
                self.warn(f"Graphviz `{engine}` failed ({reason}); drawing the diagram with `sfdp` instead")
                return self._render_one("sfdp", job)
            self.warn(f"a diagram could not be drawn ({reason}); its table is still on the page")
            return '<svg xmlns="http://www.w3.org/2000/svg" class="pb-failed"></svg>'


# -- SVG for one page ----------------------------------------------------------

_PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
_ID = re.compile(r'\bid="([^"]*)"')
_LINK = re.compile(r'xlink:href="pb:(partner|decision|agreement):([a-z0-9-]+)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def svg_for_page(svg: str, *, prefix: str, title: str, desc: str, href: Callable[[str, str], str]) -> str:
    """Graphviz SVG → inline SVG for one page: ids made unique, links relative, title and desc first."""
    svg = _PROLOG.sub("", svg).strip()
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1).replace(",", "-")}"', svg)
    svg = svg.replace('href="#', f'href="#{prefix}-').replace("url(#", f"url(#{prefix}-")
    svg = _LINK.sub(lambda m: f'xlink:href="{escape(href(m.group(1), m.group(2)))}"', svg)
    labelled = (f'<title id="{prefix}-title">{escape(title)}</title>'
                f'<desc id="{prefix}-desc">{escape(desc)}</desc>')
    return _SVG_OPEN.sub(
        lambda m: m.group(0)[:-1] + f' role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
                                    f'class="pb-svg">' + labelled, svg, count=1)


# -- the diagrams of one build -------------------------------------------------

@dataclass
class DiagramSet:
    """The diagrams requested while pages were rendered, rendered together on demand."""

    renderer: DiagramRenderer
    sfdp_threshold: int = 150
    jobs: dict[str, Job] = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    svgs: dict[str, str] = field(default_factory=dict)

    def engine_for(self, node_count: int) -> str:
        return "dot" if node_count <= self.sfdp_threshold else "sfdp"

    def request(self, dot_for_engine: Callable[[str], str], node_count: int, title: str, desc: str,
                inputs: str | None = None) -> str:
        """Register a diagram; returns its key. With `inputs` (everything the DOT is built
        from, as text) the key comes from them and the DOT is only built if not cached."""
        engine = self.engine_for(node_count)
        if inputs is None:
            dot: str | Callable[[], str] = dot_for_engine(engine)
            key = self.renderer.key(dot, engine)
        else:
            dot = lambda: dot_for_engine(engine)  # noqa: E731
            key = self.renderer.key(f"inputs {_DOT_CODE}\0{inputs}", engine)
        self.jobs.setdefault(key, Job(dot, engine, key))
        self.labels[key] = (title, desc)
        return key

    def start_rendering(self) -> None:
        """Render what is pending in a background thread, so Graphviz works while MkDocs
        builds the pages; `insert` waits for it only when a page needs a diagram."""
        self.wait()
        pending = [job for key, job in self.jobs.items() if key not in self.svgs]
        if pending:
            self._background = ThreadPoolExecutor(1, thread_name_prefix="partnerbook-graphviz")
            self._rendering = self._background.submit(self.renderer.render, pending)

    def wait(self) -> None:
        """Collect what the background thread rendered (and its exception, if any)."""
        rendering = getattr(self, "_rendering", None)
        if rendering is not None:
            self._rendering = None
            self._background.shutdown(wait=False)
            self.svgs.update(rendering.result())

    def render_pending(self) -> None:
        self.wait()
        pending = [job for key, job in self.jobs.items() if key not in self.svgs]
        if pending:
            self.svgs.update(self.renderer.render(pending))

    def insert(self, html: str, href: Callable[[str, str], str]) -> str:
        """Swap a page's diagram placeholders for SVG whose ids are unique on the page."""
        counter = iter(range(1, 10**9))

        def one(match: re.Match) -> str:
            key = match.group(1)
            if key not in self.svgs:
                self.render_pending()  # collects the background batch; draws what came after it
            title, desc = self.labels[key]
            return svg_for_page(self.svgs[key], prefix=f"pbd{next(counter)}-{key[:6]}",
                                title=title, desc=desc, href=href)

        return _PLACEHOLDER.sub(one, html)


_PLACEHOLDER = re.compile(r"<!--pb-diagram:([0-9a-f]+)-->")


def diagram_figure(page, *, kind: str, network: str | None, focus: str | None) -> dict:
    """Context of `view-diagram.html.j2`: registers the diagram and returns its placeholder."""
    renderer = page.renderer
    model = renderer.network
    diagrams: DiagramSet | None = renderer.diagrams
    keep = renderer.index.neighbours(focus) if focus else None
    if kind == "funding":
        title = f"Funding flows of {model.info.name}"
        nodes = len({f.source_id for f in model.funding} | {f.target_id for f in model.funding})
        build = lambda engine: funding_dot(model, engine, keep)  # noqa: E731
        desc = "Who pays whom at the snapshot date; edge width grows with the amount within a currency."
    elif kind == "power":
        title = f"Who decides what in {model.info.name}"
        nodes = len(model.decisions) + len({p for d in model.decisions for p in d.participation})
        build = lambda engine: power_dot(model, engine, keep)  # noqa: E731
        desc = "Key decisions and the partners taking part in them; thicker lines mean more say."
    elif kind == "agreements":
        title = f"Agreements of {model.info.name}"
        nodes = len(model.agreements) + len({p for a in model.agreements for p in a.parties})
        build = lambda engine: agreements_dot(model, engine, keep)  # noqa: E731
        desc = "Each agreement and the partners party to it; solid lines signed, dashed in negotiation."
    else:
        scope = {"ivn": "inner value network", "ovn": "outer value network"}.get(network, "value network")
        if focus:
            title = f"Ego network of {model.partner(focus).name}"
            desc = f"{model.partner(focus).name}, its direct counterparts and the value exchanged between them."
        else:
            title = f"The {scope} of {model.info.name}"
            desc = ("Partners and the value they exchange; the inner value network is boxed, "
                    "outer partners are grouped by type; dashed lines are intangible exchanges.")
        nodes = len(keep) if keep is not None else len(model.partners)
        build = lambda engine: network_dot(model, engine, only=network, keep=keep, focus=focus,  # noqa: E731
                                           title=title, index=renderer.index)
        inputs = network_inputs(renderer.index, keep, network, focus, title)
    legend = kind == "network"
    if diagrams is None:
        return {"placeholder": Markup(""), "title": title, "legend": legend, "kind": kind}
    key = diagrams.request(build, nodes, title, desc, inputs=inputs if kind == "network" else None)
    return {"placeholder": Markup(f"<!--pb-diagram:{key}-->"), "title": title, "legend": legend, "kind": kind}


def network_inputs(index, keep: set[str] | None, only: str | None, focus: str | None, title: str) -> str:
    """What `network_dot` reads, as text: the partners shown and their exchanges, with every field.

    Hashing this instead of the DOT saves building 1,000 ego graphs with pydot
    on a build where none of them changed."""
    model = index.network
    ids = sorted(keep, key=index.position.__getitem__) if keep is not None else [p.id for p in model.partners]
    kept = set(ids)
    parts = [repr((model.as_of, model.info.focal, only, focus, title))]
    for pid in ids:
        parts.append(repr(model.partner(pid)))
        parts.extend(repr(e) for e in index.exchanges_out.get(pid, ()) if e.target_id in kept)
    return "\n".join(parts)
