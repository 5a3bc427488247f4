"""MkDocs writes the site's pages on two cores: a forked process takes them from the back of the
list while MkDocs' own loop takes them from the front, until the two meet.

At 1,000 partners MkDocs spends about four seconds putting 1,556 pages through the theme's
template, the search plugin's indexing and the `post_page` events, one page after another, while
the second core has finished everything partnerbook gave it (the pages' Markdown, Graphviz).
Each page there is independent of the others: it reads the navigation, the page and the plugins'
settings, and writes one file.

MkDocs has no event between pages that could hand some to another process, so the plugin puts a
wrapper in place of the build module's page function for the length of the loop (`install`). At
the first page it forks: the child builds pages from the back and sends back what the parent's
plugins would have kept of them (the search index's entries, the anchors a page holds, the
warnings); the wrapper builds from the front, and when it reaches a page the child took, waits
for it and takes its results in, page by page in the site's order, so the search index and the
log are those of one process. A page the child could not build (it failed or died) is built
there by the parent, which reports its error as MkDocs would.

Only where that is known to be the same site: a plugin with a `page_context` or `post_page`
event other than the search plugins and partnerbook may keep what it sees of each page, which a
child would take with it, and two pages that write the same file (`a.md` and `a/index.md`: MkDocs
lets the later one win, which would depend on timing); then MkDocs builds every page itself, as
do servers (threads), one core, `concurrency: 1` and small sites. What a page object holds after
its page is written is not sent back beyond the anchors: a plugin reading `page.content` in
`on_post_build` sees it as Markdown left it, before Material's search plugin took its
`data-search-*` marks out (none of the plugins known here does).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from ..base.parallel import ChildFailed, Forked, LockLost, TwoEnds, can_fork

MIN_SITE_PAGES = 300  # fewer take MkDocs under half a second: not worth a fork

# The plugins whose page events are known, and where each search plugin keeps its entries.
_SEARCH_ENTRIES = {
    "mkdocs.contrib.search.SearchPlugin": "_entries",
    "properdocs.contrib.search.SearchPlugin": "_entries",
    "material.plugins.search.plugin.SearchPlugin": "entries",
}
_PAGE_EVENTS = ("page_context", "post_page")
_CAPTURED_LOGGERS = ("", "mkdocs", "properdocs")


def _class_name(handler: Any) -> str:
    owner = getattr(handler, "__self__", None)
    return "" if owner is None else f"{type(owner).__module__}.{type(owner).__qualname__}"


class _Records(logging.Handler):
    """In the child: what its loggers would have printed (their levels choose, as in the parent:
    `-v`, `-q`), to log in the parent, in page order, where MkDocs counts the warnings (`--strict`)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class TwoProcessPages:
    """The wrapper around the build module's page function, from `install` to the last page."""

    def __init__(self, module: Any, pages: list[Any], search_plugins: list[tuple[Any, str]],
                 before_fork: Callable[[], None], log: Callable[[str], None]) -> None:
        self._module = module
        self._original = module._build_page
        self._pages = pages
        self._number = {id(page): number for number, page in enumerate(pages)}
        self._search = search_plugins
        self._before_fork = before_fork
        self._log = log
        self._ends: TwoEnds | None = None
        self._arguments: tuple = ()  # MkDocs' arguments but the page and `excluded`, from its first call
        self._child: Forked | None = None
        self._joined = False
        module._build_page = self

    def __call__(self, page: Any, config: Any, doc_files: Any, nav: Any, env: Any,
                 dirty: bool = False, excluded: bool = False) -> None:
        number = self._number.get(id(page))
        if number is None:  # not one of the pages counted (never, with MkDocs 1.6)
            self._original(page, config, doc_files, nav, env, dirty, excluded)
            return
        if number == 0:
            self._arguments = (config, doc_files, nav, env, dirty)
            self._fork()
        if self._ends is None or self._take_front(number):
            self._original(page, config, doc_files, nav, env, dirty, excluded)
        elif not self._joined:
            self._join()
        if number == len(self._pages) - 1:
            self.restore()

    def _take_front(self, number: int) -> bool:
        assert self._ends is not None
        try:
            return self._ends.take_front(number)
        except LockLost:  # the child died holding the lock: what it wrote is written again here
            self.restore()
            self._ends = None
            return True

    def _write(self, page: Any) -> None:
        """A page written as MkDocs' loop would write it (by the page function this stands in for)."""
        self._original(page, *self._arguments, page.file.inclusion.is_excluded())

    def _fork(self) -> None:
        self._before_fork()  # e.g. Graphviz's results, which the child must not wait for itself
        if not can_fork(len(self._pages), MIN_SITE_PAGES):  # (a thread still runs)
            return
        try:
            ends = TwoEnds(len(self._pages))
        except OSError:  # no shared memory for the lock (some containers): one process
            return

        def build_from_back() -> list[tuple[int, list[list[dict]], set[str] | None, list]]:
            logged = _Records()
            for name in _CAPTURED_LOGGERS:
                logger = logging.getLogger(name)
                for handler in list(logger.handlers):
                    logger.removeHandler(handler)
                logger.addHandler(logged)
            built = []
            while True:
                try:
                    number = ends.take_back()
                except LockLost:
                    break
                if number is None:
                    break
                page = self._pages[number]
                before = [len(getattr(plugin.search_index, field)) for plugin, field in self._search]
                logged.records = []
                try:
                    self._write(page)
                except Exception:  # noqa: BLE001  (the parent builds it again, and reports why)
                    break
                entries = [getattr(plugin.search_index, field)[start:]
                           for (plugin, field), start in zip(self._search, before, strict=True)]
                built.append((number, entries, getattr(page, "present_anchor_ids", None), logged.records))
            return built

        self._ends = ends
        self._child = Forked(build_from_back)

    def _join(self) -> None:
        """The child's pages, in order: what it built taken in, what it did not, built here."""
        assert self._ends is not None and self._child is not None
        self._joined = True
        try:
            built = {number: rest for number, *rest in self._child.result()}
        except ChildFailed:
            built = {}
        for number in range(self._ends.back(), len(self._pages)):
            page = self._pages[number]
            if number not in built:
                self._write(page)
                continue
            entries, anchors, records = built[number]
            for (plugin, field), more in zip(self._search, entries, strict=True):
                getattr(plugin.search_index, field).extend(more)
            if anchors is not None:
                page.present_anchor_ids = anchors
            for name, level, message in records:
                logging.getLogger(name).log(level, message)
        self._log(f"{len(self._pages)} pages written in 2 processes "
                  f"({len(built)} by the second)")

    def restore(self) -> None:
        """The build module's own page function again (after the last page, or a failed build)."""
        if self._module._build_page is self:
            self._module._build_page = self._original
        if self._child is not None and not self._joined:
            self._child.discard()
            self._joined = True


