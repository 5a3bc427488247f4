"""The MkDocs and ProperDocs plugin: maps the host's events onto build.Session and its Build."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from ..base.collector import collector_paused, set_aside_alive, take_back
from ..base.files import write_file
from ..base.problems import display_path
from ..build import docs_folder as generate
from ..build.build import Build, BuildError, BuildLog
from ..build.handbook import handbook_options, nav_insert_after
from ..build.options import OPTIONS, Option
from ..build.prose import ProsePage, is_stub
from ..build.session import Session
from . import mkdocs_pages
from . import zensical as zensical_extension

log = get_plugin_logger(__name__)
# `mkdocs serve` writes its caches this long after a build, while the reader reads the page
# (Session.save_pending): each rebuild's reader no longer waits for the pickling.
SAVE_AFTER_SECONDS = 2.0


def _config_option(option: Option) -> c.BaseConfigOption:
    """MkDocs' check of one option of the table: its type, its default; None when it has none."""
    if option.items is not None:
        kind: c.BaseConfigOption = c.ListOfItems(c.Type(option.items))
    elif option.default is None:
        kind = c.Type(option.type)
    else:
        return c.Type(option.type, default=option.default)
    return c.Optional(kind)


# The plugin's options in `mkdocs.yml`, made from build/options.py's table. mypy cannot read a
# class made by type(): it sees a Config subclass (the plugin reads the options by name).
if TYPE_CHECKING:
    class PartnerbookConfig(base.Config):
        """The partnerbook plugin's options (build/options.py)."""
else:
    PartnerbookConfig = type("PartnerbookConfig", (base.Config,), {
        "__doc__": "The partnerbook plugin's options (build/options.py).",
        **{option.name: _config_option(option) for option in OPTIONS}})


