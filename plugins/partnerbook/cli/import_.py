"""`partnerbook import FORMAT SOURCE...`: data files from CSV, a workbook, GraphML/GEXF, IATI XML or
a FOSS community's files (maintainers, Open Collective, GitHub Sponsors, funding.json, publiccode.yml).

(`import_`: `import` is a Python keyword.)"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ..base.problems import printable
from ..build.handbook import find_handbook
from ..formats.importers import (
    FORMATS,
    FOSS_FORMATS,
    ImportFailed,
    check_sources,
    handbook_data,
    reader,
    remove_control_characters,
    write,
)
from .handbook import EXIT_ERRORS, EXIT_OK, CommandFailed


class _FormatHelp(argparse.Action):
    """`import iati --help`: the options and the rules of that format, after the general help."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, default: object = argparse.SUPPRESS,
                 help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        parser.print_help()
        if getattr(namespace, "format", None) == "iati":
            from ..formats.importers.iati import HELP  # the importer is loaded only when it is asked for

            print("\n" + HELP)
        parser.exit()


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import", help="write data files from CSV, a workbook, GraphML/GEXF, IATI XML or FOSS files", add_help=False,
        description="Read other tools' data and write YAML data files that `partnerbook check` accepts, "
                    "with a summary of what was mapped, merged and skipped.")
    parser.add_argument("-h", "--help", action=_FormatHelp,
                        help="show this help (`import iati --help`: the IATI options and rules too)")
    parser.add_argument("format", choices=FORMATS + tuple(FOSS_FORMATS))
    parser.add_argument("sources", nargs="+", metavar="SOURCE",
                        help="csv: the folder of tables (or the table files); xlsx: the workbook; "
                             "graphml/gexf: the graph file; iati: one or more activity XML files; "
                             "maintainers, opencollective, github-sponsors: the CSV file; funding-json: "
                             "funding.json; publiccode: publiccode.yml")
    parser.add_argument("-o", "--output", default="network", help="folder for the data files; default: network")
    parser.add_argument("--focal", metavar="ID",
                        help="the focal organisation: a partner id, a name or (iati) an organisation identifier")
    parser.add_argument("--publisher", action="append", metavar="REF|NAME",
                        help="iati: keep only the activities this organisation reports (its identifier or name; "
                             "repeatable); --focal defaults to it")
    parser.add_argument("--keep-people", action="store_true",
                        help="FOSS formats: name people (maintainers, individual contributors and payees) as "
                             "partners instead of counting or aggregating them")
    parser.add_argument("--with", dest="with_data", metavar="DIR",
                        help="FOSS formats: the handbook's data folder to add to: its partners are reused (by name, "
                             "alias or identifier), its focal organisation is the focal one, and no network.yml "
                             "is written; -o then names a folder of its own inside it")
    parser.add_argument("--dry-run", action="store_true", help="print the summary only; write nothing")
    parser.add_argument("--force", action="store_true",
                        help="replace data files that an earlier import did not write")
    parser.set_defaults(run=run)


def handbook_scorecard_elements() -> tuple[str, ...] | None:
    """The handbook's own scorecard elements (mkdocs.yml here), which imported scorecards are checked against."""
    try:
        return find_handbook(Path(".")).scorecard_elements
    except Exception:  # noqa: BLE001  an unreadable mkdocs.yml is `check`'s to report; the import uses the default elements
        return None


def run(args: argparse.Namespace) -> int:
    sources = [Path(s) for s in args.sources]
    output = Path(args.output)
    if args.publisher and args.format != "iati":
        raise CommandFailed(f"--publisher is for `import iati` (not {args.format})")
    try:
        context, existing = None, None
        if args.with_data:
            if args.format not in FOSS_FORMATS:
                raise ImportFailed(["--with is for the FOSS formats (maintainers, opencollective, github-sponsors, "
                                    "funding-json, publiccode)"])
            context, existing = handbook_data(Path(args.with_data), output)
        check_sources(args.format, sources)
        read = reader(args.format, args.keep_people, existing)
        imported = read(sources, args.focal, args.publisher) if args.publisher else read(sources, args.focal)
        remove_control_characters(imported)
        print(printable(f"partnerbook import {args.format}: read {', '.join(str(s) for s in sources)}"))
        print(printable(imported.summary.render()))
        written = write(imported, output, command=args.format, force=args.force, dry_run=args.dry_run,
                        scorecard_elements=handbook_scorecard_elements(), context=context)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(printable(f"partnerbook: error: {problem}"), file=sys.stderr)
        print(f"partnerbook: import failed, nothing written ({len(exc.problems)} problem"
              f"{'s' if len(exc.problems) != 1 else ''})", file=sys.stderr)
        return EXIT_ERRORS
    except ET.ParseError as exc:  # raised by a reader that did not catch it: still no traceback
        print(printable(f"partnerbook: error: not well-formed XML: {exc}"), file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:
        print(printable(f"partnerbook: error: {exc.filename or output}: {exc.strerror}"), file=sys.stderr)
        return EXIT_ERRORS
    if args.dry_run:
        for refusal in written:
            print(printable(f"partnerbook: warning: {refusal}"), file=sys.stderr)
        print(f"dry run: the data loads; nothing written (without --dry-run: {output}/)")
    else:
        print(f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {output}/: {', '.join(written)}")
    return EXIT_OK
