"""The diagrams of one build: requested while pages render, drawn together, inlined into pages.

Partner nodes link to `pb:partner:<id>` (group nodes to `pb:group:<id>`); the
SVG is rendered once per DOT source and the placeholder links are made
relative to each page that shows it, so one render serves every page depth.
Colours come from CSS classes (see assets/partnerbook.css), so diagrams follow
Material's light and dark palettes. The "full size" link of a figure is made in the
reader's browser from the SVG on the page (assets/partnerbook.js): a file per diagram was
a thousand files at 1,000 partners, a second of every build on a slow disk.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from ..analysis.index import NetworkIndex
from ..base.parallel import ChildFailed, Forked, can_fork
from ..i18n.language import _, active, format_number
from .dot import agreements_dot, funding_dot, funding_node_count, power_dot
from .graphviz import INSTALL_HINT, DiagramRenderer, Graphviz, GraphvizMissing, Job, find_graphviz  # noqa: F401 (the hosts' API)
from .groups import Group, group_links, partner_groups
from .network_dot import ENGINE as RINGS_ENGINE
from .network_dot import overview_dot, rings_dot
from .page_svg import svg_for_page

OVERVIEW_THRESHOLD = 50
SFDP_THRESHOLD = 150  # diagrams with more nodes are laid out by `sfdp` (option `sfdp_threshold`)
FORK_MIN_DIAGRAMS = 100  # fewer are drawn in a thread: a fork would cost more than it saves

# Diagrams keyed by the data they are drawn from (not their DOT) must change key
# when the code that turns data into DOT changes.
_HERE = Path(__file__).parent
_DOT_CODE = hashlib.sha256(b"".join((_HERE / name).read_bytes() for name in (
    "dot.py", "network_dot.py", "layout.py", "groups.py", "figures.py", "page_svg.py"))).hexdigest()[:16]


# -- the diagrams of one build -------------------------------------------------

@dataclass
class DiagramSet:
    """The diagrams requested while pages were rendered, rendered together on demand."""

    renderer: DiagramRenderer
    sfdp_threshold: int = SFDP_THRESHOLD
    overview_threshold: int = OVERVIEW_THRESHOLD  # partners shown above which the network is drawn as groups
    jobs: dict[str, Job] = field(default_factory=dict)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)
    svgs: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # title → reason, of diagrams inserted undrawn
    reported: set[str] = field(default_factory=set)
    asked: dict[str, tuple] = field(default_factory=dict)  # key → (page, kind, network, focus) of its request

    def engine_for(self, node_count: int) -> str:
        return "dot" if node_count <= self.sfdp_threshold else "sfdp"

    def request(self, dot_for_engine: Callable[[str], str], node_count: int, title: str, desc: str,
                inputs: str | None = None, engine: str | None = None) -> str:
        """Register a diagram; returns its key. With `inputs` (everything the DOT is built
        from, as text) the key comes from them and the DOT is only built if not cached."""
        engine = engine or self.engine_for(node_count)
        dot: str | Callable[[], str]
        if inputs is None:
            dot = dot_for_engine(engine)
            key = self.renderer.key(dot, engine)
        else:
            dot = lambda: dot_for_engine(engine)  # noqa: E731
            key = self.renderer.key(f"inputs {_DOT_CODE}\0{inputs}", engine)
        self.jobs.setdefault(key, Job(dot, engine, key))
        self.labels[key] = (title, desc)
        return key

    def replay(self, diagrams: dict[str, tuple[str, str, str]], svgs: dict[str, str]) -> None:
        """The diagrams of replayed pages (buildcache.py), key → (engine, title, desc), already drawn."""
        for key, (engine, title, desc) in diagrams.items():
            self.jobs.setdefault(key, Job("", engine, key))
            self.labels[key] = (title, desc)
        self.svgs.update(svgs)
        self.renderer.reused += len(svgs)

    def adopt(self, diagrams: dict[str, tuple[str, str, str, tuple]], renderer: Any) -> None:
        """Diagrams pages asked for in another process (parallel.py), key → (engine, title, desc,
        what the page asked): their DOT is built from that if the diagram cache lacks them."""
        for key, (engine, title, desc, asked) in diagrams.items():
            self.jobs.setdefault(key, Job(functools.partial(dot_of, renderer, asked, engine), engine, key))
            self.labels[key] = (title, desc)
            self.asked.setdefault(key, asked)

    def start_rendering(self, fork: bool = False) -> None:
        """Render what is pending in the background, so Graphviz works while the host builds
        the pages; `insert` waits for it only when a page needs a diagram. With `fork`, where it
        is safe (parallel.py), in a process of its own: building the DOT of 1,000 ego diagrams
        takes a second of Python, which a thread would take from the host's pages."""
        self.wait()
        pending = [job for key, job in self.jobs.items() if key not in self.svgs]
        if not pending:
            return
        if fork and can_fork(len(pending), FORK_MIN_DIAGRAMS):
            self._forked: tuple[Forked, list[Job]] | None = (
                Forked(lambda: self.renderer.render_detached(pending)), pending)
        else:
            self._background = ThreadPoolExecutor(1, thread_name_prefix="partnerbook-graphviz")
            self._rendering: Future[dict[str, str]] | None = self._background.submit(self.renderer.render, pending)

    def wait(self) -> None:
        """Collect what the background rendered (and its exception, if any)."""
        forked = getattr(self, "_forked", None)
        if forked is not None:
            self._forked = None
            child, pending = forked
            try:
                self.svgs.update(self.renderer.adopt(child.result()))
            except ChildFailed:
                self.svgs.update(self.renderer.render(pending))
        rendering = getattr(self, "_rendering", None)
        if rendering is not None:
            self._rendering = None
            self._background.shutdown()  # its work is done: the thread ends now, and a fork is safe again
            self.svgs.update(rendering.result())

    def render_pending(self) -> None:
        self.wait()
        pending = [job for key, job in self.jobs.items()
                   if key not in self.svgs and key not in self.renderer.failures]
        if pending:
            self.svgs.update(self.renderer.render(pending))

    def keys_in(self, texts: list[str]) -> set[str]:
        """The keys of the diagrams whose placeholders are in `texts` (buildcache.py records them)."""
        return {key for text in texts for key in _PLACEHOLDER.findall(text) if key in self.labels}

    def insert(self, html: str, href: Callable[[str, str], str]) -> str:
        """Swap a page's diagram placeholders for SVG whose ids are unique on the page.

        A diagram Graphviz could not draw shows as a sentence saying so, and is
        remembered in `failed` for the host to report (an error, not a blank)."""
        counter = iter(range(1, 10**9))

        def one(match: re.Match) -> str:
            key = match.group(1)
            if key not in self.svgs:
                self.render_pending()  # collects the background batch; draws what came after it
            title, desc = self.labels.get(key, (key, ""))  # (every placeholder is registered)
            if key not in self.svgs:
                reason = self.renderer.failures.get(key, "unknown reason")
                self.failed[title] = reason
                message = _("The diagram “%(title)s” could not be drawn (%(reason)s); the tables on this page "
                            "hold the same information.", title=title, reason=reason)
                return f'<p class="pb-diagram-failed" role="alert">{escape(message)}</p>'
            return svg_for_page(self.svgs[key], prefix=f"pbd{next(counter)}-{key[:6]}",
                                title=title, desc=desc, href=href)

        return _PLACEHOLDER.sub(one, html)

    def new_failures(self) -> list[str]:
        """Messages for the diagrams that failed since the last call: the host makes them
        build errors (warnings under `mkdocs serve`)."""
        messages = []
        for title, reason in self.failed.items():
            if title not in self.reported:
                self.reported.add(title)
                messages.append(f"the diagram “{title}” could not be drawn by Graphviz: {reason}")
        return messages


