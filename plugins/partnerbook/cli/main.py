"""partnerbook: check, import, export and scaffold a partnership handbook's data (the network/ folder)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from .. import __version__
from ..analysis.checks import KNOWN_CHECKS, check_data
from ..build.handbook import NotAHandbook, config_file_of, find_handbook
from ..base.problems import (CHECK_LEVELS, check_level_errors, counted, format_github, format_problems, format_summary,
                             printable)
from ..data.schema import json_schema
from ..build.sitecheck import check_handbook

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2
SUMMARY_ABOVE = 20  # more problems than this print as a summary per kind (`--all` lists them all)


def _fail(message: str, code: int = EXIT_ERRORS) -> int:
    print(printable(f"partnerbook: error: {message}"), file=sys.stderr)
    return code


def _find(directory: str):
    """(the handbook's options, None) or (None, exit code) when its config file is unreadable."""
    path = Path(directory)
    config = config_file_of(path) or path / "mkdocs.yml"
    try:
        return find_handbook(path), None
    except NotAHandbook as exc:
        return None, _fail(f"{path}: {exc}")
    except yaml.YAMLError as exc:
        return None, _fail(f"{config}: cannot read it: {exc}")
    except (ValueError, OSError) as exc:
        return None, _fail(f"{config}: {getattr(exc, 'strerror', None) or exc}")


def _load(directory: str, check_flags: list[str] | None = None, site: bool = False):
    """The checked data of DIR; with `site`, of its prose and template overrides too (what a build rejects)."""
    handbook, failed = _find(directory)
    if failed is not None:
        return None, failed
    levels = dict(handbook.checks or {})
    for flag in check_flags or ():
        check, sep, level = flag.partition("=")
        if not sep:
            return None, _fail(f"--check {flag}: write --check ID=LEVEL, LEVEL one of {', '.join(CHECK_LEVELS)}")
        levels[check.strip()] = level.strip()
    wrong = check_level_errors(levels, KNOWN_CHECKS)
    if wrong:
        return None, _fail("\n".join(wrong))
    if site:
        return check_handbook(handbook, root=Path.cwd(), checks=levels), None
    result = check_data(
        handbook.data_dir, root=Path.cwd(), as_of=handbook.as_of,
        scorecard_elements=handbook.scorecard_elements, checks=levels,
        window_months=handbook.funding_window_months,
    )
    return result, None


def cmd_check(args: argparse.Namespace) -> int:
    result, failed = _load(args.dir, args.check, site=True)
    if failed is not None:
        return failed
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
    if errors:
        return EXIT_ERRORS
    if warnings and args.strict:
        return EXIT_WARNINGS
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """The schema of DIR's data files: with the `scorecard_elements` of its mkdocs.yml, if it sets them."""
    elements = None
    path = Path(args.dir)
    if args.dir != "." and not path.is_dir():
        return _fail(f"{path}: no such folder")
    if (path / "mkdocs.yml").is_file():
        try:
            elements = find_handbook(path).scorecard_elements
        except yaml.YAMLError as exc:
            return _fail(f"{path / 'mkdocs.yml'}: cannot read it: {exc}")
        except (ValueError, OSError) as exc:
            return _fail(f"{path / 'mkdocs.yml'}: {exc}")
    print(json.dumps(json_schema(elements) if elements else json_schema(), indent=2))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="partnerbook", description=__doc__)
    parser.add_argument("--version", action="version", version=f"partnerbook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

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
    check.set_defaults(run=cmd_check)

    schema = commands.add_parser("schema", help="print the JSON Schema of the data files")
    schema.add_argument("dir", nargs="?", default=".",
                        help="handbook folder whose mkdocs.yml may set scorecard_elements; default: .")
    schema.set_defaults(run=cmd_schema)

    from . import new as scaffold  # noqa: E402  (sub-commands with their own modules)
    from ..formats import export
    from ..build import docs_folder as generate

    new = commands.add_parser("new", help="create a working handbook in DIR")
    new.add_argument("dir")
    new.add_argument("--host", choices=scaffold.HOSTS, default="mkdocs",
                     help="the site generator that builds it (default: mkdocs)")
    new.add_argument("--example", choices=scaffold.EXAMPLES,
                     help="foss: a FOSS foundation's handbook built from its maintainers file, Open Collective "
                          "export and funding.json (kept in sources/)")
    new.set_defaults(run=scaffold.cmd_new)

    exporter = commands.add_parser("export", help="write the model as JSON, CSV, a workbook, GraphML or GEXF")
    exporter.add_argument("dir", nargs="?", default=".")
    exporter.add_argument("--format", choices=export.FORMATS, default="json")
    exporter.add_argument("--output", "-o", help="file (json, xlsx, graphml, gexf) or folder (csv); default: stdout")
    exporter.set_defaults(run=lambda a: export.cmd_export(a, _load))

    from ..formats import importers  # noqa: E402

    importers.add_parser(commands)

    from . import diff  # noqa: E402

    diff.add_parser(commands)

    generator = commands.add_parser(
        "generate", help="write the generated pages, assets and downloads into the docs folder (Zensical)")
    generator.add_argument("dir", nargs="?", default=".",
                           help="handbook folder (with mkdocs.yml or properdocs.yml); default: .")
    generator.set_defaults(run=lambda a: generate.cmd_generate(a, _find))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a path the user gave that cannot be read or written: a message, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}")


if __name__ == "__main__":
    sys.exit(main())
