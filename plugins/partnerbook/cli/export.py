"""`partnerbook export [DIR] --format F [-o PATH]`: the model as JSON, CSV, a workbook, GraphML or GEXF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..base.problems import format_problems
from ..formats.export import FORMATS, render, to_csv_tables, write_outputs, write_xlsx
from .handbook import EXIT_ERRORS, EXIT_OK, CommandFailed, checked_handbook, edition_argument


def add_parser(commands: argparse._SubParsersAction) -> None:
    exporter = commands.add_parser("export", help="write the model as JSON, CSV, a workbook, GraphML or GEXF")
    exporter.add_argument("dir", nargs="?", default=".")
    exporter.add_argument("--format", choices=FORMATS, default="json")
    exporter.add_argument("--output", "-o", help="file (json, xlsx, graphml, gexf) or folder (csv); default: stdout")
    edition_argument(exporter, "export", exports=True)
    exporter.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = checked_handbook(args.dir, edition=args.edition or "public")  # exports are public unless asked
    if result.network is None:
        print(format_problems(result.problems), file=sys.stderr)
        return EXIT_ERRORS
    network = result.network
    if args.format == "csv":
        tables = to_csv_tables(network)
        if not args.output:
            for name, text in tables.items():
                sys.stdout.write(f"# {name}\n{text}\n")
            return EXIT_OK
        problem = write_outputs(Path(args.output), tables, None)
    elif args.format == "xlsx":
        if not args.output:
            raise CommandFailed("--format xlsx writes a workbook: give its file name with -o")
        problem = write_outputs(Path(args.output), None, lambda path: write_xlsx(network, path), "partnerbook.xlsx")
    else:
        text = render(network, args.format) + "\n"
        if not args.output:
            sys.stdout.write(text)
            return EXIT_OK
        problem = write_outputs(Path(args.output), None, text, f"partnerbook.{args.format}")
    if problem is not None:
        raise CommandFailed(problem)
    return EXIT_OK
