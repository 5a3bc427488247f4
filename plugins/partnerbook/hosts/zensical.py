"""`markdown_extensions: [partnerbook.markdown]`: partnerbook under Zensical.

Zensical runs no MkDocs plugins, but it runs Python-Markdown extensions on every
page. This one reads the `plugins: - partnerbook:` options from mkdocs.yml,
runs the same core as the plugin (build.Session and its Build) once per change of the
data, and while Zensical renders a page: swaps a stub that `partnerbook generate`
wrote for the generated page, replaces ```partnerbook blocks by their views,
and puts the views and diagrams into the HTML. Under MkDocs and ProperDocs the
plugin does all this and the extension does nothing.

Zensical has no hooks before or after the build, so: under `zensical serve`
the extension rewrites stale stubs, downloads and assets itself when the data
changes, and no error stops the server (the last data that loaded stays, with
the problems on top of every page); under `zensical build` a data error stops
the build with the same FILE:LINE messages as `mkdocs build`.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import re
import sys
import threading
import time
import traceback
from pathlib import Path

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from ..base.problems import format_problems
from ..build import docs_folder as generate
from ..build.build import Build, BuildError, BuildLog
from ..build.handbook import find_handbook, theme_language
from ..build.prose import MARKER, prose_pages
from ..build.session import Session
from ..site.banners import serve_error_banner

# Set by the MkDocs/ProperDocs plugin: the host runs the plugin, this extension stays out of the way.
plugin_active = False
_RECHECK_SECONDS = 2.0  # how stale a look at the data folder's files may be within one build


def zensical_page(md) -> tuple[str, dict] | None:
    """(source path of the page being rendered, relative to the docs folder; Zensical's
    configuration) or None when Zensical is not rendering this page.

    Zensical tells an extension which page it renders only through an internal
    object, `zensical.extensions.context.ContextPreprocessor`, that it registers
    on each page's Markdown instance. It is not a public API: this is the one
    place that reads it, and tests/hosts/test_hosts.py tests it against the installed
    Zensical, so an upgrade that changes it breaks here and nowhere else."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    if context is None or not getattr(context.page, "path", None):
        return None
    return str(context.page.path).replace(os.sep, "/"), context.config


def serving() -> bool:
    """Whether this process is `zensical serve` (errors show on the pages) or a build (errors stop it)."""
    return "serve" in sys.argv[1:2]


def _say(level: str):
    def say(message: str) -> None:
        print(f"partnerbook: {level}{message}", file=sys.stderr, flush=True)
    return say


_LOG = BuildLog(info=_say(""), warning=_say("warning: "), error=_say("error: "))


