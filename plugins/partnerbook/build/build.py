"""One build of a handbook's site, whatever host runs it.

A `Session` (session.py) lives across a server's rebuilds; each build is a `Build` that
`Session.begin()` returns, with everything it needs set. The steps every host goes through,
in order: `Session.load` (data and checks) → `Session.begin` → `Build.read_prose` (blocks
checked, backlinks, diagrams asked for) → `generated_pages` → `downloads` / `assets` → per page
`page_markdown`, `page_html`, `page_output` → `finish`. The MkDocs/ProperDocs plugin and the
Zensical extension (hosts/) only map their host's hooks onto these. No host is imported here.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..base import parallel
from ..base.problems import Problem, counted, format_problems, printable
from ..data.load import in_reader_language
from ..data.model import Network
from ..diagrams import figures as diagrams
from ..formats import export
from ..i18n import language as i18n
from ..site import banners, blocks, pages
from ..site.context import Renderer, Stash
from ..site.reads import Digester, describe
from ..site.templating import template_problem
from . import cache as buildcache
from . import changes_page
from .downloads import download_files
from .prose import ProsePage, mentions, page_title, relink

if TYPE_CHECKING:
    from .session import Session


STORE_KEY = "site"  # the page cache keeps one store per kind (build/session.py)


class BuildError(Exception):
    """Stops the build; the message lists every problem as FILE:LINE: level: message."""


def _unsaid(message: str) -> None:
    pass


@dataclass
class BuildLog:
    info: Callable[[str], None]
    warning: Callable[[str], None]
    error: Callable[[str], None]
    debug: Callable[[str], None] = _unsaid  # one line per page made again, and why (`mkdocs build -v`)

    def __post_init__(self) -> None:
        # Every log line shows control characters from the data escaped, whatever the host prints with.
        for name in ("info", "warning", "error", "debug"):
            setattr(self, name, lambda message, say=getattr(self, name): say(printable(message)))  # noqa: B008  (binds each method now)


class Build:
    """One build of the site from the data a session loaded; made by `Session.begin()`."""

    def __init__(self, session: Session, network: Network, diagram_renderer: diagrams.DiagramRenderer,
                 language: i18n.Language, use_directory_urls: bool, *, links_from_source: bool = False):
        self.session = session
        self.network = network
        self.withheld = session.withheld  # what the public edition left out (data/editions.py)
        self.diagram_renderer = diagram_renderer
        self.language = language
        self.use_directory_urls = use_directory_urls
        # The problems shown on top of every page under a server: the session's, and this build's.
        self.serve_problems: list[Problem] = list(session.serve_problems)
        self.started = time.perf_counter()
        self.site_files: dict[str, str] = {}  # source path → file of each standalone page (generated_pages)
        i18n.activate(language)  # before anything writes text a reader sees
        self.counts_before = (diagram_renderer.rendered, diagram_renderer.reused, diagram_renderer.processes)
        options = session.options
        self.diagram_set = diagrams.DiagramSet(diagram_renderer, options.sfdp_threshold, options.overview_threshold)
        self.renderer = Renderer(
            in_reader_language(network), session.paths, use_directory_urls,
            templates_dir=options.templates_dir, diagrams=self.diagram_set,
            backlinks={}, downloads=export.DOWNLOADS if options.downloads else (),
            window_months=options.funding_window_months, checks=dict(options.checks or {}),
            links_from_source=links_from_source, stash=Stash(keep=links_from_source),
            withheld=self.withheld, bytecode_dir=session.cache_dir,
        )

    def read_prose(self, prose: Iterable[ProsePage]) -> None:
        """Validate every ```partnerbook block before building anything, so all mistakes
        are reported in one run; note which partners each page mentions; ask for its
        diagrams now, so they are drawn in the same batch."""
        partner_ids = set(self.network.partner_by_id)
        internal = self.withheld.partner_ids  # known, so a link to one says so (not "unknown id")
        backlinks = self.renderer.backlinks
        problems = []
        for page in prose:
            problems += blocks.check_page(page.text, page.shown_path, partner_ids | internal)
            problems += blocks.internal_mentions(page.text, page.shown_path, internal,
                                                 self.session.paths.prefix + "partners/")
            for request in blocks.view_requests(page.text, partner_ids):
                if request.view == "diagram":
                    diagrams.diagram_figure(self.renderer.page(page.src_uri), kind="network",
                                            network=request.network, focus=request.focus)
            title = page_title(page.text, Path(page.src_uri).stem.replace("-", " ").capitalize())
            for partner_id in mentions(page.text, partner_ids, self.session.paths.prefix + "partners/"):
                url = self.renderer.page(self.session.paths.partner(partner_id)).page_href(page.src_uri)
                backlinks.setdefault(partner_id, []).append((title, url))
        if problems:
            message = f"{counted(len(problems), 'error')} in partnerbook blocks:\n" + format_problems(problems)
            if not self.session.serving:
                raise BuildError("partnerbook: " + message)
            self.session.log.error(message + "\nThose blocks show as code until this is fixed.")
            self.serve_problems = self.serve_problems + sorted(problems)

    def generated_pages(self, written_by_hand: Callable[[str], bool], *, late_work: bool = False
                        ) -> list[pages.GeneratedPage]:
        """The generated pages but those the author wrote by hand; Graphviz starts drawing
        in the background while the host builds the pages. With `late_work` (the host calls
        `downloads(late=True)` and `finish`), a forked child saves the page store and makes the
        downloads once the pages are made (Session.begin_late_work)."""
        options: dict[str, Any] = {"workshop_sheets": self.session.options.workshop_sheets,
                   "workshop_partner_limit": self.session.options.workshop_partner_limit,
                   # (`generate --watch` serves with no thread: its pages may take a second core;
                   # `mkdocs serve` has no `fork`, and can_fork refuses a process with threads)
                   "parallel": self.session.fork}
        answers: dict[str, bool] = {}

        def skip(src_uri: str) -> bool:  # asked once per page, replayed or generated
            if src_uri not in answers:
                answers[src_uri] = written_by_hand(src_uri)
            return answers[src_uri]

        if not late_work and self.session.can_fork_downloads(self.network):
            # The downloads (GraphML and GEXF take a second at 1,000 partners) on the other core.
            network, cache_dir, key = self.network, self.session.cache_dir, self.session.downloads_key()
            self.session.downloads_child = parallel.Forked(lambda: download_files(network, cache_dir, data_key=key))
        # The page store: written by the late child (Session.keep, begin_late_work).
        saves_deferred = late_work and not self.session.defer_saves and self.session.can_fork_late(self.network)
        if saves_deferred:
            self.session.defer_saves = True
        generated = self._generate(skip, options)
        compared = self.session.compared
        if self.session.options.compare_to and compared.version is not None:
            generated = changes_page.changes_pages(self.renderer, compared.version, generated, skip,
                                                   self.session.options.funding_window_months,
                                                   dict(self.session.options.checks or {}))
        if late_work:
            self.session.begin_late_work(self.network, saves_deferred=saves_deferred)
        self.diagram_set.start_rendering(fork=self.session.fork and not self.session.serving)
        self.site_files = {page.src_uri: page.site_file for page in generated if page.site_file is not None}
        return generated

    def _generate(self, skip: Callable[[str], bool], options: dict[str, Any]) -> list[pages.GeneratedPage]:
        """The pages, each reused from the last build when what it read is the same (site/reads.py),
        else rendered; the log says how many of each and why."""
        renderer, session = self.renderer, self.session
        parts = self.global_parts()
        cache = session.page_cache
        store = cache.get(STORE_KEY) if session.network_key is not None else None
        if not isinstance(store, buildcache.PageStore):
            store = None
        changed_parts = [name for name, value in parts.items() if store is not None and store.parts.get(name) != value]
        usable = store is not None and not changed_parts
        # The same data and the same prose links: every page is as it was, no read need be checked.
        inputs_key = buildcache.key_of(session.network_key, Digester().digest(renderer.backlinks))
        same_data = usable and store is not None and store.data_key == inputs_key
        reasons: dict[str, int] = {}
        if usable and not same_data:
            renderer.roots()  # the analyses the reads are checked against, computed once here

        def made_again(src_uri: str, why: str, said: str) -> None:
            reasons[why] = reasons.get(why, 0) + 1
            session.log.debug(f"{src_uri}: {said}")  # (`mkdocs build -v`: which pages, not only how many)

        def reuse(src_uri: str) -> pages.GeneratedPage | None:
            if not usable or store is None:
                return None
            page = store.pages.get(src_uri)
            if page is None:
                made_again(src_uri, "new page", "a new page")
                return None
            if not same_data:
                token = renderer.reads.changed(page.reads)
                if token is not None:
                    why = describe(token)
                    made_again(src_uri, why, f"made again because {why} changed")
                    return None
            found = buildcache.reuse_page(store, src_uri, renderer.stash, self.diagram_set)
            if found is None:
                made_again(src_uri, "a diagram left the cache", "made again because a diagram left the cache")
            return found

        processes: list[int] = []
        try:
            generated = pages.generate_pages(renderer, skip=skip, processes=processes, reuse=reuse, **options)
        except jinja2.TemplateError as exc:
            self._template_failed(exc, "a page template")  # (parallel.py reaps the children at exit)
            generated = pages.generate_pages(self.renderer, skip=skip, **options)
            store = None
        else:
            unchanged = same_data and store is not None and len(generated) == len(store.pages) and all(
                page.reused for page in generated)
            if session.network_key is not None and not unchanged:  # (pickling 1,556 pages takes a while)
                kept = buildcache.PageStore(inputs_key, parts)
                for page in generated:
                    kept.pages[page.src_uri] = page
                    kept.diagrams[page.src_uri] = (
                        store.diagrams.get(page.src_uri, {}) if page.reused and store is not None
                        else buildcache.page_diagrams(self.diagram_set, page))
                session.keep(cache, STORE_KEY, kept)
        self._log_generated(generated, changed_parts if store is not None else ["no earlier build"], reasons,
                            bool(processes))
        return generated

    def _log_generated(self, generated: list[pages.GeneratedPage], changed_parts: list[str],
                       reasons: dict[str, int], forked: bool) -> None:
        """"generated 23 pages for 1,000 partners in 1.20 s (data loaded in 0.90 s); reused 1,589 pages
        from the last build; made again because partner p00510 changed (23 pages)"."""
        session = self.session
        sheet_folder = session.paths.prefix + "workshop/"
        made = [page for page in generated if not page.reused]
        sheets = sum(1 for page in made if page.src_uri.startswith(sheet_folder))
        reused = len(generated) - len(made)
        line = (f"generated {len(made) - sheets} pages for {len(self.network.partners)} partners in "
                f"{time.perf_counter() - self.started:.2f} s (data loaded in {session.load_seconds:.2f} s)"
                + (f", and {sheets} workshop pages" if sheets else "") + (" in 2 processes" if forked else ""))
        if reused:
            line += f"; reused {reused} pages from the last build"
        if made and changed_parts and changed_parts != ["no earlier build"]:
            line += "; every page made again because " + " and ".join(f"{name} changed" for name in changed_parts)
        elif made and reasons:
            ranked = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
            said = [f"{what} ({count} {'page' if count == 1 else 'pages'})"
                    if what in ("new page", "a diagram left the cache")
                    else f"{what} changed ({count} {'page' if count == 1 else 'pages'})" for what, count in ranked[:3]]
            if len(ranked) > 3:
                said.append(f"{len(ranked) - 3} more")
            line += "; made again because " + ", ".join(said)
        session.log.info(line)

    def global_parts(self) -> dict[str, str]:
        """What every generated page depends on and no read notes: a change to one makes every page again."""
        renderer, options = self.renderer, self.session.options
        digester = Digester()
        return {
            "partnerbook's code": buildcache.code_digest(),
            **{f"the option `{name}`": value for name, value in options_text(options).items()},
            "the language": self.language.code + " " + buildcache.files_digest(list(self.language.catalogs)),
            "the templates": buildcache.files_digest(buildcache.folder_files(options.templates_dir), options.root),
            "the site's links": f"{renderer.use_directory_urls} {renderer.links_from_source}",
            "Graphviz": str(self.diagram_renderer.graphviz.version),
            "the edition": digester.digest(self.withheld),
            "the long lists' pages": digester.digest(renderer.paging),
        }

    def downloads(self, *, late: bool = False) -> dict[str, str]:
        """Source path → content of the data files the network page links (Session.downloads;
        with `late`, files still being made are empty until `finish` writes them)."""
        return self.session.downloads(self.network, late=late)

    def assets(self) -> dict[str, str]:
        """Source path → content of the stylesheet and script every page loads."""
        return self.session.assets()

    # -- per page ---------------------------------------------------------

    def page_markdown(self, src_uri: str, markdown: str) -> str:
        """A prose page's Markdown with each ```partnerbook block replaced by its view, and its
        links to a workshop sheet's source pointed at the sheet's file (prose.relink)."""
        markdown = relink(markdown, src_uri, self.site_files)

        def replace() -> str:
            context = self.renderer.page(src_uri)
            context.prose = True
            return blocks.replace_blocks(
                markdown, src_uri, set(self.network.partner_by_id),
                lambda request: context.view(request.view, network=request.network, focus=request.focus),
            )
        try:
            return replace()
        except jinja2.TemplateError as exc:
            self._template_failed(exc, "a view template")
            return replace()

    def _template_failed(self, exc: jinja2.TemplateError, what: str) -> None:
        """A broken template override stops a build; under a server the pages are built with
        the packaged templates instead and the problem shows on top of every page."""
        problem = template_problem(exc, self.session.options.root)
        if not self.session.serving:
            raise BuildError(f"partnerbook: {what} failed:\n{problem}") from None
        self.session.log.error(f"{what} failed:\n{problem}\nThe packaged templates stand in until this is fixed.")
        self.serve_problems = [*self.serve_problems, problem]
        # The same stash: views parked for pages already converted are still to be put back.
        self.renderer = dataclasses.replace(self.renderer, templates_dir=None)

    def page_html(self, html: str) -> str:
        """After Markdown: the views back in (the problems banner on top under a server)."""
        html = self.renderer.stash.insert(html)
        if self.serve_problems:
            html = banners.serve_error_banner(self.serve_problems) + html
        return html

    def page_output(self, src_uri: str, output: str) -> str:
        """SVG and section pages' tables go in last, after the host's search has read the
        page where it can (MkDocs): the tables beside each diagram say the same in words,
        and the search indexer would otherwise parse every <g>, <path> and cell."""
        output = self.renderer.stash.insert_late(output)
        output = self.diagram_set.insert(output, self.renderer.page(src_uri).url)
        output = self.edition_marks(output)
        for failure in self.diagram_set.new_failures():  # never a silently empty diagram
            if not self.session.serving:
                raise BuildError(f"partnerbook: {failure} (on {src_uri})")
            self.session.log.warning(f"{failure} (on {src_uri})")
        return output

    def standalone_output(self, page: pages.GeneratedPage) -> str:
        """A standalone page's document (a workshop sheet) as the site gets it: the problems a
        server shows on top, the edition's marks."""
        html = page.markdown
        if self.serve_problems:
            html = banners.on_top(html, banners.serve_error_banner(self.serve_problems))
        return self.edition_marks(html)

    def edition_marks(self, output: str) -> str:
        """A whole page as the edition marks it: the internal edition says so and is `noindex`."""
        return banners.internal_edition_marks(output) if self.session.options.editions.internal else output

    def finish(self, write: Callable[[str, str], None] | None = None) -> None:
        """After the last page: wait for Graphviz and keep what it drew (the diagram cache), write
        the downloads made late (`late_work`) with `write(path, content)`, under a server fresh
        downloads in the background, and log what Graphviz did."""
        self.diagram_set.wait()
        self.session.keep_diagrams()
        if write is not None:
            self.session.finish_late_work(self.network, write)
            self.session.refresh_stale_downloads(write)
        renderer = self.diagram_renderer
        rendered, reused, processes = (
            now - before for now, before in zip(
                (renderer.rendered, renderer.reused, renderer.processes), self.counts_before, strict=False))
        self.session.log.info(f"diagrams: {rendered} drawn by Graphviz in {processes} run(s), {reused} from cache")


# Options no generated page shows: where the handbook is, and how the language was chosen (the
# language itself, with its catalogs, is a part of its own), how many processes, where the cache is.
_NOT_ON_PAGES = frozenset(("root", "language", "language_from_theme", "concurrency", "cache_dir"))


def options_text(options: Any) -> dict[str, str]:
    """Each option as the generated pages see it: paths relative to the handbook, so the
    command line (relative paths), the MkDocs plugin and Zensical (absolute ones) agree."""
    root = options.root.resolve()
    parts = {}
    for item in dataclasses.fields(options):
        value = getattr(options, item.name)
        if item.name in _NOT_ON_PAGES:
            continue
        if isinstance(value, Path):
            resolved = (options.root / value).resolve()
            value = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()
        parts[item.name] = repr(value)
    return parts

