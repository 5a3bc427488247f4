"""`partnerbook new DIR`: a small handbook that builds with `mkdocs build --strict`."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

from .schema import json_schema


def _scaffold_files():
    root = resources.files("partnerbook") / "starter"

    def walk(folder, prefix=""):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                yield from walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.endswith((".pyc",)):
                yield f"{prefix}{entry.name}", entry.read_text(encoding="utf-8")

    yield from walk(root)
    # The data files name this schema in their first line, so editors with
    # yaml-language-server (VS Code's YAML extension, for one) check and complete them.
    yield SCHEMA_FILE, json.dumps(json_schema(), indent=2) + "\n"


SCHEMA_FILE = "partnerbook.schema.json"


def _refusal(target: Path) -> str | None:
    """Why `partnerbook new` will not write into `target`, or None."""
    if target.is_dir():
        return f"{target} exists and is not empty; choose a new folder" if any(target.iterdir()) else None
    if target.exists():
        return f"{target} is a file; choose a new folder name"
    for ancestor in target.parents:
        if ancestor.exists():
            return None if ancestor.is_dir() else f"{ancestor} is a file, so {target} cannot be created under it"
    return None


def cmd_new(args) -> int:
    target = Path(args.dir)
    refusal = _refusal(target)
    if refusal is not None:
        print(f"partnerbook: error: {refusal}", file=sys.stderr)
        return 1
    files = list(_scaffold_files())
    try:
        for relative, text in files:
            # Packaged as `gitignore`: dotfiles do not travel well in package data.
            path = target / (".gitignore" if relative == "gitignore" else relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"partnerbook: error: cannot write {exc.filename or target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"partnerbook: created {target} ({len(files)} files). Next:\n"
          f"  cd {target} && mkdocs serve", file=sys.stderr)
    return 0
