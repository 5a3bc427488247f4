"""`partnerbook import FORMAT SOURCE...`: data from spreadsheets, graph tools and IATI into data files.

One module per format turns its sources into `common.Imported`; `common.write` checks it loads
and writes it. Bad input raises `common.ImportFailed` with every problem, never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from ...base.problems import printable
from .common import ImportFailed, remove_control_characters, write
from .foss import Existing, handbook_data
from .limits import check_sources

FORMATS = ("csv", "xlsx", "graphml", "gexf", "iati")
# FOSS communities' own files (foss.py holds what they share); they take --keep-people.
FOSS_FORMATS = {"maintainers": "maintainers", "opencollective": "opencollective",
                "github-sponsors": "github_sponsors", "funding-json": "funding_json", "publiccode": "publiccode"}


def _reader(fmt: str, keep_people: bool = False, existing: Existing | None = None):
    if fmt in FOSS_FORMATS:
        module = importlib.import_module(f".{FOSS_FORMATS[fmt]}", __name__)
        return functools.partial(module.read, keep_people=keep_people, existing=existing)
    if fmt == "csv":
        from .csv_tables import read
    elif fmt == "xlsx":
        from .xlsx import read
    elif fmt in ("graphml", "gexf"):
        from .graph import reader
        read = reader(fmt)
    else:
        from .iati import read
    return read


def _scorecard_elements() -> tuple[str, ...] | None:
    """The handbook's own scorecard elements (mkdocs.yml here), which imported scorecards are checked against."""
    from ...build.handbook import find_handbook

    try:
        return find_handbook(Path(".")).scorecard_elements
    except Exception:  # an unreadable mkdocs.yml is `check`'s to report; the import uses the default elements
        return None


def cmd_import(args) -> int:
    sources = [Path(s) for s in args.sources]
    output = Path(args.output)
    publishers = getattr(args, "publisher", None)
    if publishers and args.format != "iati":
        print(f"partnerbook: error: --publisher is for `import iati` (not {args.format})", file=sys.stderr)
        return 1
    try:
        context, existing = None, None
        if getattr(args, "with_data", None):
            if args.format not in FOSS_FORMATS:
                raise ImportFailed(["--with is for the FOSS formats (maintainers, opencollective, github-sponsors, "
                                    "funding-json, publiccode)"])
            context, existing = handbook_data(Path(args.with_data), output)
        check_sources(args.format, sources)
        read = _reader(args.format, getattr(args, "keep_people", False), existing)
        imported = read(sources, args.focal, publishers) if publishers else read(sources, args.focal)
        remove_control_characters(imported)
        print(printable(f"partnerbook import {args.format}: read {', '.join(str(s) for s in sources)}"))
        print(printable(imported.summary.render()))
        written = write(imported, output, command=args.format, force=args.force, dry_run=args.dry_run,
                        scorecard_elements=_scorecard_elements(), context=context)
    except ImportFailed as exc:
        for problem in exc.problems:
            print(printable(f"partnerbook: error: {problem}"), file=sys.stderr)
        print(f"partnerbook: import failed, nothing written ({len(exc.problems)} problem"
              f"{'s' if len(exc.problems) != 1 else ''})", file=sys.stderr)
        return 1
    except ET.ParseError as exc:  # raised by a reader that did not catch it: still no traceback
        print(printable(f"partnerbook: error: not well-formed XML: {exc}"), file=sys.stderr)
        return 1
    except OSError as exc:
        print(printable(f"partnerbook: error: {exc.filename or output}: {exc.strerror}"), file=sys.stderr)
        return 1
    if args.dry_run:
        for refusal in written:
            print(printable(f"partnerbook: warning: {refusal}"), file=sys.stderr)
        print(f"dry run: the data loads; nothing written (without --dry-run: {output}/)")
    else:
        print(f"wrote {len(written)} file{'s' if len(written) != 1 else ''} to {output}/: {', '.join(written)}")
    return 0


class _FormatHelp(argparse.Action):
    """`import iati --help`: the options and the rules of that format, after the general help."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        parser.print_help()
        if getattr(namespace, "format", None) == "iati":
            from .iati import HELP
            print("\n" + HELP)
        parser.exit()


def add_parser(commands) -> None:
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
    parser.set_defaults(run=cmd_import)
