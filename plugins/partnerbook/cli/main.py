"""partnerbook: check, import, export and scaffold a partnership handbook's data (the network/ folder)."""

from __future__ import annotations

import argparse
import functools
import os
import sys

from .. import __version__
from . import check, diff, export, generate, import_, new, schema
from .handbook import EXIT_OK, CommandFailed, report_failure

# Each command's module adds its parser (`add_parser`) and runs it (`run(args) -> exit code`).
COMMANDS = (check, schema, new, export, import_, diff, generate)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="partnerbook", description=__doc__)
    parser.add_argument("--version", action="version", version=f"partnerbook {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


@functools.cache
def _parser() -> argparse.ArgumentParser:
    """One parser per process: parsing never changes it, and a host or a test may call `main` often."""
    return build_parser()


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)  # inside: `--help | head` closes the pipe while help is printed
        return args.run(args)
    except CommandFailed as exc:
        return report_failure(str(exc), exc.code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`| head`): what is left unwritten goes nowhere, and Python's
        # flush at exit would otherwise print the error again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a path the user gave that cannot be read or written: a message, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        return report_failure(f"{where}{exc.strerror or exc}")


if __name__ == "__main__":
    sys.exit(main())