class _Handbook:
    """One handbook under one Zensical process: the core's build, redone when the data,
    the templates or mkdocs.yml change."""

    def __init__(self, root: Path):
        self.root = root
        self.session: Session | None = None
        self.build: Build | None = None  # the last build; None until the data first loaded
        self.pages: dict = {}
        self.digests: dict[str, str] = {}  # path → page_digest of self.pages' page, as stale_stub needed it
        self.fingerprint: tuple | None = None
        self.config_id: int | None = None
        self.checked_at = 0.0
        self.written_seen: tuple = ()  # written_status() at the last look
        self.failure: str | None = None  # the data never loaded: shown on every page under serve

    def options(self, config: dict):
        options = find_handbook(self.root)
        if options.language_from_theme or options.language is None:
            # Zensical's own reading of the theme: the same as mkdocs.yml's, or zensical.toml's.
            options = dataclasses.replace(options, language=theme_language(config.get("theme")) or options.language,
                                          language_from_theme=True)
        return dataclasses.replace(
            options, docs_dir=self.root / str(config.get("docs_dir") or "docs"),
            use_directory_urls=config.get("use_directory_urls", True) is not False)

    def written_status(self, config: dict) -> tuple:
        """(size, modification time) of the render stamp and of the docs folder's manifest, or None
        for one that is not there: two looks at the disk, where a full look walks the data folder."""
        docs = self.root / str(config.get("docs_dir") or "docs")
        paths = [generate.stamp_folder(docs) / generate.STAMP_NAME]
        if self.session is not None and self.session.cache_dir is not None:
            paths.append(self.session.cache_dir / generate.Manifest.NAME)
        out: list[tuple[int, int] | None] = []
        for path in paths:
            try:
                status = path.stat()
            except OSError:
                out.append(None)
                continue
            out.append((status.st_size, status.st_mtime_ns))
        return tuple(out)

    def stale_stub(self, path: str, text: str) -> bool:
        """Whether a stub names a page other than the one this process holds for it: written by a
        `generate --watch` run after this process's last look at the data (Zensical may start a
        build as soon as the first stub is written, within the seconds a look is trusted)."""
        written = _STUB_DIGEST.search(text)
        page = self.pages.get(path)
        if written is None or page is None:
            return False
        if path not in self.digests:
            self.digests[path] = generate.page_digest(page)
        return written.group(1) != self.digests[path]

    def refresh(self, config: dict, *, look: bool = False) -> None:
        """Bring the build up to date; cheap when nothing changed (`look`: check the files whatever
        the time of the last look)."""
        now = time.monotonic()
        # Each `generate --watch` run that writes anything saves its manifest, and one that changes
        # what every page shows (the problems on top of them) writes the render stamp: a build that
        # begins within the seconds of the last look must look again after either (it once served a
        # page without the banner of data broken a second after the last good edit).
        written = self.written_status(config)
        if (not look and self.config_id == id(config) and now - self.checked_at < _RECHECK_SECONDS
                and written == self.written_seen):
            return
        self.config_id, self.checked_at, self.written_seen = id(config), now, written
        options = self.options(config)
        fingerprint = generate.source_fingerprint(options)
        if fingerprint == self.fingerprint:
            return
        self.fingerprint = fingerprint
        if self.session is not None:
            self.session.keep_diagrams()  # what the last build drew (this host has no hook after a build)
        if self.session is None or self.session.options != options:
            self.session = Session(options, _LOG, serving=serving())
        session = self.session
        session.load()
        self.failure = None
        docs = options.docs_dir
        manifest = generate.Manifest(session.cache_dir, docs)
        prose = prose_pages(docs, options.root, manifest.holds)
        self.build, pages = generate.pages_for_docs(session, prose)
        standalone = {page.site_file for page in pages if page.site_file is not None}
        stubbed = {page.src_uri: page for page in pages if page.site_file is None}  # what _Before swaps in
        if manifest.made_from == generate.docs_key(options, session.network_key):
            # `partnerbook generate` wrote the docs folder from these very files: nothing to write.
            self.pages, self.digests = stubbed, {}
            return
        files = generate.docs_files(self.build, pages)
        before = set(self.pages) or generate.find_stubs(docs, manifest)
        self.pages, self.digests = stubbed, {}
        changes = generate.write_docs(docs, files, manifest)
        # As `partnerbook generate` does: when a view in a written page changed, every page renders again.
        problems = format_problems(session.serve_problems) if session.serve_problems else ""
        generate.write_stamp(docs, generate.stamp_text(self.build, prose, problems))
        manifest.made(generate.docs_key(options, session.network_key))
        manifest.save()
        session.refresh_stale_downloads(lambda path, content: generate.write_if_changed(docs / path, content, docs))
        missing = sorted(set(self.pages) - before)
        if changes.written or changes.removed:
            _LOG.info(f"updated the generated files in {docs.name}/: {len(changes.written)} written, "
                      f"{len(changes.removed)} removed")
        if session.serving:
            return
        if missing:
            raise BuildError(
                f"partnerbook: {len(missing)} generated page(s) were missing from {docs.name}/ "
                f"(e.g. {missing[0]}); they are written now: run the build again, and "
                "`partnerbook generate` before a build after the data changes")
        # (Zensical may have copied a standalone page already, too.)
        stale = sorted(path for path in changes.written + changes.removed if path.endswith(".md") or path in standalone)
        if stale:
            # Zensical chose the pages to render before this ran: those would show the old data.
            raise BuildError(
                f"partnerbook: {len(stale)} generated page(s) in {docs.name}/ were older than the data "
                f"(e.g. {stale[0]}); they are written now: run `partnerbook generate` before "
                "`zensical build` after the data changes, and the build again")


