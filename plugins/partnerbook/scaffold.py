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


def cmd_new(args) -> int:
    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        print(f"partnerbook: error: {target} exists and is not empty; choose a new folder", file=sys.stderr)
        return 1
    files = list(_scaffold_files())
    for relative, text in files:
        # Packaged as `gitignore`: dotfiles do not travel well in package data.
        path = target / (".gitignore" if relative == "gitignore" else relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"partnerbook: created {target} ({len(files)} files). Next:\n"
          f"  cd {target} && mkdocs serve", file=sys.stderr)
    return 0
