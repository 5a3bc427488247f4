"""The MkDocs and ProperDocs plugin: maps the host's events onto build.HandbookBuild."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from ..build import docs_folder as generate
from . import zensical as zensical_extension
from ..build.build import BuildError, BuildLog, HandbookBuild, ProsePage, write_atomically
from ..build.config import PartnerbookConfig
from ..build.handbook import HandbookOptions, cache_dir, theme_language, to_date

log = get_plugin_logger(__name__)


class PartnerbookPlugin(BasePlugin[PartnerbookConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds,
        # so the diagram renderer, its in-memory cache and the last good data survive them.
        self.serving = command == "serve"
        self.parallel = command == "build"  # a server's threads make forking unsafe (parallel.py)
        self.build: HandbookBuild | None = None

    def on_config(self, config):
        zensical_extension.plugin_active = True  # `partnerbook.markdown`, if listed, stays out of the way
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            options = HandbookOptions(
                root=root, data_dir=root / self.config.data_dir, as_of=to_date(self.config.as_of),
                scorecard_elements=tuple(self.config.scorecard_elements or ()) or None,
                checks=self.config.checks,
                config_file=Path(config.config_file_path) if config.config_file_path else None,
                docs_dir=Path(config.docs_dir), templates_dir=root / self.config.templates_dir,
                prefix=self.config.prefix, downloads=self.config.downloads,
                cache_dir=cache_dir(root, self.config.cache_dir),
                sfdp_threshold=self.config.sfdp_threshold, overview_threshold=self.config.overview_threshold,
                funding_window_months=self.config.funding_window_months,
                use_directory_urls=config.use_directory_urls,
                workshop_sheets=self.config.workshop_sheets,
                workshop_partner_limit=self.config.workshop_partner_limit,
                concurrency=self.config.concurrency, compare_to=self.config.compare_to,
                language=self.config.language or theme_language(config.theme),
                language_from_theme=not self.config.language,
            )
        except ValueError as exc:
            raise PluginError(f"partnerbook: {exc}") from None
        if getattr(self, "build", None) is None or self.build.options != options:
            try:
                self.build = HandbookBuild(options, BuildLog(log.info, log.warning, log.error),
                                           serving=getattr(self, "serving", False),
                                           parallel=getattr(self, "parallel", False))
            except BuildError as exc:
                raise PluginError(str(exc)) from None
        self._run(self.build.load)
        for path in self.build.assets():
            target = config.extra_css if path.endswith(".css") else config.extra_javascript
            if path not in [str(x) for x in target]:
                target.append(path)
        return config

    @staticmethod
    def _run(step, *args):
        try:
            return step(*args)
        except BuildError as exc:
            raise PluginError(str(exc)) from None

    @event_priority(-50)  # after plugins that add documentation pages of their own (gen-files)
    def on_files(self, files: Files, *, config) -> Files:
        build = self.build
        build.begin(config.use_directory_urls)
        # What `partnerbook generate` wrote for hosts without plugins (Zensical) is
        # made again here: its stubs, assets, downloads and diagrams give way to the real thing.
        produced = build.produced_paths() | generate.written_files(Path(config.docs_dir))
        for file in list(files):
            if file.generated_by:
                continue
            if (generate.is_stub(file.abs_src_path) if file.src_uri.endswith(".md") else file.src_uri in produced):
                files.remove(file)
        self._run(build.read_prose, [
            ProsePage(file.src_uri, _shown_path(config, file), file.content_string)
            for file in files.documentation_pages() if not file.generated_by])

        def written_by_hand(src_uri: str) -> bool:
            if files.get_file_from_path(src_uri) is None:
                return False
            log.info(f"{src_uri} is written by hand; it replaces the generated page")
            return True

        for page in self._run(build.generated_pages, written_by_hand):
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
        for path, content in {**build.downloads(), **build.assets()}.items():
            files.append(File.generated(config, path, content=content))
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if page.file.generated_by:
            return markdown
        return self._run(self.build.page_markdown, page.file.src_uri, markdown)

    def on_page_content(self, html: str, *, page, config, files) -> str:
        return self.build.page_html(html)

    def on_post_page(self, output: str, *, page, config) -> str:
        # After the search plugin has indexed the page (see HandbookBuild.page_output).
        return self._run(self.build.page_output, page.file.src_uri, output)

    def on_post_build(self, *, config) -> None:
        site = Path(config.site_dir)
        self.build.finish(lambda path, content: write_atomically(site / path, content, site))

    def on_serve(self, server, *, config, builder):
        for folder in self.build.watched():
            server.watch(str(folder))
        return server


def _shown_path(config, file) -> str:
    docs = Path(config.docs_dir)
    root = Path(config.config_file_path or ".").resolve().parent
    try:
        return (docs / file.src_uri).resolve().relative_to(root).as_posix()
    except ValueError:
        return (docs / file.src_uri).as_posix()
