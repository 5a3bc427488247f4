"""`partnerbook check [DIR]`: what a build would reject (data, partnerbook blocks, template overrides)."""

from __future__ import annotations

import argparse
import sys

from ..analysis.checks import KNOWN_CHECKS
from ..base.problems import counted, format_github, format_problems, format_summary
from ..data.editions import edition_network
from .handbook import EXIT_ERRORS, EXIT_OK, EXIT_WARNINGS, checked_handbook, edition_argument, handbook_options

SUMMARY_ABOVE = 20  # more problems than this print as a summary per kind (`--all` lists them all)
# What `check` says the public edition leaves out: (singular, plural) per kind of record.
_LEFT_OUT = {"roles": ("role", "roles"), "partners": ("partner", "partners"),
             "relationships": ("relationship", "relationships"), "agreements": ("agreement", "agreements"),
             "funding": ("funding flow", "funding flows"), "projects": ("project", "projects"),
             "decisions": ("decision", "decisions"), "participation": ("participation entry", "participation entries")}


def add_parser(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="validate the data, the partnerbook blocks in the prose "
                                              "and the template overrides: what a build would reject")
    check.add_argument("dir", nargs="?", default=".",
                       help="handbook folder (with mkdocs.yml) or data folder; default: .")
    check.add_argument("--strict", action="store_true", help="exit 2 when there are warnings")
    check.add_argument("--format", choices=("text", "github"), default="text",
                       help="text: FILE:LINE: level: message (default); github: GitHub Actions annotations")
    check.add_argument("--all", action="store_true",
                       help=f"list every problem (above {SUMMARY_ABOVE}, text output summarises them per kind)")
    check.add_argument("--check", action="append", metavar="ID=LEVEL", default=[],
                       help="set one check to ignore, warn or error (repeatable; overrides the "
                            "`checks` plugin option); the id is shown in [brackets] after each warning")
    edition_argument(check, "check (the prose against it)")
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    result = checked_handbook(args.dir, args.check, site=True, edition=args.edition)
    if result.problems:
        if args.format == "github":
            print(format_github(result.problems))  # one annotation per problem, always
        elif len(result.problems) > SUMMARY_ABOVE and not args.all:
            print(format_summary(result.problems, KNOWN_CHECKS))
        else:
            print(format_problems(result.problems))
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    if result.network is not None:
        n = result.network
        print(f"partnerbook: {counted(len(n.partners), 'partner')}, {counted(len(n.exchanges), 'exchange')}, "
              f"{counted(len(n.agreements), 'agreement')}, {counted(len(n.funding), 'funding flow')}, "
              f"{counted(len(n.decisions), 'decision')}; {counted(errors, 'error')}, "
              f"{counted(warnings, 'warning')}", file=sys.stderr)
    else:
        print(f"partnerbook: {counted(errors, 'error')}, {counted(warnings, 'warning')}", file=sys.stderr)
    if result.network is not None and args.edition != "internal":
        left_out = edition_network(result.network, handbook_options(args.dir, args.edition).editions)[1].counts
        if left_out:
            print("partnerbook: the public edition leaves out " +
                  ", ".join(counted(n, *_LEFT_OUT[name]) for name, n in left_out.items()), file=sys.stderr)
    if errors:
        return EXIT_ERRORS
    if warnings and args.strict:
        return EXIT_WARNINGS
    return EXIT_OK
