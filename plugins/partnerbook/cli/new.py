"""`partnerbook new DIR [--host mkdocs|properdocs|zensical]`: a small handbook that builds with
`mkdocs build --strict`, `properdocs build --strict` or `zensical build`."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

from ..data.schema import json_schema


EXAMPLES = ("foss",)
# What an example takes from the starter: the rest (data, prose, configuration) is its own.
_FROM_STARTER = ("gitignore", "templates/", "content/guide/")


def _scaffold_files(example: str | None = None):
    package = resources.files("partnerbook")

    def walk(folder, prefix=""):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_dir():
                yield from walk(entry, f"{prefix}{entry.name}/")
            elif not entry.name.endswith((".pyc",)):
                yield f"{prefix}{entry.name}", entry.read_text(encoding="utf-8")

    if example is None:
        yield from walk(package / "starter")
    else:  # a FOSS foundation's handbook: its source files, the data imported from them, its prose
        yield from ((name, text) for name, text in walk(package / "starter") if name.startswith(_FROM_STARTER))
        yield from walk(package / "examples" / example)
    # The data files name this schema in their first line, so editors with
    # yaml-language-server (VS Code's YAML extension, for one) check and complete them.
    yield SCHEMA_FILE, json.dumps(json_schema(), indent=2) + "\n"


SCHEMA_FILE = "partnerbook.schema.json"
HOSTS = ("mkdocs", "properdocs", "zensical")
NEXT_STEPS = {
    "mkdocs": "mkdocs serve",
    "properdocs": "properdocs serve",
    "zensical": "zensical serve   (and `partnerbook generate` before each `zensical build`)",
}
# Zensical runs no MkDocs plugins: the Markdown extension does partnerbook's work,
# Zensical rebuilds when the watched folders change, and loads the assets it is told of.
ZENSICAL_EXTENSION = "  - partnerbook.markdown  # partnerbook under Zensical (MkDocs and ProperDocs use the plugin)\n"
ZENSICAL_SETTINGS = """
# Zensical: rebuild when the data or the templates change (it caches pages by source).
watch:
  - network
  - templates
extra_css:
  - assets/partnerbook/partnerbook.css
  - assets/partnerbook/partnerbook-print.css
extra_javascript:
  - assets/partnerbook/partnerbook.js
"""


def config_for_host(text: str, host: str) -> tuple[str, str]:
    """(file name, content) of the starter's configuration for HOST."""
    if host == "zensical":
        text = text.replace("markdown_extensions:\n", "markdown_extensions:\n" + ZENSICAL_EXTENSION, 1)
        text = text.rstrip("\n") + "\n" + ZENSICAL_SETTINGS
    return ("properdocs.yml" if host == "properdocs" else "mkdocs.yml"), text


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
    host = getattr(args, "host", None) or "mkdocs"
    files = list(_scaffold_files(getattr(args, "example", None)))
    try:
        for relative, text in files:
            if relative == "mkdocs.yml":
                relative, text = config_for_host(text, host)
            # Packaged as `gitignore`: dotfiles do not travel well in package data.
            path = target / (".gitignore" if relative == "gitignore" else relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"partnerbook: error: cannot write {exc.filename or target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"partnerbook: created {target} ({len(files)} files). Next:\n"
          f"  cd {target} && {NEXT_STEPS[host]}", file=sys.stderr)
    if host == "zensical":
        from types import SimpleNamespace

        from ..build.docs_folder import cmd_generate
        from ..build.handbook import find_handbook

        return cmd_generate(SimpleNamespace(dir=str(target)), lambda folder: (find_handbook(Path(folder)), None))
    return 0
