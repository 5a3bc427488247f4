"""The MkDocs plugin: wires MkDocs events to the pure modules of this package."""

from __future__ import annotations

import threading
import time
from importlib import resources
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from . import blocks, diagrams, export, pages
from .checks import KNOWN_CHECKS, check_data
from .config import PartnerbookConfig
from .handbook import to_date
from .problems import check_level_errors, counted, display_order, format_problems
from .templating import describe_template_error
from .urls import SitePaths, normalise_prefix, relative_url
from .views import Renderer

log = get_plugin_logger(__name__)

ASSETS = ("partnerbook.css", "partnerbook.js")
ASSET_DIR = "assets/partnerbook/"


class PartnerbookPlugin(BasePlugin[PartnerbookConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds,
        # so the diagram renderer and its in-memory cache survive them.
        self.diagram_renderer: diagrams.DiagramRenderer | None = None
        # Under `mkdocs serve`, bad data shows its errors on every page over the
        # last network that loaded, instead of leaving the browser waiting.
        self.serving = command == "serve"
        self.last_good_network = None
        self.serve_problems: list = []
        self.download_memory: dict = {}

    # -- configuration and data -------------------------------------------

    def on_config(self, config):
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.data_dir = self.root / self.config.data_dir
        try:
            as_of = to_date(self.config.as_of)
            self.paths = SitePaths(normalise_prefix(self.config.prefix))
        except ValueError as exc:
            raise PluginError(f"partnerbook: {exc}") from None
        if self.config.funding_window_months < 1:
            raise PluginError("partnerbook: `funding_window_months` must be 1 or more "
                              f"(got {self.config.funding_window_months})")
        wrong = check_level_errors(self.config.checks, KNOWN_CHECKS)
        if wrong:
            raise PluginError("partnerbook: " + "\n".join(wrong))
        started = time.perf_counter()
        result = check_data(
            self.data_dir, root=self.root, as_of=as_of,
            scorecard_elements=tuple(self.config.scorecard_elements or ()) or None,
            checks=self.config.checks,
        )
        self.serve_problems = []
        if result.errors:
            message = (f"partnerbook: {counted(len(result.errors), 'error')} in {self.config.data_dir}/:\n"
                       + format_problems(result.problems))
            if not (getattr(self, "serving", False) and self.last_good_network is not None):
                raise PluginError(message)
            log.error(message.removeprefix("partnerbook: ") + "\nServing the last data that loaded until this is fixed.")
            self.serve_problems = sorted(result.problems, key=display_order)
            self.network = self.last_good_network
        else:
            for warning in sorted(result.problems):
                log.warning(str(warning))
            self.network = self.last_good_network = result.network
        self.load_seconds = time.perf_counter() - started

        if getattr(self, "diagram_renderer", None) is None:
            try:
                graphviz = diagrams.find_graphviz()
            except diagrams.GraphvizMissing as exc:
                raise PluginError(f"partnerbook: {exc}") from None
            cache = self.root / self.config.cache_dir if self.config.cache_dir else None
            self.diagram_renderer = diagrams.DiagramRenderer(graphviz, cache, warn=log.warning, info=log.info)

        for asset in ASSETS:
            target = config.extra_css if asset.endswith(".css") else config.extra_javascript
            if ASSET_DIR + asset not in [str(x) for x in target]:
                target.append(ASSET_DIR + asset)
        return config

    # -- pages ------------------------------------------------------------

    @event_priority(-50)  # after plugins that add documentation pages of their own (gen-files)
    def on_files(self, files: Files, *, config) -> Files:
        started = time.perf_counter()
        self.counts_before = (self.diagram_renderer.rendered, self.diagram_renderer.reused,
                              self.diagram_renderer.processes)
        self.diagram_set = diagrams.DiagramSet(self.diagram_renderer, self.config.sfdp_threshold,
                                               self.config.overview_threshold)
        backlinks: dict[str, list[tuple[str, str]]] = {}
        self.renderer = Renderer(
            self.network, self.paths, config.use_directory_urls,
            templates_dir=self.root / self.config.templates_dir, diagrams=self.diagram_set,
            backlinks=backlinks, downloads=export.DOWNLOADS if self.config.downloads else (),
            window_months=self.config.funding_window_months,
            checks=dict(self.config.checks or {}),
        )
        partner_ids = set(self.network.partner_by_id)

        # Prose: validate every ```partnerbook block before building anything, so
        # all mistakes are reported in one run; note which partners each page
        # mentions; ask for its diagrams now, so they are drawn in the same batch.
        problems = []
        for file in files.documentation_pages():
            if file.generated_by:
                continue
            text = file.content_string
            problems += blocks.check_page(text, self._page_path(config, file), partner_ids)
            for request in blocks.view_requests(text, partner_ids):
                if request.view == "diagram":
                    diagrams.diagram_figure(self.renderer.page(file.src_uri), kind="network",
                                            network=request.network, focus=request.focus)
            title = pages.page_title(text, file.name.replace("-", " ").capitalize())
            for partner_id in pages.mentions(text, partner_ids, self.paths.prefix + "partners/"):
                url = relative_url(self.paths.partner(partner_id), file.src_uri, config.use_directory_urls)
                backlinks.setdefault(partner_id, []).append((title, url))
        if problems:
            message = f"{counted(len(problems), 'error')} in partnerbook blocks:\n" + format_problems(problems)
            if not getattr(self, "serving", False):
                raise PluginError("partnerbook: " + message)
            log.error(message + "\nThose blocks show as code until this is fixed.")
            self.serve_problems = self.serve_problems + sorted(problems)

        def written_by_hand(src_uri: str) -> bool:
            if files.get_file_from_path(src_uri) is None:
                return False
            log.info(f"{src_uri} is written by hand; it replaces the generated page")
            return True

        try:
            generated_pages = pages.generate_pages(self.renderer, skip=written_by_hand)
        except jinja2.TemplateError as exc:
            raise PluginError(f"partnerbook: a page template failed:\n{describe_template_error(exc, self.root)}") from None
        # Graphviz draws in the background while the downloads and the pages are built.
        self.diagram_set.start_rendering()
        generated = 0
        for page in generated_pages:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
            generated += 1
        if self.config.downloads:
            for name, content in self._downloads().items():
                files.append(File.generated(config, self.paths.download(name), content=content))
        for asset in ASSETS:
            content = (resources.files("partnerbook") / "assets" / asset).read_text(encoding="utf-8")
            files.append(File.generated(config, ASSET_DIR + asset, content=content))

        log.info(f"generated {generated} pages for {len(self.network.partners)} partners in "
                 f"{time.perf_counter() - started:.2f} s (data loaded in {self.load_seconds:.2f} s)")
        return files

    def _downloads(self) -> dict[str, str]:
        """The data files the network page links. Under `mkdocs serve`, when the data has
        changed, the last files stand in and fresh ones are written after the rebuild
        (GraphML and GEXF take a second at 1,000 partners; the browser need not wait)."""
        cache = self.root / self.config.cache_dir if self.config.cache_dir else None
        memory = getattr(self, "download_memory", None)
        self.stale_downloads = None
        if getattr(self, "serving", False) and memory:
            files = export.download_files(self.network, cache, memory, only_cached=True)
            if files is None:
                self.stale_downloads = (self.network, cache)
                return list(memory.values())[-1]
            return files
        return export.download_files(self.network, cache, memory)

    def _refresh_downloads(self, site_dir: str) -> None:
        network, cache = self.stale_downloads
        self.stale_downloads = None

        def write() -> None:
            try:
                files = export.download_files(network, cache, self.download_memory)
                for name, content in files.items():
                    target = Path(site_dir) / self.paths.download(name)
                    temporary = target.with_suffix(target.suffix + ".tmp")
                    temporary.write_text(content, encoding="utf-8")
                    temporary.replace(target)
                log.info("downloads refreshed")
            except OSError:
                pass  # the next rebuild has started and cleaned the site folder; it writes them again
            except Exception as exc:  # noqa: BLE001  (a thread's traceback would reach the user's terminal)
                log.warning(f"could not refresh the data downloads: {exc}")

        threading.Thread(target=write, name="partnerbook-downloads", daemon=True).start()

    @staticmethod
    def _page_path(config, file) -> str:
        docs = Path(config.docs_dir)
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            return (docs / file.src_uri).resolve().relative_to(root).as_posix()
        except ValueError:
            return (docs / file.src_uri).as_posix()

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if page.file.generated_by:
            return markdown
        context = self.renderer.page(page.file.src_uri)
        try:
            return blocks.replace_blocks(
                markdown, page.file.src_uri, set(self.network.partner_by_id),
                lambda request: context.view(request.view, network=request.network, focus=request.focus),
            )
        except jinja2.TemplateError as exc:
            raise PluginError(f"partnerbook: a view template failed:\n{describe_template_error(exc, self.root)}") from None

    def on_page_content(self, html: str, *, page, config, files) -> str:
        html = self.renderer.stash.insert(html)
        if self.serve_problems:
            html = pages.serve_error_banner(self.serve_problems) + html
        return html

    def on_post_page(self, output: str, *, page, config) -> str:
        # SVG and the section pages' tables go in last, after the search plugin
        # has indexed the page: the tables beside each diagram say the same in
        # words, the section tables repeat the partner pages, and the search
        # indexer would otherwise parse every <g>, <path> and cell.
        output = self.renderer.stash.insert_late(output)
        output = self.diagram_set.insert(output, self.renderer.page(page.file.src_uri).href)
        for failure in self.diagram_set.new_failures():  # never a silently empty diagram
            if not getattr(self, "serving", False):
                raise PluginError(f"partnerbook: {failure} (on {page.file.src_uri})")
            log.warning(f"{failure} (on {page.file.src_uri})")
        return output

    def on_post_build(self, *, config) -> None:
        self.diagram_set.wait()
        for path, content in self.diagram_set.standalone_files(self.paths, config.use_directory_urls).items():
            target = Path(config.site_dir) / path  # each figure links its diagram full size
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        if getattr(self, "stale_downloads", None):
            self._refresh_downloads(config.site_dir)
        rendered, reused, processes = (
            now - before for now, before in zip(
                (self.diagram_renderer.rendered, self.diagram_renderer.reused, self.diagram_renderer.processes),
                self.counts_before))
        log.info(f"diagrams: {rendered} drawn by Graphviz in {processes} run(s), {reused} from cache")

    def on_serve(self, server, *, config, builder):
        server.watch(str(self.data_dir))
        templates = self.root / self.config.templates_dir
        if templates.is_dir():
            server.watch(str(templates))
        return server
