"""One build of a handbook, whatever host runs it.

The steps every host goes through, in order: `load` (data and checks) →
`begin` (a Renderer for this build) → `read_prose` (blocks checked, backlinks,
diagrams asked for) → `generated_pages` → `downloads` / `assets` → per page
`page_markdown`, `page_html`, `page_output` → `finish`. The MkDocs/ProperDocs
plugin (plugin.py) and the Zensical extension (markdown.py) only map their
host's hooks onto these. No host is imported here.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

import jinja2

from ..base.files import write_file
from ..site import blocks
from . import cache as buildcache
from ..diagrams import figures as diagrams
from ..formats import export
from ..i18n import language as i18n
from ..site import pages
from ..base import parallel
from ..analysis.checks import KNOWN_CHECKS, check_data
from ..data.load import data_files, in_reader_language
from . import changes_page
from .handbook import DEFAULT_CACHE_DIR, OLD_CACHE_DIR, HandbookOptions
from ..base.problems import (Problem, check_level_errors, counted, display_order, display_path, format_problems,
                             printable)
from ..site.templating import template_problem
from ..base.urls import SitePaths, normalise_prefix
from ..site.context import Renderer, Stash

ASSETS = ("partnerbook.css", "partnerbook.js", "partnerbook-print.css")
ASSET_DIR = "assets/partnerbook/"


class BuildError(Exception):
    """Stops the build; the message lists every problem as FILE:LINE: level: message."""


@dataclass(frozen=True)
class ProsePage:
    src_uri: str  # path in the docs folder
    shown_path: str  # as messages name it (relative to the handbook)
    text: str


@dataclass
class BuildLog:
    info: Callable[[str], None]
    warning: Callable[[str], None]
    error: Callable[[str], None]

    def __post_init__(self) -> None:
        # Every log line shows control characters from the data escaped, whatever the host prints with.
        for name in ("info", "warning", "error"):
            setattr(self, name, lambda message, say=getattr(self, name): say(printable(message)))


def open_cache_dir(options: HandbookOptions) -> Path | None:
    """The cache folder, made to ignore itself in git; the old default is moved into the new one."""
    path = options.cache_dir
    if path is None:
        return None
    old = options.root / OLD_CACHE_DIR
    if path == options.root / DEFAULT_CACHE_DIR and old.is_dir() and not path.exists():
        try:
            old.rename(path)
        except OSError:
            return old  # cannot move it: keep reading and writing it where it is
    try:
        path.mkdir(parents=True, exist_ok=True)
        ignore = path / ".gitignore"
        if not ignore.exists():
            write_file(ignore, "# Written by partnerbook: this cache is not part of the handbook.\n*\n", inside=path)
    except OSError:
        pass  # DiagramRenderer warns once when it cannot write
    return path


class HandbookBuild:
    """Kept for the life of the host process: under a server, the diagram cache in
    memory, the last data that loaded and the downloads survive the rebuilds."""

    def __init__(self, options: HandbookOptions, log: BuildLog, *, serving: bool = False,
                 shown_from: Path | None = None, parallel: bool = False):
        self.options = options
        # Pages, downloads and diagrams on two cores (parallel.py): for one-off builds, never a server.
        self.parallel = parallel and (options.concurrency or 2) > 1
        # Messages name files relative to this folder: the handbook's under a host,
        # the current folder on the command line (as `partnerbook check` does).
        self.shown_from = shown_from or options.root
        self.log = log
        self.serving = serving
        try:
            self.paths = SitePaths(normalise_prefix(options.prefix))
        except ValueError as exc:
            raise BuildError(f"partnerbook: {exc}") from None
        if options.concurrency is not None and options.concurrency < 1:
            raise BuildError(f"partnerbook: `concurrency` must be 1 or more (got {options.concurrency})")
        if options.funding_window_months < 1:
            raise BuildError("partnerbook: `funding_window_months` must be 1 or more "
                             f"(got {options.funding_window_months})")
        wrong = check_level_errors(options.checks or {}, KNOWN_CHECKS)
        if wrong:
            raise BuildError("partnerbook: " + "\n".join(wrong))
        self.language: i18n.Language | None = None
        self.catalogs_seen = None  # the catalog files' fingerprint when the language was last read
        self.catalog_problems: list[Problem] = []  # under a server: broken catalogs, on top of every page
        self.load_language()
        self.cache_dir = open_cache_dir(options)
        # A rebuild with the same data (or the same pages) reuses them (buildcache.py).
        self.data_cache = buildcache.PickleCache(self.cache_dir, "data")
        self.page_cache = buildcache.PickleCache(self.cache_dir, "pages")
        self.network_key: str | None = None  # the data key of self.network
        self.last_good_key: str | None = None
        self.diagram_renderer: diagrams.DiagramRenderer | None = None
        self.last_good_network = None
        self.network = None
        self.serve_problems: list[Problem] = []
        self.download_memory: dict = {}
        self.downloads_child: parallel.Forked | None = None  # the downloads, made in another process
        self.stale_downloads = None
        self.compared = changes_page.ComparedVersion()  # `compare_to`: the version it names, once per commit

    # -- language -----------------------------------------------------------

    def load_language(self) -> None:
        """Read the language's catalogs, again only when one of them changed (so a server follows
        edits to a handbook's .po, and a left-out translation is warned about once). A catalog
        that cannot be read stops the build; under a server the last language read stays."""
        options = self.options
        seen = i18n.catalogs_fingerprint(options.language, options.templates_dir)
        if self.language is not None and seen == self.catalogs_seen:
            return
        self.catalogs_seen = seen
        try:
            language = i18n.load_language(options.language, options.templates_dir, root=self.shown_from,
                                          from_theme=options.language_from_theme)
        except i18n.UnknownLanguage as exc:
            raise BuildError(f"partnerbook: {exc}") from None
        except i18n.CatalogError as exc:
            message = f"{counted(len(exc.problems), 'error')} in catalogs:\n" + format_problems(exc.problems)
            if not (self.serving and self.language is not None):
                raise BuildError("partnerbook: " + message) from None
            self.log.error(message + "\nThe last catalogs that loaded stand in until this is fixed.")
            self.catalog_problems = list(exc.problems)
            return
        self.language, self.catalog_problems = language, []
        for warning in language.warnings:
            self.log.warning(str(warning))
        if not language.cldr:
            self.log.info(f"partnerbook: Babel does not know the language '{language.code}', so numbers and "
                          "dates are written the English way")
        if not language.translated:
            folder = i18n.shown_folder(options.templates_dir, options.root)
            self.log.info(f"partnerbook: no catalog speaks '{language.code}', so the generated pages are in "
                          f"English; a catalog {folder}/locale/{i18n.catalog_name(language)}.po would "
                          "translate them")

    # -- data -------------------------------------------------------------

    def load(self) -> None:
        """Load and check the data. Errors stop the build, or under a server leave the
        last data that loaded in place with the problems on every page."""
        options = self.options
        started = time.perf_counter()
        self.load_language()
        i18n.activate(self.language)  # a server's problem banner is written before `begin`
        result, key = self.checked_data()
        self.serve_problems = []
        if result.errors:
            data_dir = display_path(options.data_dir, self.shown_from)
            message = f"{counted(len(result.errors), 'error')} in {data_dir}/:\n" + format_problems(result.problems)
            if not (self.serving and self.last_good_network is not None):
                raise BuildError("partnerbook: " + message)
            self.log.error(message + "\nServing the last data that loaded until this is fixed.")
            self.serve_problems = sorted(result.problems, key=display_order)
            self.network, self.network_key = self.last_good_network, self.last_good_key
        else:
            for warning in sorted(result.problems):
                self.log.warning(str(warning))
            self.network = self.last_good_network = result.network
            self.network_key = self.last_good_key = key
        self.serve_problems = self.serve_problems + self.catalog_problems
        if options.compare_to:
            try:
                self.compared.load(options, self.log.info)
            except changes_page.RevisionError as exc:
                raise BuildError(f"partnerbook: {exc}") from None
        self.load_seconds = time.perf_counter() - started
        if self.diagram_renderer is None:
            try:
                graphviz = diagrams.find_graphviz()
            except diagrams.GraphvizMissing as exc:
                raise BuildError(f"partnerbook: {exc}") from None
            self.diagram_renderer = diagrams.DiagramRenderer(
                graphviz, self.cache_dir, warn=self.log.warning, info=self.log.info)

    def checked_data(self):
        """(check_data's result, its key): from the cache when no data file and no option changed."""
        options = self.options
        arguments = {"as_of": options.as_of, "scorecard_elements": options.scorecard_elements,
                     "checks": options.checks or {}, "window_months": options.funding_window_months}
        if not options.data_dir.is_dir():
            return check_data(options.data_dir, root=self.shown_from, **arguments), None
        key = buildcache.data_key(data_files(options.data_dir), options.data_dir, self.shown_from, **arguments)
        result = self.data_cache.get(key)
        if result is None:
            result = check_data(options.data_dir, root=self.shown_from, **arguments)
            if not result.errors:
                self.data_cache.put(key, result)
        return result, key

    def watched(self) -> list[Path]:
        """The folders whose changes must rebuild the site."""
        return [path for path in (self.options.data_dir, self.options.templates_dir)
                if path is not None and path.is_dir()]

    # -- one build --------------------------------------------------------

    def begin(self, use_directory_urls: bool, *, links_from_source: bool = False) -> None:
        self.started = time.perf_counter()
        i18n.activate(self.language)  # before anything writes text a reader sees
        renderer = self.diagram_renderer
        self.counts_before = (renderer.rendered, renderer.reused, renderer.processes)
        self.diagram_set = diagrams.DiagramSet(renderer, self.options.sfdp_threshold,
                                               self.options.overview_threshold)
        self.use_directory_urls = use_directory_urls
        self.renderer = Renderer(
            in_reader_language(self.network), self.paths, use_directory_urls,
            templates_dir=self.options.templates_dir, diagrams=self.diagram_set,
            backlinks={}, downloads=export.DOWNLOADS if self.options.downloads else (),
            window_months=self.options.funding_window_months, checks=dict(self.options.checks or {}),
            links_from_source=links_from_source, stash=Stash(keep=links_from_source),
        )

    def read_prose(self, prose: Iterable[ProsePage]) -> None:
        """Validate every ```partnerbook block before building anything, so all mistakes
        are reported in one run; note which partners each page mentions; ask for its
        diagrams now, so they are drawn in the same batch."""
        partner_ids = set(self.network.partner_by_id)
        backlinks = self.renderer.backlinks
        problems = []
        for page in prose:
            problems += blocks.check_page(page.text, page.shown_path, partner_ids)
            for request in blocks.view_requests(page.text, partner_ids):
                if request.view == "diagram":
                    diagrams.diagram_figure(self.renderer.page(page.src_uri), kind="network",
                                            network=request.network, focus=request.focus)
            title = pages.page_title(page.text, Path(page.src_uri).stem.replace("-", " ").capitalize())
            for partner_id in pages.mentions(page.text, partner_ids, self.paths.prefix + "partners/"):
                url = self.renderer.page(self.paths.partner(partner_id)).page_href(page.src_uri)
                backlinks.setdefault(partner_id, []).append((title, url))
        if problems:
            message = f"{counted(len(problems), 'error')} in partnerbook blocks:\n" + format_problems(problems)
            if not self.serving:
                raise BuildError("partnerbook: " + message)
            self.log.error(message + "\nThose blocks show as code until this is fixed.")
            self.serve_problems = self.serve_problems + sorted(problems)

    def generated_pages(self, written_by_hand: Callable[[str], bool]) -> list[pages.GeneratedPage]:
        """The generated pages but those the author wrote by hand; Graphviz starts drawing
        in the background while the host builds the pages."""
        options = {"workshop_sheets": self.options.workshop_sheets,
                   "workshop_partner_limit": self.options.workshop_partner_limit,
                   "parallel": self.parallel and not self.serving}
        answers: dict[str, bool] = {}

        def skip(src_uri: str) -> bool:  # asked once per page, replayed or generated
            if src_uri not in answers:
                answers[src_uri] = written_by_hand(src_uri)
            return answers[src_uri]

        if self.parallel and not self.serving and self.options.downloads and parallel.can_fork(
                len(self.network.partners), parallel.MIN_DOWNLOAD_PARTNERS):
            # The downloads (GraphML and GEXF take a second at 1,000 partners) on the other core.
            network, cache_dir = self.network, self.cache_dir
            self.downloads_child = parallel.Forked(lambda: export.download_files(network, cache_dir))
        key = self.pages_key()
        generated = buildcache.replay(self.page_cache.get(key), self.renderer.stash, self.diagram_set,
                                      skip) if key else None
        replayed = generated is not None
        processes: list[int] = []
        if generated is None:
            recorder = buildcache.Recorder(self.renderer.stash, self.diagram_set, skip)
            try:
                generated = pages.generate_pages(self.renderer, skip=recorder.skip, processes=processes, **options)
            except jinja2.TemplateError as exc:
                self._template_failed(exc, "a page template")  # (parallel.py reaps the children at exit)
                generated = pages.generate_pages(self.renderer, skip=skip, **options)
            else:
                if key:
                    self.page_cache.put(key, recorder.record(generated))
        if self.options.compare_to and self.compared.version is not None:
            generated = changes_page.changes_pages(self.renderer, self.compared.version, generated, skip,
                                                   self.options.funding_window_months, dict(self.options.checks or {}))
        forked = bool(processes)
        self.diagram_set.start_rendering(fork=self.parallel and not self.serving)
        sheets = sum(1 for page in generated if page.src_uri.startswith(self.paths.prefix + "workshop/"))
        self.log.info(f"{'reused' if replayed else 'generated'} {len(generated) - sheets} pages for "
                      f"{len(self.network.partners)} partners in {time.perf_counter() - self.started:.2f} s "
                      f"(data loaded in {self.load_seconds:.2f} s)" + (f", and {sheets} workshop pages" if sheets else "")
                      + (" in 2 processes" if forked else ""))
        return generated

    def pages_key(self) -> str | None:
        """The key of the generated pages (buildcache.py), or None when they cannot be reused."""
        if self.network_key is None or self.language is None:
            return None
        renderer = self.renderer
        return buildcache.key_of(
            "pages", self.network_key, repr(self.options), self.language.code,
            buildcache.files_digest(list(self.language.catalogs)),
            buildcache.files_digest(buildcache.folder_files(self.options.templates_dir), self.options.root),
            sorted(renderer.backlinks.items()), renderer.use_directory_urls, renderer.links_from_source,
            self.diagram_renderer.graphviz.version)

    def downloads(self) -> dict[str, str]:
        """Source path → content of the data files the network page links. Under a server,
        when the data has changed, the last files stand in and `finish` writes fresh ones
        (GraphML and GEXF take a second at 1,000 partners; the browser need not wait)."""
        if not self.options.downloads:
            return {}
        memory = self.download_memory
        self.stale_downloads = None
        files = None
        if self.serving and memory:
            files = export.download_files(self.network, self.cache_dir, memory, only_cached=True)
            if files is None:
                self.stale_downloads = self.network
                files = list(memory.values())[-1]
                files = {name: files[name] for name, _ in export.DOWNLOADS}
        child, self.downloads_child = self.downloads_child, None
        if files is None and child is not None:
            try:
                files = child.result()
            except parallel.ChildFailed:
                files = None
        if files is None:
            files = export.download_files(self.network, self.cache_dir, memory)
        return {self.paths.download(name): content for name, content in files.items()}

    def produced_paths(self) -> set[str]:
        """Every file besides pages that a build adds to the docs folder."""
        downloads = {self.paths.download(name) for name, _ in export.DOWNLOADS} if self.options.downloads else set()
        return downloads | {ASSET_DIR + name for name in ASSETS}

    @staticmethod
    def assets() -> dict[str, str]:
        """Source path → content of the stylesheet and script every page loads."""
        folder = resources.files("partnerbook") / "assets"
        return {ASSET_DIR + name: (folder / name).read_text(encoding="utf-8") for name in ASSETS}

    # -- per page ---------------------------------------------------------

    def page_markdown(self, src_uri: str, markdown: str) -> str:
        """A prose page's Markdown with each ```partnerbook block replaced by its view."""

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
        problem = template_problem(exc, self.options.root)
        if not self.serving:
            raise BuildError(f"partnerbook: {what} failed:\n{problem}") from None
        self.log.error(f"{what} failed:\n{problem}\nThe packaged templates stand in until this is fixed.")
        self.serve_problems = self.serve_problems + [problem]
        # The same stash: views parked for pages already converted are still to be put back.
        self.renderer = dataclasses.replace(self.renderer, templates_dir=None)

    def page_html(self, html: str) -> str:
        """After Markdown: the views back in (the problems banner on top under a server)."""
        html = self.renderer.stash.insert(html)
        if self.serve_problems:
            html = pages.serve_error_banner(self.serve_problems) + html
        return html

    def page_output(self, src_uri: str, output: str) -> str:
        """SVG and section pages' tables go in last, after the host's search has read the
        page where it can (MkDocs): the tables beside each diagram say the same in words,
        and the search indexer would otherwise parse every <g>, <path> and cell."""
        output = self.renderer.stash.insert_late(output)
        output = self.diagram_set.insert(output, self.renderer.page(src_uri).url)
        for failure in self.diagram_set.new_failures():  # never a silently empty diagram
            if not self.serving:
                raise BuildError(f"partnerbook: {failure} (on {src_uri})")
            self.log.warning(f"{failure} (on {src_uri})")
        return output

    def standalone_diagrams(self) -> dict[str, str]:
        """Site path → the standalone SVG file of every diagram (each figure links its file full size)."""
        return self.diagram_set.standalone_files(self.paths, self.use_directory_urls)

    def finish(self, write: Callable[[str, str], None] | None = None) -> None:
        """After the last page: wait for Graphviz, write the standalone diagrams with
        `write(path, content)`, under a server fresh downloads in the background, and
        log what Graphviz did."""
        self.diagram_set.wait()
        if write is not None:
            for path, content in self.standalone_diagrams().items():
                write(path, content)
            self.refresh_stale_downloads(write)
        renderer = self.diagram_renderer
        rendered, reused, processes = (
            now - before for now, before in zip(
                (renderer.rendered, renderer.reused, renderer.processes), self.counts_before))
        self.log.info(f"diagrams: {rendered} drawn by Graphviz in {processes} run(s), {reused} from cache")

    def refresh_stale_downloads(self, write: Callable[[str, str], None]) -> None:
        """When `downloads` handed out the last files, write fresh ones in the background."""
        network, self.stale_downloads = self.stale_downloads, None
        if network is None:
            return

        def run() -> None:
            try:
                files = export.download_files(network, self.cache_dir, self.download_memory)
                for name, content in files.items():
                    write(self.paths.download(name), content)
                self.log.info("downloads refreshed")
            except OSError:
                pass  # the next rebuild has started and cleaned the site folder; it writes them again
            except Exception as exc:  # noqa: BLE001  (a thread's traceback would reach the user's terminal)
                self.log.warning(f"could not refresh the data downloads: {exc}")

        threading.Thread(target=run, name="partnerbook-downloads", daemon=True).start()


def write_atomically(target: Path, content: str, inside: Path | None = None) -> None:
    """A file of the site: whole or not at all, never through a link (base/files.py)."""
    write_file(target, content, inside=inside)