_PLACEHOLDER = re.compile(r"<!--pb-diagram:([0-9a-f]+)-->")


def diagram_figure(page: Any, *, kind: str, network: str | None, focus: str | None) -> dict:
    """Context of `view-diagram.html.j2`: registers the diagram and returns its placeholder."""
    renderer = page.renderer
    diagrams: DiagramSet | None = renderer.diagrams
    title, desc, nodes, build, inputs, engine, groups = _figure_parts(page, kind, network, focus)
    # Group nodes link to their member lists, which the network page holds.
    members = page.src_uri == renderer.paths.section("network")
    # (`full_size` stays for templates overridden before the browser made the full-size file: no link)
    figure = {"title": title, "legend": kind == "network", "kind": kind, "overview": groups, "members": members,
              "placeholder": Markup(""), "drawn": False, "full_size": None, "too_many": None, "empty": None}
    if not nodes:
        # Nothing to draw: a sentence, not an empty 8 × 8 pt drawing with zoom buttons.
        figure["empty"] = _EMPTY[kind]()
        return figure
    if diagrams is None:
        return figure
    limit = 2 * diagrams.overview_threshold
    if kind in ("agreements", "power") and limit and nodes > limit:
        # A node per agreement or decision and per party: a hairball of hundreds of labels,
        # and half a megabyte of SVG on the page. The table beside it carries the detail.
        figure["too_many"] = nodes
        return figure
    key = diagrams.request(build, nodes, title, desc, inputs=inputs, engine=engine)
    diagrams.asked[key] = (page.src_uri, kind, network, focus)
    figure["placeholder"] = Markup(f"<!--pb-diagram:{key}-->")
    figure["drawn"] = True
    return figure


