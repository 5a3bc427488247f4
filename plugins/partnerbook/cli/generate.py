"""`partnerbook generate [DIR]`: the generated pages, assets and downloads written into the docs
folder, for a host that runs no plugins (Zensical; build/docs_folder.py says how)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..base.problems import printable
from ..build.build import BuildError, BuildLog
from ..build.docs_folder import build_for_docs, write_docs
from ..build.handbook import HandbookOptions
from ..build.prose import prose_pages
from ..build.session import Session
from .handbook import EXIT_ERRORS, EXIT_OK, CommandFailed, edition_argument, handbook_options


def add_parser(commands: argparse._SubParsersAction) -> None:
    generator = commands.add_parser(
        "generate", help="write the generated pages, assets and downloads into the docs folder (Zensical)")
    generator.add_argument("dir", nargs="?", default=".",
                           help="handbook folder (with mkdocs.yml or properdocs.yml); default: .")
    edition_argument(generator, "generate")
    generator.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return generate(handbook_options(args.dir, args.edition), args.dir)


def _say(level: str):
    return lambda message: print(f"partnerbook: {level}{message}", file=sys.stderr)


def generate(options: HandbookOptions, directory: str) -> int:
    """Write the docs folder of the handbook `options` describe (`directory`, as the user named it)."""
    if options.config_file is None:
        raise CommandFailed(f"{directory}: no mkdocs.yml or properdocs.yml here; "
                            "`partnerbook generate` writes into the docs folder that file names")
    log = BuildLog(info=lambda message: None, warning=_say("warning: "), error=_say("error: "))
    try:
        session = Session(options, log, shown_from=Path.cwd(), fork=True)
        session.load()
        docs_dir = options.docs_dir
        assert docs_dir is not None  # find_handbook sets it (docs/ by default)
        if not docs_dir.is_dir():
            raise BuildError(f"partnerbook: the docs folder {docs_dir} does not exist")
        build, pages, files = build_for_docs(session, prose_pages(docs_dir, Path.cwd()))
        changes = write_docs(docs_dir, files)
        build.finish()  # the diagrams drawn now are in the cache for the host's first build
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:  # a refused write (a link in the docs folder) or a full disk: no traceback
        print(printable(f"partnerbook: error: cannot write {exc.filename or options.docs_dir}: "
                        f"{exc.strerror or exc}"), file=sys.stderr)
        return EXIT_ERRORS
    print(f"partnerbook: {len(pages)} pages and {len(files) - len(pages)} files in {docs_dir}: "
          f"{len(changes.written)} written, {changes.unchanged} unchanged, {len(changes.removed)} removed",
          file=sys.stderr)
    return EXIT_OK
