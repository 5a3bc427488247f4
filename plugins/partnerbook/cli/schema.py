"""`partnerbook schema [DIR]`: the JSON Schema of the data files, with DIR's own scorecard elements."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from ..build.handbook import find_handbook
from ..data.schema import json_schema
from .handbook import EXIT_OK, CommandFailed


def add_parser(commands: argparse._SubParsersAction) -> None:
    schema = commands.add_parser("schema", help="print the JSON Schema of the data files")
    schema.add_argument("dir", nargs="?", default=".",
                        help="handbook folder whose mkdocs.yml may set scorecard_elements; default: .")
    schema.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """The schema of DIR's data files: with the `scorecard_elements` of its mkdocs.yml, if it sets them."""
    elements = None
    path = Path(args.dir)
    if args.dir != "." and not path.is_dir():
        raise CommandFailed(f"{path}: no such folder")
    if (path / "mkdocs.yml").is_file():
        try:
            elements = find_handbook(path).scorecard_elements
        except yaml.YAMLError as exc:
            raise CommandFailed(f"{path / 'mkdocs.yml'}: cannot read it: {exc}") from None
        except (ValueError, OSError) as exc:
            raise CommandFailed(f"{path / 'mkdocs.yml'}: {exc}") from None
    print(json.dumps(json_schema(elements) if elements else json_schema(), indent=2))
    return EXIT_OK