# What a diagram with no node says instead (the network diagram always has the focal organisation).
_EMPTY = {
    "funding": lambda: _("No funding flows are recorded, so there is no flow diagram; add them under \"funding\" "
                         "in a file of the data folder."),
    "power": lambda: _("No decisions are recorded, so there is no diagram of who decides what; add them under "
                       "\"decisions\" in a file of the data folder."),
    "agreements": lambda: _("No agreements are recorded, so there is no diagram of them; add them under "
                            "\"agreements\" in a file of the data folder."),
    "network": lambda: _("No partner is in this part of the network."),
}


def dot_of(renderer: Any, asked: tuple, engine: str) -> str:
    """The DOT of a diagram a page asked for in another process (parallel.py), from what it asked."""
    src_uri, kind, network, focus = asked
    return _figure_parts(renderer.page(src_uri), kind, network, focus)[3](engine)


def _figure_parts(page: Any, kind: str, network: str | None, focus: str | None) -> tuple:
    """(title, desc, node count, DOT builder, inputs, engine, groups) of one diagram."""
    renderer = page.renderer
    model = renderer.network
    diagrams: DiagramSet | None = renderer.diagrams
    keep = renderer.index.neighbours(focus) if focus else None
    inputs, engine, groups = None, None, None
    if kind == "funding":
        title = _("Funding flows of %(name)s", name=model.info.name)
        nodes = funding_node_count(model, renderer.money, keep)
        build = lambda engine: funding_dot(model, engine, keep, renderer.money)  # noqa: E731
        desc = _("Money per giver, receiver and currency in the funding window (all time when it is empty): "
                 "income on the left, spending on the right, flows elsewhere fainter; edge width grows with "
                 "the amount within a currency.")
    elif kind == "power":
        title = _("Who decides what in %(name)s", name=model.info.name)
        nodes = len(model.decisions) + len({p for d in model.decisions for p in d.participation})
        build = lambda engine: power_dot(model, engine, keep)  # noqa: E731
        desc = _("Key decisions and the partners taking part in them; thicker lines mean more say.")
    elif kind == "agreements":
        title = _("Agreements of %(name)s", name=model.info.name)
        nodes = len(model.agreements) + len({p for a in model.agreements for p in a.parties})
        build = lambda engine: agreements_dot(model, engine, keep)  # noqa: E731
        desc = _("Each agreement and the partners party to it; solid lines signed, dashed in negotiation.")
    else:
        title, desc, nodes, build, inputs, groups = _network_diagram(page, network, focus, keep, diagrams)
        engine = RINGS_ENGINE
    return title, desc, nodes, build, inputs, engine, groups


def _network_diagram(page: Any, only: str | None, focus: str | None, keep: set[str] | None,
                     diagrams: DiagramSet | None) -> tuple:
    """(title, desc, node count, DOT builder, inputs, groups) of the value network or an ego network:
    rings of partners, or above the threshold an overview of groups (groups is then not None)."""
    renderer = page.renderer
    model = renderer.network
    threshold = diagrams.overview_threshold if diagrams is not None else OVERVIEW_THRESHOLD
    if focus == model.info.focal and keep is not None and len(keep) > threshold > 0:
        focus, keep = None, None  # the focal organisation's ego network is the whole network: its overview
    elif focus and keep is not None and len(keep) > threshold > 0:
        return _ego_overview(renderer, focus, keep)
    # Partners shown, for the overview test: only without a focus (then keep is None too), so
    # 1,000 ego diagrams do not each filter 1,000 partners.
    shown = [] if focus else [p for p in renderer.index.partners_of(only) if p.active_on(model.as_of)]
    if focus is None and len(shown) > threshold > 0:
        title = {"ivn": _("Overview of the inner value network of %(name)s", name=model.info.name),
                 "ovn": _("Overview of the outer value network of %(name)s", name=model.info.name)}.get(
                     only or "", _("Overview of the value network of %(name)s", name=model.info.name))
        order = renderer.index.position
        groups = partner_groups(model, sorted(shown, key=lambda p: order[p.id]))
        links, within = group_links(model, groups, [e for e in model.exchanges if e.active_on(model.as_of)])
        desc = _("%(partners)s partners in %(groups)s groups: the focal organisation at the centre, inner-network "
                 "partners by kind around it, outer-network partners by type outside; each line counts the "
                 "tangible / intangible exchanges between two groups (all links of the focal organisation, "
                 "the strongest of the others). Each group links to its members.",
                 partners=format_number(len(shown)), groups=format_number(len(groups)))
        build = lambda engine: overview_dot(groups, links, within, title)  # noqa: E731
        return title, desc, len(groups), build, None, {"groups": groups, "links": links, "within": within}
    if focus:
        title = _("Ego network of %(name)s", name=model.partner(focus).name)
        desc = _("%(name)s at the centre, its inner-network counterparts on the inner ring, "
                 "outer-network counterparts on the outer ring, and the value exchanged between them.",
                 name=model.partner(focus).name)
    else:
        title = {"ivn": _("The inner value network of %(name)s", name=model.info.name),
                 "ovn": _("The outer value network of %(name)s", name=model.info.name)}.get(
                     only or "", _("The value network of %(name)s", name=model.info.name))
        desc = _("Partners and the value they exchange as rings: the focal organisation at the centre, the inner "
                 "value network around it, the outer network outside grouped by type; dashed lines are "
                 "intangible exchanges.")
    build = lambda engine: rings_dot(model, only=only, keep=keep, focus=focus,  # noqa: E731
                                     title=title, index=renderer.index)
    nodes = len(keep) if keep is not None else len(model.partners)
    return title, desc, nodes, build, network_inputs(renderer.index, keep, only, focus, title), None