class PartnerbookPlugin(BasePlugin[PartnerbookConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command, dirty) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds,
        # so the diagram renderer, its in-memory cache and the last good data survive them.
        self.serving = command == "serve"
        self.fork = command == "build"  # a server's threads make forking unsafe (parallel.py)
        self.session: Session | None = None
        self.build: Build | None = None  # this build's, from on_files on
        self.files: Files | None = None
        self._save_timer: threading.Timer | None = None
        self.anchors_wanted: dict[str, set[str]] | None = None  # page → the anchors other pages link to
        self.placed_projects = False  # whether the projects page was put in the nav (said once per command)
        self.page_pass: mkdocs_pages.TwoProcessPages | None = None

    def on_config(self, config):
        self._cancel_save()  # this build's caches replace what waits to be written
        take_back()  # what the last build set aside (it stopped before on_post_build, or ran in this process)
        zensical_extension.plugin_active = True  # `partnerbook.markdown`, if listed, stays out of the way
        root = _root(config)
        try:
            options = handbook_options(
                dict(self.config), root=root,
                config_file=Path(config.config_file_path) if config.config_file_path else None,
                docs_dir=Path(config.docs_dir), use_directory_urls=config.use_directory_urls, theme=config.theme)
        except ValueError as exc:
            raise PluginError(f"partnerbook: {exc}") from None
        session = getattr(self, "session", None)
        if session is None or session.options != options:
            if session is not None:
                session.save_pending()
            try:
                session = self.session = Session(options, BuildLog(log.info, log.warning, log.error, log.debug),
                                                 serving=getattr(self, "serving", False),
                                                 fork=getattr(self, "fork", False))
            except BuildError as exc:
                raise PluginError(str(exc)) from None
            session.defer_saves = session.serving
        with collector_paused():  # and the loaded data set aside before a collection scans it
            self._run(session.load)
            set_aside_alive()
        if self._place_projects_page(config, session) and not getattr(self, "placed_projects", False):
            self.placed_projects = True  # a server passes here on every rebuild
            log.info(f"{session.paths.section('projects')} added to the navigation after "
                     f"{session.paths.section('partners')}, as the data has projects; list it under `nav` "
                     "in the configuration to place it yourself")
        for path in session.assets():
            target = config.extra_css if path.endswith(".css") else config.extra_javascript
            if path not in [str(x) for x in target]:
                target.append(path)
        return config

    @staticmethod
    def _place_projects_page(config, session: Session) -> bool:
        """The projects page exists only when the data has projects (an import often brings them), so
        a `nav` written before cannot list it: it goes in after the partners page, where the handbook
        lists it, rather than nowhere (MkDocs would only say it is not in the navigation)."""
        return session.projects_page_unlisted(config.nav) and nav_insert_after(
            config.nav, session.paths.section("partners"), session.paths.section("projects"))

    @staticmethod
    def _run(step, *args):
        try:
            return step(*args)
        except BuildError as exc:
            raise PluginError(str(exc)) from None

    @event_priority(-50)  # after plugins that add documentation pages of their own (gen-files)
    def on_files(self, files: Files, *, config) -> Files:
        session = self.session
        assert session is not None  # on_config made it
        build = self.build = session.begin(config.use_directory_urls)
        # What `partnerbook generate` wrote for hosts without plugins (Zensical) is
        # made again here: its stubs, assets, downloads and diagrams give way to the real thing.
        produced = session.produced_paths() | generate.written_files(Path(config.docs_dir))
        for file in list(files):
            if file.generated_by:
                continue
            if (is_stub(file.abs_src_path) if file.src_uri.endswith(".md") else file.src_uri in produced):
                files.remove(file)
        docs, root = Path(config.docs_dir), _root(config)
        self._run(build.read_prose, [
            ProsePage(file.src_uri, display_path(docs / file.src_uri, root), file.content_string)
            for file in files.documentation_pages() if not file.generated_by])

        def written_by_hand(src_uri: str) -> bool:
            if files.get_file_from_path(src_uri) is None:
                return False
            log.info(f"{src_uri} is written by hand; it replaces the generated page")
            return True

        # After the pages, a forked process saves them for the next build and makes the downloads, which
        # on_post_build writes (`late_work`): it takes the core MkDocs leaves idle, not one the pages need.
        for page in self._run(functools.partial(build.generated_pages, late_work=True), written_by_hand):
            if page.site_file is not None:  # a whole document, copied as it is (a workshop sheet)
                files.append(File.generated(config, page.site_file, content=build.standalone_output(page)))
                continue
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.markdown, inclusion=inclusion))
        for path, content in {**build.downloads(late=True), **build.assets()}.items():
            files.append(File.generated(config, path, content=content))
        self.files, self.anchors_wanted = files, None
        set_aside_alive()  # the pages made live until on_post_build, like the data: collections skip them
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if page.file.generated_by:
            return markdown
        assert self.build is not None  # on_files began it
        return self._run(self.build.page_markdown, page.file.src_uri, markdown)

    def on_page_content(self, html: str, *, page, config, files) -> str:
        assert self.build is not None  # on_files began it
        return self.build.page_html(html)

    def on_post_page(self, output: str, *, page, config) -> str:
        # After the search plugin has indexed the page (see Build.page_output).
        assert self.build is not None  # on_files began it
        output = self._run(self.build.page_output, page.file.src_uri, output)
        self._note_anchors(page, output)
        return output

    def _note_anchors(self, page, output: str) -> None:
        """The anchors other pages link to that a view put in this page: MkDocs finds the ids of a
        page's Markdown and raw HTML, not those of HTML a plugin puts in afterwards, and would report
        `[the scorecard sheets](workshop/index.md#scorecard-sheets)` as a link to a missing anchor.
        Only linked anchors are looked for, once every page's Markdown has been rendered (MkDocs
        checks them after the last page)."""
        present = getattr(page, "present_anchor_ids", None)
        if present is None or self.files is None:
            return
        if self.anchors_wanted is None:
            self.anchors_wanted = {}
            for file in self.files.documentation_pages():
                for target, links in (getattr(file.page, "links_to_anchors", None) or {}).items():
                    self.anchors_wanted.setdefault(target.src_uri, set()).update(links)
        for anchor in self.anchors_wanted.get(page.file.src_uri, ()):
            if anchor not in present and (f' id="{anchor}"' in output or f' name="{anchor}"' in output):
                present.add(anchor)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        # 404.html and other theme pages: marked like every page of the internal edition.
        assert self.build is not None  # on_files began it
        return self.build.edition_marks(output_content) if template_name.endswith(".html") else output_content

    def on_env(self, env, *, config, files):
        assert self.session is not None and self.build is not None  # on_config, on_files
        if self.session.fork:
            # MkDocs' own pages on two cores (mkdocs_pages.py); Graphviz is done before the fork,
            # so that only this process collects its results.
            self.page_pass = mkdocs_pages.install(
                config, files, before_fork=self.build.diagram_set.wait, log=log.info)
        return env

    def on_build_error(self, *, error) -> None:
        self._end_page_pass()

    def _end_page_pass(self) -> None:
        page_pass, self.page_pass = getattr(self, "page_pass", None), None
        if page_pass is not None:
            page_pass.restore()

    def on_post_build(self, *, config) -> None:
        self._end_page_pass()
        site = Path(config.site_dir)
        assert self.build is not None  # on_files began it
        self.build.finish(lambda path, content: write_file(site / path, content, inside=site))
        if getattr(self, "serving", False):  # `mkdocs build` ends here: a last collection would only delay the exit
            take_back()
            self._save_later()

    def _save_later(self) -> None:
        self._cancel_save()
        session = self.session
        if session is not None and session.saves_pending:
            timer = self._save_timer = threading.Timer(SAVE_AFTER_SECONDS, session.save_pending)
            timer.daemon = True
            timer.start()

    def _cancel_save(self) -> None:
        timer, self._save_timer = getattr(self, "_save_timer", None), None
        if timer is not None:
            timer.cancel()

    def on_shutdown(self) -> None:
        self._cancel_save()
        session = getattr(self, "session", None)
        if session is not None:
            session.save_pending()

    def on_serve(self, server, *, config, builder):
        assert self.session is not None  # on_config made it
        for folder in self.session.watched():
            server.watch(str(folder))
        return server


def _root(config) -> Path:
    """The handbook's folder (of mkdocs.yml): messages name files relative to it."""
    return Path(config.config_file_path or ".").resolve().parent
