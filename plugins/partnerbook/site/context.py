"""Views: the HTML components that generated pages and ```partnerbook blocks share.

A view is rendered to HTML before Markdown runs, parked in a `Stash`, and its
placeholder (an HTML comment) is swapped for it after Markdown, so Markdown
never touches the HTML or SVG.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from ..analysis import elephant
from ..analysis.health import health_report
from ..analysis.impact import NetworkImpact, network_impact
from ..analysis.index import NetworkIndex
from ..analysis.money import WINDOW_MONTHS, Money, compute_money
from ..base.urls import SitePaths, relative_file_url, relative_md, relative_url
from ..data.editions import Withheld
from ..data.model import Network
from ..i18n.language import _, ngettext
from . import components, paging
from .reads import ReadLog, Tracked, TrackedMapping
from .templating import breakable_html, environments, md_escape

# A placeholder's key: the page's scope (a digest of its path) and the view's number on that page,
# so a page's Markdown is the same whatever other pages did (build/build.py reuses pages one by one).
_TOKEN = re.compile(r"(?:<p>\s*)?<!--partnerbook(-late)?:([0-9a-f]*\.\d+)-->(?:\s*</p>)?")
_LATE_TOKEN = re.compile(r"<!--partnerbook-late:([0-9a-f]*\.\d+)-->")


def page_scope(src_uri: str) -> str:
    """The scope of a page's placeholders (12 hex digits: no two of a site's pages share one in practice)."""
    return hashlib.blake2b(src_uri.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


class Stash:
    """HTML parked while Markdown runs; `insert` puts it back into a page's HTML.

    Views put `late` are only put back by `insert_late`, after the search plugin
    has indexed the page: the big tables of section pages repeat what partner
    pages say, and indexing them would double the build time at 1,000 partners
    and make every search hit the matrices before the partner's own page.
    """

    def __init__(self, keep: bool = False) -> None:
        self._html: dict[str, str] = {}
        self._order: list[str] = []  # keys in the order they were put (`entries_from`)
        self._numbers: dict[str, int] = {}  # scope → the next view's number on that page
        # A host that may render a page twice from one build (Zensical) keeps the HTML.
        self._take = self._html.get if keep else self._html.pop

    @property
    def counter(self) -> int:
        """How many views were put: `entries_from(counter)` later gives those put since."""
        return len(self._order)

    def put(self, html: str, late: bool = False, scope: str = "") -> Markup:
        number = self._numbers.get(scope, 0)
        self._numbers[scope] = number + 1
        key = f"{scope}.{number}"
        self._order.append(key)
        # Hosts that index a page after the last hook (Zensical) skip what is marked so.
        self._html[key] = _search_excluded(html) if late else html
        return Markup(f"\n<!--partnerbook{'-late' if late else ''}:{key}-->\n")

    def insert(self, page_html: str) -> str:
        """Swap placeholders for their HTML (late ones for a bare marker)."""
        def one(match: re.Match) -> str:
            if match.group(1):
                return f"<!--partnerbook-late:{match.group(2)}-->"
            return self._take(match.group(2), "")
        return _TOKEN.sub(one, page_html)

    def expand(self, text: str) -> str:
        """The text with every placeholder's HTML in it, the stash left as it is (to hash a page)."""
        return _TOKEN.sub(lambda m: self._html.get(m.group(2), ""), text)

    def insert_late(self, page_html: str) -> str:
        return _LATE_TOKEN.sub(lambda m: self._take(m.group(1), ""), page_html)

    def entries_from(self, first: int) -> dict[str, str]:
        """The HTML parked since `counter` was `first` (what one page, or another process, put)."""
        return {key: self._html[key] for key in self._order[first:] if key in self._html}

    def restore(self, entries: dict[str, str]) -> None:
        """Park what `entries_from` returned (on an earlier build, or in another process: parallel.py)."""
        self._html.update(entries)
        self._order.extend(entries)


_FIRST_TAG = re.compile(r"^\s*<([a-zA-Z][a-zA-Z0-9]*)")


def _search_excluded(html: str) -> str:
    """The view with `data-search-exclude` on its outer element (Material's and Zensical's search skip it)."""
    return _FIRST_TAG.sub(lambda m: m.group(0) + " data-search-exclude", html, count=1)


