"""The `partnerbook` command line: one module per command (check, schema, new, export, import_,
generate), each with `add_parser` and `run`; handbook.py finds and checks the handbook a command names."""

from .handbook import CommandFailed
from .main import build_parser, main

__all__ = ["CommandFailed", "build_parser", "main"]
