"""The session: a handbook under one host process, which lives across `mkdocs serve` rebuilds.

It holds what survives a rebuild: the options, the language and its catalogs, the caches, the
last data that loaded, the diagram renderer and the downloads. `Session.load()` reads and checks
the data; `Session.begin()` returns a `Build` (build.py), one build of the site from that data.
No host is imported here.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from ..analysis.checks import KNOWN_CHECKS, check_data
from ..base import parallel
from ..base.files import write_file
from ..base.problems import Problem, check_level_errors, counted, display_order, display_path, format_problems
from ..base.urls import ASSET_DIR, SitePaths, normalise_prefix
from ..data.editions import Withheld, edition_network, option_errors
from ..data.load import data_files
from ..data.model import Network
from ..diagrams import figures as diagrams
from ..formats import export
from ..i18n import language as i18n
from . import cache as buildcache
from . import changes_page
from .build import Build, BuildError, BuildLog
from .downloads import download_files
from .handbook import HandbookOptions, nav_has
from .options import DEFAULT_CACHE_DIR, OLD_CACHE_DIR

ASSETS = ("partnerbook.css", "partnerbook.js", "partnerbook-print.css")
# The late child's work is wanted only when the build ends, while Graphviz's diagrams are wanted by
# the host's first page: the child yields most of the cores to them (eight alternated cold builds at
# 1,000 partners: 10.6 s against 11.3 s, median). Mildly: on a machine busy with other work (a test
# suite, a CI runner) a child at the lowest priority would wait for all of it.
LATE_NICENESS = 5


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


class Session:
    """Kept for the life of the host process: under a server, the diagram cache in
    memory, the last data that loaded and the downloads survive the rebuilds."""

    def __init__(self, options: HandbookOptions, log: BuildLog, *, serving: bool = False,
                 shown_from: Path | None = None, fork: bool = False):
        self.options = options
        # Pages, downloads and diagrams on two cores (parallel.py): for one-off builds, never a server.
        self.fork = fork and (options.concurrency or 2) > 1
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
        wrong = check_level_errors(options.checks or {}, KNOWN_CHECKS) + option_errors(options.editions)
        if wrong:
            raise BuildError("partnerbook: " + "\n".join(wrong))
        self.language: i18n.Language | None = None
        self.catalogs_seen: tuple | None = None  # the catalog files' fingerprint when the language was last read
        self.catalog_problems: list[Problem] = []  # under a server: broken catalogs, on top of every page
        self.load_language()
        self.cache_dir = open_cache_dir(options)
        # A rebuild with the same data (or the same pages) reuses them (buildcache.py).
        self.data_cache = buildcache.PickleCache(self.cache_dir, "data")
        self.page_cache = buildcache.PickleCache(self.cache_dir, "pages")
        self.network_key: str | None = None  # the data key of self.network
        self.last_good_key: str | None = None
        self.diagram_renderer: diagrams.DiagramRenderer | None = None
        self.last_good_network: Network | None = None
        self.network: Network | None = None
        self.serve_problems: list[Problem] = []
        self.download_memory: dict = {}
        self.downloads_child: parallel.Forked | None = None  # the downloads, made in another process
        self.stale_downloads: Network | None = None
        # A host that finishes with `finish_late_work` (mkdocs build): a forked child writes the page store
        # and makes the downloads while the host renders (begin_late_work).
        self.late_child: parallel.Forked | None = None
        self.late_makes_downloads = False
        self._late_saved: list[Callable[[], None]] = []  # saved here if the child fails
        # With `defer_saves`, `keep` writes nothing in the build a reader waits for (pickling the pages took
        # 0.1-0.3 s of each rebuild at 1,000 partners): a server's host calls `save_pending` when it is
        # idle, and `mkdocs build`'s late child writes them (Build.generated_pages, begin_late_work).
        self.defer_saves = False
        self._pending_saves: dict[str, Callable[[], None]] = {}  # kind → its write
        self._saves_lock = threading.RLock()  # (save_pending takes the pending saves under it)
        self.withheld = self.last_good_withheld = Withheld()  # what the public edition left out
        self.compared = changes_page.ComparedVersion()  # `compare_to`: the version it names, once per commit
        self._warned: set[str] = set()  # the data's warnings the last load printed (a server's, `_warn`)

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
            self.withheld = self.last_good_withheld
        else:
            self._warn(sorted(result.problems))
            # The one place the edition is made: from here on, everything sees only its network.
            network, withheld = edition_network(result.network, options.editions)
            self.network, self.withheld = self.last_good_network, self.last_good_withheld = network, withheld
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

    def _warn(self, warnings: list[Problem]) -> None:
        """Each warning of the data; under a server, those its last load already printed are
        counted, not printed again (a thousand-partner handbook's list on every keystroke)."""
        shown = [str(warning) for warning in warnings]
        fresh = [text for text in shown if text not in self._warned] if self.serving else shown
        if self.serving:
            self._warned = set(shown)
        for text in fresh:
            self.log.warning(text)
        if len(fresh) < len(shown):
            self.log.warning(f"{counted(len(shown) - len(fresh), 'warning')} as before, not repeated")

    def checked_data(self):
        """(check_data's result, its key): from the cache when no data file and no option changed."""
        options = self.options
        arguments: dict[str, Any] = {"as_of": options.as_of, "scorecard_elements": options.scorecard_elements,
                     "checks": options.checks or {}, "window_months": options.funding_window_months}
        if not options.data_dir.is_dir():
            return check_data(options.data_dir, root=self.shown_from, **arguments), None
        key = buildcache.data_key(data_files(options.data_dir), options.data_dir, self.shown_from, **arguments)
        result = self.data_cache.get(key)
        if result is None:
            result = check_data(options.data_dir, root=self.shown_from, **arguments)
            if not result.errors:
                self.keep(self.data_cache, key, result)
        return result, key

    def watched(self) -> list[Path]:
        """The folders whose changes must rebuild the site."""
        return [path for path in (self.options.data_dir, self.options.templates_dir)
                if path is not None and path.is_dir()]

    # -- one build --------------------------------------------------------
    def begin(self, use_directory_urls: bool, *, links_from_source: bool = False) -> Build:
        """One build of the site from the data `load` read (call `load` first)."""
        if self.network is None or self.diagram_renderer is None or self.language is None:
            raise RuntimeError("Session.begin() before a load() that succeeded")
        return Build(self, self.network, self.diagram_renderer, self.language, use_directory_urls,
                     links_from_source=links_from_source)

    def downloads(self, network: Network, *, late: bool = False) -> dict[str, str]:
        """Source path → content of the data files the network page links. Under a server,
        when the data has changed, the last files stand in and `finish` writes fresh ones
        (GraphML and GEXF take a second at 1,000 partners; the browser need not wait).
        With `late` (a host that lets `finish` write into the site), files a forked child
        is still making are given empty and written by `finish` over them."""
        if not self.options.downloads:
            return {}
        memory = self.download_memory
        self.stale_downloads = None
        files = None
        if late and self.late_child is not None and self.late_makes_downloads:  # on the other core (begin_late_work)
            return {self.paths.download(name): "" for name, _ in export.DOWNLOADS}
        if self.serving and memory:
            files = download_files(network, self.cache_dir, memory, only_cached=True,
                                   data_key=self.downloads_key())
            if files is None:
                self.stale_downloads = network
                files = list(memory.values())[-1]
                files = {name: files[name] for name, _ in export.DOWNLOADS}
        child, self.downloads_child = self.downloads_child, None
        if files is None and child is not None:
            try:
                files = child.result()
            except parallel.ChildFailed:
                files = None
        if files is None:
            files = download_files(network, self.cache_dir, memory, data_key=self.downloads_key())
            assert files is not None  # None only with only_cached
        return {self.paths.download(name): content for name, content in files.items()}

    def can_fork_downloads(self, network: Network) -> bool:
        """Whether the downloads are worth a forked process (GraphML and GEXF take a second at
        1,000 partners), and forking is safe (not under a server: parallel.py)."""
        return self.options.downloads and self.can_fork_late(network)

    def downloads_key(self) -> str | None:
        """What determines the downloads: the checked data's key (data files, options, code) and the edition."""
        if self.network_key is None:
            return None
        return buildcache.key_of(self.network_key, repr(self.options.editions))

    def produced_paths(self) -> set[str]:
        """Every file besides pages that a build adds to the docs folder."""
        downloads = {self.paths.download(name) for name, _ in export.DOWNLOADS} if self.options.downloads else set()
        return downloads | {ASSET_DIR + name for name in ASSETS}

    @staticmethod
    def assets() -> dict[str, str]:
        """Source path → content of the stylesheet and script every page loads."""
        folder = resources.files("partnerbook") / "assets"
        return {ASSET_DIR + name: (folder / name).read_text(encoding="utf-8") for name in ASSETS}

    def projects_page_unlisted(self, nav: object) -> bool:
        """Whether the data has projects and a host's `nav` (a list: the navigation written out)
        does not list their page, which exists only when there are projects."""
        return bool(isinstance(nav, list) and self.network is not None and self.network.projects
                    and not nav_has(nav, self.paths.section("projects")))

    def can_fork_late(self, network: Network) -> bool:
        """Whether a forked child pays at this size (the downloads', the late one) and forking is safe
        (not under a server: parallel.py)."""
        return self.fork and not self.serving and parallel.can_fork(len(network.partners),
                                                                    parallel.MIN_DOWNLOAD_PARTNERS)

    def keep(self, cache: buildcache.PickleCache, key: str, value: object) -> None:
        """`cache.put(key, value)`, or with `defer_saves` kept in memory and written later."""
        cache.remember(key, value)
        self._save(cache.kind, functools.partial(cache.save, key, value))

    def keep_diagrams(self, *, now: bool = False) -> None:
        """The diagram cache written (`DiagramRenderer.save`) when this build drew diagrams, or
        with `defer_saves` later, like `keep` (`now`: whatever `defer_saves` says)."""
        renderer = self.diagram_renderer
        if renderer is not None and renderer.unsaved:
            self._save("diagrams", renderer.save, now=now)

    def _save(self, kind: str, save: Callable[[], None], *, now: bool = False) -> None:
        """`save()` now, or with `defer_saves` when `save_pending` runs (a later one of a kind
        replaces an earlier one)."""
        if now or not self.defer_saves:
            save()
            return
        with self._saves_lock:
            self._pending_saves[kind] = save

    def _take_pending(self) -> list[Callable[[], None]]:
        with self._saves_lock:
            pending, self._pending_saves = list(self._pending_saves.values()), {}
        return pending

    def save_pending(self) -> None:
        """Write what `keep` and `keep_diagrams` deferred, in the order kept; safe from another
        thread (each write under the lock, so an earlier value never lands after a later one)."""
        with self._saves_lock:
            for save in self._take_pending():
                save()

    @property
    def saves_pending(self) -> bool:
        return bool(self._pending_saves)

    def begin_late_work(self, network: Network, *, saves_deferred: bool) -> None:
        """After the generated pages, before any thread starts (a process with threads never forks):
        a forked child writes what `keep` deferred (`saves_deferred`: the caller set `defer_saves`
        for it) and makes the downloads when they are not cached, for `downloads(late=True)` to give
        empty and `finish_late_work` to write. The child takes the core the host leaves idle while
        it renders its pages."""
        saves = self._take_pending() if saves_deferred else []
        if saves_deferred:
            self.defer_saves = False
        key, cache_dir = self.downloads_key(), self.cache_dir
        forks = self.can_fork_late(network)
        makes_downloads = bool(forks and self.options.downloads and download_files(
            network, cache_dir, self.download_memory, only_cached=True, data_key=key) is None)
        if not forks or not (saves or makes_downloads):
            for save in saves:
                save()
            return

        def work() -> dict[str, str] | None:
            for save in saves:
                save()
            return download_files(network, cache_dir, data_key=key) if makes_downloads else None

        child = parallel.Forked(work, nice=LATE_NICENESS)
        self.late_child, self.late_makes_downloads, self._late_saved = child, makes_downloads, saves

    def finish_late_work(self, network: Network, write: Callable[[str, str], object]) -> None:
        """Once the late child is done: the downloads it made written with `write` (or made here, and
        the pages saved here, when it failed)."""
        child, self.late_child = self.late_child, None
        if child is None:
            return
        saves, self._late_saved = self._late_saved, []
        try:
            files = child.result()
        except parallel.ChildFailed:
            files = None
            for save in saves:
                save()
        if not self.late_makes_downloads:
            return
        if files is None:
            files = download_files(network, self.cache_dir, self.download_memory, data_key=self.downloads_key())
            assert files is not None  # None only with only_cached
        for name, content in files.items():
            write(self.paths.download(name), content)

    # -- per page ---------------------------------------------------------
    def refresh_stale_downloads(self, write: Callable[[str, str], object]) -> None:
        """When `downloads` handed out the last files, write fresh ones in the background."""
        network, self.stale_downloads = self.stale_downloads, None
        if network is None:
            return
        key = self.downloads_key()

        def run() -> None:
            try:
                files = download_files(network, self.cache_dir, self.download_memory, data_key=key)
                assert files is not None  # None only with only_cached
                for name, content in files.items():
                    write(self.paths.download(name), content)
                self.log.info("downloads refreshed")
            except OSError:
                pass  # the next rebuild has started and cleaned the site folder; it writes them again
            except Exception as exc:  # noqa: BLE001  (a thread's traceback would reach the user's terminal)
                self.log.warning(f"could not refresh the data downloads: {exc}")

        threading.Thread(target=run, name="partnerbook-downloads", daemon=True).start()