def install(config: Any, files: Any, *, before_fork: Callable[[], None],
            log: Callable[[str], None]) -> TwoProcessPages | None:
    """Put the two-process page pass in place for this build, where it gives the same site;
    None where MkDocs builds the pages itself."""
    handlers = [handler for event in _PAGE_EVENTS for handler in config.plugins.events.get(event, [])]
    names = {_class_name(handler) for handler in handlers}
    ours = {name for name in names if name.startswith("partnerbook.")}
    if names - ours - set(_SEARCH_ENTRIES):
        return None
    root = type(config).__module__.split(".", 1)[0]  # mkdocs, or properdocs
    try:
        module = importlib.import_module(f"{root}.commands.build")
        inclusion = importlib.import_module(f"{root}.structure.files").InclusionLevel
    except ImportError:
        return None
    if not callable(getattr(module, "_build_page", None)):
        return None
    documents = files.documentation_pages(inclusion=inclusion.is_included)
    pages = [file.page for file in documents]
    if (any(page is None for page in pages) or len(pages) < MIN_SITE_PAGES
            or len({file.dest_uri for file in documents}) < len(documents)):
        return None
    search = []
    for handler in config.plugins.events.get("page_context", []):
        field = _SEARCH_ENTRIES.get(_class_name(handler))
        if field is not None:
            index = getattr(handler.__self__, "search_index", None)
            if not isinstance(getattr(index, field, None), list):
                return None
            search.append((handler.__self__, field))
    return TwoProcessPages(module, pages, search, before_fork, log)
