"""What every command does with its DIR: find the handbook, read its options, load and check its data.

A command that cannot go on raises `CommandFailed`; `main` prints its message and exits with its code.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import yaml

from ..analysis.checks import KNOWN_CHECKS, check_data
from ..base.problems import CHECK_LEVELS, check_level_errors, printable
from ..build.handbook import HandbookOptions, NotAHandbook, config_file_of, find_handbook
from ..build.sitecheck import check_handbook
from ..data.editions import EDITIONS, edition_network, option_errors
from ..data.load import LoadResult

EXIT_OK, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 2


class CommandFailed(Exception):
    """Stops a command: `partnerbook: error: MESSAGE` on stderr, then exit `code`."""

    def __init__(self, message: str, code: int = EXIT_ERRORS):
        super().__init__(message)
        self.code = code


def report_failure(message: str, code: int = EXIT_ERRORS) -> int:
    print(printable(f"partnerbook: error: {message}"), file=sys.stderr)
    return code


def edition_argument(command: argparse.ArgumentParser, verb: str, exports: bool = False) -> None:
    """`--edition` of `check`, `export` and `generate` (data/editions.py)."""
    default = ("public, whatever the config says" if exports
               else "the `edition` option, or PARTNERBOOK_EDITION; else public")
    command.add_argument("--edition", choices=EDITIONS, default=None,
                         help=f"the edition to {verb}: public leaves out what is marked internal; default: {default}")


def handbook_options(directory: str, edition: str | None = None) -> HandbookOptions:
    """The options of the handbook DIR names (or of its data folder), with `edition` (from --edition,
    when given) in place of the `edition` option; CommandFailed when there is none, its config file
    cannot be read or its edition options are wrong."""
    path = Path(directory)
    config = config_file_of(path) or path / "mkdocs.yml"
    try:
        handbook = find_handbook(path)
    except NotAHandbook as exc:
        raise CommandFailed(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise CommandFailed(f"{config}: cannot read it: {exc}") from None
    except (ValueError, OSError) as exc:
        raise CommandFailed(f"{config}: {getattr(exc, 'strerror', None) or exc}") from None
    if edition is not None:
        handbook = dataclasses.replace(handbook, editions=dataclasses.replace(handbook.editions, edition=edition))
    wrong = option_errors(handbook.editions)
    if wrong:
        raise CommandFailed("\n".join(f"{handbook.config_file or config}: {message}" for message in wrong))
    return handbook


def checked_handbook(directory: str, check_flags: list[str] | None = None, site: bool = False,
                     edition: str | None = None) -> LoadResult:
    """The checked data of DIR; with `site`, of its prose and template overrides too (what a build rejects).
    `check_flags` (`ID=LEVEL`, from --check) override the handbook's `checks` option; without `site`,
    the network is the one the edition shows, as a build of it would (data/editions.py)."""
    handbook = handbook_options(directory, edition)
    levels = dict(handbook.checks or {})
    for flag in check_flags or ():
        check, sep, level = flag.partition("=")
        if not sep:
            raise CommandFailed(f"--check {flag}: write --check ID=LEVEL, LEVEL one of {', '.join(CHECK_LEVELS)}")
        levels[check.strip()] = level.strip()
    wrong = check_level_errors(levels, KNOWN_CHECKS)
    if wrong:
        raise CommandFailed("\n".join(wrong))
    if site:
        return check_handbook(handbook, root=Path.cwd(), checks=levels)
    result = check_data(
        handbook.data_dir, root=Path.cwd(), as_of=handbook.as_of,
        scorecard_elements=handbook.scorecard_elements, checks=levels,
        window_months=handbook.funding_window_months,
    )
    if result.network is not None:
        result.network, _withheld = edition_network(result.network, handbook.editions)
    return result