_STUB_DIGEST = re.compile(r"<!-- page ([0-9a-f]+) -->")  # stub_text's last line
_SESSIONS: dict[Path, _Handbook] = {}
_LOCK = threading.RLock()  # Zensical may render pages from several threads


def _session_for(config: dict) -> _Handbook:
    root = Path(config.get("root_dir") or ".").resolve()
    session = _SESSIONS.get(root)
    if session is None:
        if not _SESSIONS:
            atexit.register(_keep_diagrams)
        session = _SESSIONS[root] = _Handbook(root)
    return session


def _keep_diagrams() -> None:
    """At exit: the diagrams this process drew, for the next build (Zensical has no hook after a build)."""
    with _LOCK:
        for handbook in _SESSIONS.values():
            if handbook.session is not None:
                handbook.session.keep_diagrams()


def _fail(session: _Handbook, exc: Exception) -> None:
    """A build stops here, with the messages and no traceback; a server goes on."""
    message = str(exc) if isinstance(exc, BuildError) else (
        "partnerbook: an unexpected error:\n" + "".join(traceback.format_exception(exc)))
    if not serving():
        print(message, file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(1)  # an exception would reach the user as Zensical's traceback
    _LOG.error(message.removeprefix("partnerbook: "))
    if session.session is None or session.session.last_good_network is None:
        session.failure = message.removeprefix("partnerbook: ")


class _Before(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        found = None if plugin_active else zensical_page(self.md)
        if found is None:
            return lines
        path, config = found
        with _LOCK:
            session = _session_for(config)
            try:
                session.refresh(config)
                if session.stale_stub(path, "\n".join(lines)):
                    session.refresh(config, look=True)
            except Exception as exc:  # noqa: BLE001  (see _fail: never a traceback, never a dead server)
                session.fingerprint = None  # try again on the next page
                _fail(session, exc)
            # The page being converted, for the postprocessor (an attribute of ours on this Markdown).
            self.md.partnerbook_page = (session, path)  # type: ignore[attr-defined]
            if session.failure is not None or session.build is None:
                return lines
            try:
                text = "\n".join(lines)
                page = session.pages.get(path)
                if page is not None and MARKER in text:
                    return generate.generated_body(page).split("\n")
                return session.build.page_markdown(path, text).split("\n")
            except Exception as exc:  # noqa: BLE001
                _fail(session, exc)
                return lines


class _After(Postprocessor):
    def run(self, text: str) -> str:
        found = getattr(self.md, "partnerbook_page", None)
        if found is None:
            return text
        session, path = found
        with _LOCK:
            try:
                if session.failure is not None:
                    return serve_error_banner(session.failure.splitlines()) + text
                if session.build is None:
                    return text
                return session.build.page_output(path, session.build.page_html(text))
            except Exception as exc:  # noqa: BLE001
                _fail(session, exc)
                return text


class PartnerbookExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802  (Python-Markdown's name)
        if plugin_active:
            return
        md.preprocessors.register(_Before(md), "partnerbook", 40)  # before fences and HTML blocks
        # After RawHtmlPostprocessor (30) has put the placeholders (HTML comments) back.
        md.postprocessors.register(_After(md), "partnerbook", 5)


def makeExtension(**kwargs) -> PartnerbookExtension:  # noqa: N802  (Python-Markdown's name)
    return PartnerbookExtension(**kwargs)
