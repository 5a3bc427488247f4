"""`partnerbook generate [DIR] [--watch]`: the generated pages, assets and downloads written into the
docs folder, for a host that runs no plugins (Zensical; build/docs_folder.py says how). With `--watch`
it stays, and writes again what changed whenever the data, the templates, mkdocs.yml or a page in
the docs folder changes: beside `zensical serve`, which then renders those pages again."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable

from ..base.collector import collector_paused, set_aside_alive, take_back
from ..base.problems import format_problems, printable
from ..build.build import BuildError, BuildLog
from ..build.docs_folder import (
    Manifest,
    build_for_docs,
    docs_key,
    source_fingerprint,
    stamp_text,
    write_docs,
    write_stamp,
)
from ..build.handbook import HandbookOptions
from ..build.prose import prose_pages
from ..build.session import Session
from .handbook import EXIT_ERRORS, EXIT_OK, CommandFailed, edition_argument, handbook_options

POLL_SECONDS = 0.5  # how often --watch looks at the files (a stat of each; no watcher library needed)
# --watch writes its caches once nothing changed for this long (Session.save_pending): the stubs
# of an edit no longer wait for the pickling of the pages.
SAVE_AFTER_SECONDS = 1.0


def add_parser(commands: argparse._SubParsersAction) -> None:
    generator = commands.add_parser(
        "generate", help="write the generated pages, assets and downloads into the docs folder (Zensical)")
    generator.add_argument("dir", nargs="?", default=".",
                           help="handbook folder (with mkdocs.yml or properdocs.yml); default: .")
    edition_argument(generator, "generate")
    generator.add_argument("--watch", action="store_true",
                           help="stay, and write again what changed on each save (beside `zensical serve`); "
                                "Ctrl-C stops")
    generator.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    options = handbook_options(args.dir, args.edition)
    if not args.watch:
        return generate(options, args.dir)
    return watch(lambda: handbook_options(args.dir, args.edition), options, args.dir)


def _say(level: str) -> Callable[[str], None]:
    return lambda message: print(f"partnerbook: {level}{message}", file=sys.stderr, flush=True)


def _session(options: HandbookOptions, directory: str, *, serving: bool) -> Session:
    if options.config_file is None:
        raise CommandFailed(f"{directory}: no mkdocs.yml or properdocs.yml here; "
                            "`partnerbook generate` writes into the docs folder that file names")
    log = BuildLog(info=lambda message: None, warning=_say("warning: "), error=_say("error: "))
    # Files are named relative to the handbook, wherever the command runs: the downloads and pages
    # show where each record was written, and must not change with the folder `generate` ran from.
    # `--watch` keeps serving the last good pages, in one thread: forking stays safe (parallel.py).
    session = Session(options, log, fork=True, serving=serving)
    session.defer_saves = serving  # `--watch` writes its caches when idle (SAVE_AFTER_SECONDS)
    return session


def _write(session: Session) -> tuple[str, bool]:
    """One run: load, generate, write what changed; (the summary line, whether anything changed)."""
    started = time.perf_counter()
    options = session.options
    take_back()  # what `--watch`'s last run set aside
    with collector_paused():  # the data set aside as it loads: the page generation's collections skip it
        session.load()
        set_aside_alive()
    docs_dir = options.docs_dir
    assert docs_dir is not None  # find_handbook sets it (docs/ by default)
    if not docs_dir.is_dir():
        raise BuildError(f"partnerbook: the docs folder {docs_dir} does not exist")
    manifest = Manifest(session.cache_dir, docs_dir)
    prose = prose_pages(docs_dir, options.root, manifest.holds)
    build, pages, files = build_for_docs(session, prose)
    # The diagrams the pages show, drawn and in the cache before a stub tells Zensical to render
    # a page (`zensical serve` beside `--watch` would draw them again).
    build.finish()
    session.keep_diagrams(now=True)
    problems = format_problems(session.serve_problems) if session.serve_problems else ""
    stamp = stamp_text(build, prose, problems)  # (a broken block in a page stops here, before any write)
    changes = write_docs(docs_dir, files, manifest)
    stamped = write_stamp(docs_dir, stamp)
    manifest.made(docs_key(options, session.network_key))  # the extension under `zensical build` then writes nothing
    manifest.save()
    every = "; the views in pages you wrote changed, so Zensical renders every page again" if stamped else ""
    return (f"partnerbook: {len(pages)} pages and {len(files) - len(pages)} files in {docs_dir}: "
            f"{len(changes.written)} written, {changes.unchanged} unchanged, {len(changes.removed)} removed "
            f"in {time.perf_counter() - started:.1f} s{every}"), bool(changes.written or changes.removed or stamped)


def generate(options: HandbookOptions, directory: str) -> int:
    """Write the docs folder of the handbook `options` describe (`directory`, as the user named it)."""
    try:
        session = _session(options, directory, serving=False)
        print(_write(session)[0], file=sys.stderr)
        _say_where_projects_go(session, said=False)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:  # a refused write (a link in the docs folder) or a full disk: no traceback
        print(printable(f"partnerbook: error: cannot write {exc.filename or options.docs_dir}: "
                        f"{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def watch(read_options: Callable[[], HandbookOptions], options: HandbookOptions, directory: str) -> int:
    """Generate, then again after each change, until Ctrl-C. Bad data never stops it: the problems
    are printed, the pages keep the last data that loaded, and the render stamp carries the problems
    so that `zensical serve` shows them on every page until they are fixed."""
    session = _session(options, directory, serving=True)
    folders = ", ".join(f"{path.name}/" for path in (options.data_dir, options.templates_dir, options.docs_dir)
                        if path is not None and path.is_dir())
    print(f"partnerbook: watching {folders} and {options.config_file.name if options.config_file else ''} "
          "(Ctrl-C stops)", file=sys.stderr, flush=True)
    seen: tuple | None = None
    said_projects = False  # the note on the projects page's place: once, until the data or nav change it

    def fingerprint() -> tuple:
        # The pages people write in the docs folder count (their links and views); the stubs a run
        # wrote do not, or each run would make another.
        docs_dir = session.options.docs_dir
        manifest = Manifest(session.cache_dir, docs_dir) if docs_dir is not None else None
        return source_fingerprint(session.options, docs=True, skip=manifest.holds if manifest else None)

    ran = time.monotonic()
    try:
        while True:
            now = fingerprint()
            if now != seen:
                if seen is not None and any(entry[0] == "config" for entry in set(now) ^ set(seen)):
                    session.save_pending()
                    session = _reloaded(read_options, session, directory)
                _run_once(session, always=seen is None)
                said_projects = _say_where_projects_go(session, said=said_projects)
                # What this run read, not what it left: a save during the run is seen next time.
                seen, ran = now, time.monotonic()
            elif session.saves_pending and time.monotonic() - ran >= SAVE_AFTER_SECONDS:
                session.save_pending()
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        session.save_pending()
        print("partnerbook: stopped watching", file=sys.stderr)
        return EXIT_OK


def _say_where_projects_go(session: Session, *, said: bool) -> bool:
    """Zensical shows a page where the configuration's `nav` lists it (the MkDocs plugin adds the
    projects page itself: hosts/mkdocs.py); the projects page exists only when the data has projects.
    Whether the note stands, said now unless it was (`said`): under `--watch`, when projects come."""
    options, projects = session.options, session.paths.section("projects")
    stands = session.projects_page_unlisted(options.nav)
    if stands and not said:
        config = options.config_file.name if options.config_file else "the configuration"
        print(f"partnerbook: note: the data has projects, and the `nav` of {config} does not list "
              f"{projects}: add `- {projects}` after {session.paths.section('partners')} to show it there",
              file=sys.stderr, flush=True)
    return stands


def _reloaded(read_options: Callable[[], HandbookOptions], session: Session, directory: str) -> Session:
    try:
        return _session(read_options(), directory, serving=True)
    except (CommandFailed, BuildError) as exc:
        print(printable(f"partnerbook: error: {exc}".replace("partnerbook: error: partnerbook: ", "partnerbook: ")),
              file=sys.stderr, flush=True)
        return session  # the last options that worked, until the file is fixed


def _run_once(session: Session, *, always: bool) -> None:
    try:
        line, changed = _write(session)
        if changed or always:
            print(line, file=sys.stderr, flush=True)
    except BuildError as exc:
        print(str(exc), file=sys.stderr, flush=True)
        # No data loaded yet: the pages Zensical serves say so through the stamp (the extension reads
        # the same data and shows the same problems on every page).
        docs_dir = session.options.docs_dir
        with contextlib.suppress(OSError):  # a refused write: the next run tries again
            if docs_dir is not None and docs_dir.is_dir():
                write_stamp(docs_dir, stamp_text(None, [], str(exc)))
    except OSError as exc:
        print(printable(f"partnerbook: error: cannot write {exc.filename or session.options.docs_dir}: "
                        f"{exc.strerror or exc}"), file=sys.stderr, flush=True)