_stamps: dict[tuple, str] = {}


def _language_stamp() -> str:
    """The active language and a digest of its catalogs, read again only when one changes (serve)."""
    language = active()
    key = (language.code, tuple((path, path.stat().st_mtime_ns) for path in language.catalogs))
    if key not in _stamps:
        digest = hashlib.sha256()
        for path in language.catalogs:
            digest.update(path.read_bytes())
        _stamps[key] = f"{language.code} {digest.hexdigest()}"
    return _stamps[key]


def _ego_overview(renderer: Any, focus: str, keep: set[str]) -> tuple:
    """A hub's ego network above the threshold: the partner at the centre, its counterparts in
    groups around it (the focal organisation among them, on the inner ring), as the network
    page's overview draws the whole network; its relationships table names every counterpart."""
    model, index = renderer.network, renderer.index
    centre = model.partner(focus)
    others = [model.partner(pid) for pid in sorted(keep - {focus}, key=index.position.__getitem__)]
    groups = partner_groups(model, [p for p in others if p.active_on(model.as_of)])
    for group in groups:
        if group.network == "focal":  # the focal organisation is one counterpart here, not the centre
            group.network = "ivn"
    middle = Group(f"centre:{focus}", model.network_of(centre), centre.name, [centre], link=f"pb:partner:{focus}")
    exchanges = sorted((e for pid in keep for e in index.exchanges_out.get(pid, ())
                        if e.target_id in keep and e.active_on(model.as_of)),
                       key=lambda e: index.exchange_position[id(e)])
    links, within = group_links(model, [middle, *groups], exchanges)
    title = _("Overview of the ego network of %(name)s", name=centre.name)
    desc = _("%(name)s at the centre, its %(count)s counterparts in %(groups)s groups around it: inner-network "
             "partners by kind, outer-network partners by type; each line counts the tangible / intangible "
             "exchanges between two groups. The relationships table on this page names every counterpart.",
             name=centre.name, count=format_number(len(others)), groups=format_number(len(groups)))
    build = lambda engine: overview_dot([middle, *groups], links, within, title)  # noqa: E731
    between = [link for link in links if middle.id not in (link.first, link.second)]
    return title, desc, len(groups) + 1, build, None, {"groups": groups, "links": between, "within": within}


def network_inputs(index: NetworkIndex, keep: set[str] | None, only: str | None, focus: str | None, title: str) -> str:
    """What `rings_dot` reads, as text: the partners shown and their exchanges, with every field.

    Hashing this instead of the DOT saves building 1,000 ego graphs with pydot
    on a build where none of them changed."""
    model = index.network
    ids = sorted(keep, key=index.position.__getitem__) if keep is not None else [p.id for p in model.partners]
    kept = set(ids)
    # The tooltips are in the reader's language, whatever the title says: the catalogs are inputs too.
    parts = [repr((model.as_of, model.info.focal, only, focus, title, [r.id for r in model.roles])), _language_stamp()]
    texts = index.record_texts
    for pid in ids:
        parts.append(texts[id(model.partner(pid))])
        parts.extend(texts[id(e)] for e in index.exchanges_to(pid, kept))
    return "\n".join(parts)