@dataclass
class Renderer:
    """Renders pages and views for one build of one network."""

    network: Network
    paths: SitePaths
    use_directory_urls: bool
    templates_dir: Path | None = None
    stash: Stash = field(default_factory=Stash)
    diagrams: object | None = None  # diagrams.DiagramSet, when Graphviz is in use
    backlinks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    downloads: tuple[tuple[str, str], ...] = ()  # (file name, what it is) offered on the network page
    window_months: int = WINDOW_MONTHS  # the funding window (plugin option `funding_window_months`)
    # Zensical resolves relative links in a page's HTML from its source file, as
    # Markdown links are; MkDocs leaves them to the browser (from the page's URL).
    links_from_source: bool = False
    checks: dict[str, str] = field(default_factory=dict)  # the author's level per check id (findings too)
    withheld: Withheld = field(default_factory=Withheld)  # how many records the public edition left out
    bytecode_dir: Path | None = None  # where compiled templates are kept between builds (the cache folder)

    def __post_init__(self) -> None:
        # Pages see the data only through proxies that note what each page reads (reads.py);
        # `data` is the network itself, for what is computed once per build.
        self.data: Network = self.network._target if isinstance(self.network, Tracked) else self.network
        backlinks = self.backlinks._target if isinstance(self.backlinks, TrackedMapping) else self.backlinks
        self.reads = ReadLog()
        index = NetworkIndex(self.data)
        # Long lists go on over sub-pages; links to what moved there follow it (urls.SitePaths.moved).
        self.paging = paging.plan(self.data, index, self.paths)
        self.paths = dataclasses.replace(self.paths, moved=self.paging.moved)
        self.markdown_env, self.html_env = environments(self.templates_dir, self.bytecode_dir)
        self.network = self.reads.track(self.data, "network")
        self.index = self.reads.track(index, "index")
        self.backlinks = self.reads.track(backlinks, "backlinks")
        self._index = index

    @functools.cached_property
    def _money(self) -> Money:
        return compute_money(self.data, self.window_months)

    @functools.cached_property
    def _impact(self) -> NetworkImpact:
        return network_impact(self.data, self._money)

    @functools.cached_property
    def money(self) -> Money:
        """The money of the build (money.py), computed once: every page and the health report read it."""
        return self.reads.track(self._money, "money")

    @functools.cached_property
    def health(self) -> dict:
        """The health report, computed once per build however many pages show it."""
        report = health_report(self.data, self._index, self._money, impacts=self._impact, levels=self.checks)
        return self.reads.track(report, "health")

    @functools.cached_property
    def impact(self) -> NetworkImpact:
        """What the network would lose without each partner: partner pages, the ranking and health read it."""
        return self.reads.track(self._impact, "impact")

    @functools.cached_property
    def elephants(self) -> dict:
        """The elephant factors (analysis/elephant.py), computed once: income per currency, per project, seats."""
        return self.reads.track({"income": elephant.income(self.data, self._money),
                                 "projects": elephant.projects(self.data),
                                 "decisions": elephant.decisions(self.data)}, "elephants")

    def roots(self) -> None:
        """Make every root a later build's reads are checked against (the analyses are computed on use)."""
        for name in ("money", "health", "impact", "elephants"):
            getattr(self, name)

    def page(self, src_uri: str) -> PageContext:
        return PageContext(self, src_uri)


