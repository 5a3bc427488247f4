"""partnerbook: check, import, export and scaffold a partnership handbook's data (the network/ folder)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import yaml

from .. import __version__
from ..analysis.checks import KNOWN_CHECKS, check_data
from ..build.handbook import NotAHandbook, config_file_of, find_handbook
from ..base.problems import CHECK_LEVELS, check_level_errors, counted, format_github, format_problems, format_summary
from ..data.editions import EDITIONS, edition_network, option_errors
from ..data.schema import json_schema
from ..build.sitecheck import check_handbook

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2
SUMMARY_ABOVE = 20  # more problems than this print as a summary per kind (`--all` lists them all)


def _fail(message: str, code: int = EXIT_ERRORS) -> int:
    print(f"partnerbook: error: {message}", file=sys.stderr)
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


def _find_edition(directory: str, edition: str | None):
    """`_find`, with `--edition` (when given) in place of the `edition` option; wrong edition options fail."""
    handbook, failed = _find(directory)
    if failed is not None:
        return None, failed
    if edition is not None:
        handbook = dataclasses.replace(handbook, editions=dataclasses.replace(handbook.editions, edition=edition))
    wrong = option_errors(handbook.editions)
    if wrong:
        config = handbook.config_file or Path(directory) / "mkdocs.yml"
        return None, _fail("\n".join(f"{config}: {message}" for message in wrong))
    return handbook, None


def _load(directory: str, check_flags: list[str] | None = None, site: bool = False, edition: str | None = None):
    """The checked data of DIR; with `site`, of its prose and template overrides too (what a build rejects)."""
    handbook, failed = _find_edition(directory, edition)
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
    if result.network is not None:  # what the edition shows, as a build of it would (editions.py)
        result.network, _withheld = edition_network(result.network, handbook.editions)
    return result, None


# What `check` says the public edition leaves out: (singular, plural) per kind of record.
_LEFT_OUT = {"roles": ("role", "roles"), "partners": ("partner", "partners"),
             "relationships": ("relationship", "relationships"), "agreements": ("agreement", "agreements"),
             "funding": ("funding flow", "funding flows"), "projects": ("project", "projects"),
             "decisions": ("decision", "decisions"), "participation": ("participation entry", "participation entries")}


def cmd_check(args: argparse.Namespace) -> int:
    result, failed = _load(args.dir, args.check, site=True, edition=args.edition)
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
    if result.network is not None and args.edition != "internal":
        handbook, _failed = _find_edition(args.dir, args.edition)
        left_out = edition_network(result.network, handbook.editions)[1].counts if handbook else {}
        if left_out:
            print("partnerbook: the public edition leaves out " +
                  ", ".join(counted(n, *_LEFT_OUT[name]) for name, n in left_out.items()), file=sys.stderr)
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


def _edition_argument(command: argparse.ArgumentParser, verb: str, exports: bool = False) -> None:
    default = ("public, whatever the config says" if exports
               else "the `edition` option, or PARTNERBOOK_EDITION; else public")
    command.add_argument("--edition", choices=EDITIONS, default=None,
                         help=f"the edition to {verb}: public leaves out what is marked internal; default: {default}")


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
    _edition_argument(check, "check (the prose against it)")
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
    new.set_defaults(run=scaffold.cmd_new)

    exporter = commands.add_parser("export", help="write the model as JSON, CSV, a workbook, GraphML or GEXF")
    exporter.add_argument("dir", nargs="?", default=".")
    exporter.add_argument("--format", choices=export.FORMATS, default="json")
    exporter.add_argument("--output", "-o", help="file (json, xlsx, graphml, gexf) or folder (csv); default: stdout")
    _edition_argument(exporter, "export", exports=True)
    exporter.set_defaults(run=lambda a: export.cmd_export(a, lambda d: _load(d, edition=a.edition or "public")))

    from ..formats import importers  # noqa: E402

    importers.add_parser(commands)

    generator = commands.add_parser(
        "generate", help="write the generated pages, assets and downloads into the docs folder (Zensical)")
    generator.add_argument("dir", nargs="?", default=".",
                           help="handbook folder (with mkdocs.yml or properdocs.yml); default: .")
    _edition_argument(generator, "generate")
    generator.set_defaults(run=lambda a: generate.cmd_generate(a, lambda d: _find_edition(d, a.edition)))
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