@dataclass
class PageContext:
    """What templates of one page may call: links relative to this page, and views."""

    renderer: Renderer
    src_uri: str
    late_views: bool = False  # a generated section page: its views are not indexed by search
    # On a partner page: which of its views search indexes (the others repeat what other pages say).
    indexed: Callable[[str, dict], bool] | None = None
    prose: bool = False  # a prose page's ```partnerbook block: long lists show their first rows (paging.PROSE_ROWS)
    # A whole document no host converts (a workshop sheet): its links are URLs under every host.
    standalone: bool = False

    # -- links --------------------------------------------------------------

    def href(self, kind: str, item_id: str | None = None) -> str:
        """A link in HTML, written as the host will read it."""
        src, anchor = self.renderer.paths.target(kind, item_id)
        if self.renderer.links_from_source and not self.standalone:
            return relative_md(self.src_uri, src, anchor)
        return relative_url(self.src_uri, src, self.renderer.use_directory_urls, anchor)

    def page_href(self, src_uri: str) -> str:
        """A link in HTML to another page of the site, by its source path."""
        if self.renderer.links_from_source and not self.standalone:
            return relative_md(self.src_uri, src_uri)
        return relative_url(self.src_uri, src_uri, self.renderer.use_directory_urls)

    def file_href(self, path: str) -> str:
        """A link in HTML to a file of the site that is not a page (a stylesheet a workshop sheet loads)."""
        if self.renderer.links_from_source and not self.standalone:
            return relative_md(self.src_uri, path)
        return relative_file_url(self.src_uri, path, self.renderer.use_directory_urls)

    def url(self, kind: str, item_id: str | None = None) -> str:
        """A link the browser resolves from the page's URL (SVG, which no host rewrites)."""
        src, anchor = self.renderer.paths.target(kind, item_id)
        return relative_url(self.src_uri, src, self.renderer.use_directory_urls, anchor)

    def name_of(self, kind: str, item_id: str) -> str:
        n = self.renderer.network
        if kind == "partner":
            return n.partner(item_id).name
        if kind == "role":
            return n.role(item_id).name
        if kind == "agreement":
            return n.agreement(item_id).title
        if kind == "decision":
            return n.decision(item_id).name
        if kind == "project":
            return n.project(item_id).title
        return item_id

    def link(self, kind: str, item_id: str, text: str | None = None) -> Markup:
        """An HTML link to a partner, role, agreement or decision, labelled with its name."""
        label = text if text is not None else self.name_of(kind, item_id)
        # Plain f-string with escape(): Markup.format costs a third of page generation.
        return Markup(f'<a class="pb-{escape(kind)}" href="{escape(self.href(kind, item_id))}">{escape(label)}</a>')

    def md_link(self, kind: str, item_id: str | None = None, text: str | None = None) -> Markup:
        """A Markdown link (to the .md source), which MkDocs validates."""
        src, anchor = self.renderer.paths.target(kind, item_id)
        label = text if text is not None else self.name_of(kind, item_id) if item_id else kind
        return Markup(f"[{md_escape(label)}]({relative_md(self.src_uri, src, anchor)})")

    def pager(self, key, part: int) -> dict | None:
        """The links between the parts of a long list (paging.py), or None when it has one part."""
        return paging.pager(self, self.renderer.paging.get(key), part)

    def downloads(self) -> list[tuple[str, str]]:
        """(Markdown link target, what it is) of each data download of the site."""
        paths = self.renderer.paths
        return [(relative_md(self.src_uri, paths.download(name)), _(label))
                for name, label in self.renderer.downloads]

    # -- rendering ----------------------------------------------------------

    def globals(self) -> dict:
        r = self.renderer
        return {
            "network": r.network, "index": r.index, "page": self, "as_of": r.network.as_of,
            "link": self.link, "href": self.href, "md_link": self.md_link, "view": self.view,
            "withheld_note": self.withheld_note, "impact_shown": not r.withheld.impact_hidden,
        }

    def withheld_note(self, *collections: str) -> str:
        """"3 funding flows are not shown in this edition.": how many records of these kinds the
        public edition left out (never which), or "" when none."""
        counts = self.renderer.withheld.counts
        notes = {
            "partners": lambda n: ngettext("%(num)s partner is not shown in this edition.",
                                           "%(num)s partners are not shown in this edition.", n),
            "relationships": lambda n: ngettext("%(num)s relationship is not shown in this edition.",
                                                "%(num)s relationships are not shown in this edition.", n),
            "agreements": lambda n: ngettext("%(num)s agreement is not shown in this edition.",
                                             "%(num)s agreements are not shown in this edition.", n),
            "funding": lambda n: ngettext("%(num)s funding flow is not shown in this edition: the figures "
                                          "here are computed without it.",
                                          "%(num)s funding flows are not shown in this edition: the figures "
                                          "here are computed without them.", n),
            "projects": lambda n: ngettext("%(num)s project is not shown in this edition.",
                                           "%(num)s projects are not shown in this edition.", n),
            "decisions": lambda n: ngettext("%(num)s decision is not shown in this edition.",
                                            "%(num)s decisions are not shown in this edition.", n),
            "participation": lambda n: ngettext("%(num)s partner's participation is not shown in this edition.",
                                                "%(num)s partners' participation is not shown in this edition.", n),
        }
        return " ".join(notes[name](counts[name]) for name in collections if counts.get(name))

    def render_html(self, template: str, **context) -> Markup:
        html = _render(self.renderer.html_env.get_template(template), {**self.globals(), **context})
        # Blank lines inside a view would let Markdown split it if it ever saw it.
        return Markup("\n".join(line for line in html.splitlines() if line.strip()))

    def view_html(self, name: str, **options) -> Markup:
        return components.render(self, name, **options)

    def view(self, name: str, **options) -> Markup:
        """For Markdown templates: the view's placeholder."""
        late = self.late_views or (self.indexed is not None and not self.indexed(name, options))
        return self.park(breakable_html(self.view_html(name, **options)), late=late)

    def park(self, html: str, late: bool = False) -> Markup:
        """Park HTML in the stash under this page's scope; returns its placeholder."""
        return self.renderer.stash.put(html, late=late, scope=page_scope(self.src_uri))

    def render_page(self, template: str, **context) -> str:
        env = self.renderer.markdown_env
        return _render(env.get_template(template), {**self.globals(), **context})


class TemplateFailure(jinja2.TemplateRuntimeError):
    """Something a template called failed (`network.partner('nobody')`, `1/0`): reported like any
    template error, with the template's file and line, never as a traceback."""


def _render(template: jinja2.Template, context: dict) -> str:
    try:
        return template.render(context)
    except jinja2.TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001  (an author's template may call anything with any value)
        # Jinja has rewritten the traceback to the template's lines; the new error keeps it.
        message = f"no such id or key: {exc}" if isinstance(exc, KeyError) else f"{type(exc).__name__}: {exc}"
        raise TemplateFailure(message).with_traceback(exc.__traceback__) from None
