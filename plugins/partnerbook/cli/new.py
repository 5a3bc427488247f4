"""`partnerbook new DIR [--host mkdocs|properdocs|zensical]`: a small handbook that builds with
`mkdocs build --strict`, `properdocs build --strict` or `zensical build`."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path

from ..data.schema import json_schema
from .generate import generate
from .handbook import EXIT_OK, CommandFailed, handbook_options

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
    "zensical": "partnerbook generate --watch & zensical serve   (and `partnerbook generate` before each "
                "`zensical build`)",
}
# Zensical runs no MkDocs plugins: the Markdown extension does partnerbook's work,
# Zensical renders every page again when the watched render stamp changes, and loads the assets it is told of.
ZENSICAL_EXTENSION = "  - partnerbook.markdown  # partnerbook under Zensical (MkDocs and ProperDocs use the plugin)\n"
ZENSICAL_SETTINGS = """
# Zensical: `partnerbook generate` rewrites the pages the data changed; it changes the render stamp
# in this folder when every page must render again (the views in pages you wrote changed).
watch:
  - content/.partnerbook-stamp
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


def add_parser(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new", help="create a working handbook in DIR")
    new.add_argument("dir")
    new.add_argument("--host", choices=HOSTS, default="mkdocs",
                     help="the site generator that builds it (default: mkdocs)")
    new.add_argument("--example", choices=EXAMPLES,
                     help="foss: a FOSS foundation's handbook built from its maintainers file, Open Collective "
                          "export and funding.json (kept in sources/)")
    new.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return create(Path(args.dir), args.host, args.example)


def create(target: Path, host: str = "mkdocs", example: str | None = None) -> int:
    """Write the starter handbook (or an example: EXAMPLES) into `target` for `host`; for Zensical,
    its generated files too."""
    refusal = _refusal(target)
    if refusal is not None:
        raise CommandFailed(refusal)
    files = list(_scaffold_files(example))
    try:
        for relative, text in files:
            if relative == "mkdocs.yml":
                relative, text = config_for_host(text, host)
            # Packaged as `gitignore`: dotfiles do not travel well in package data.
            path = target / (".gitignore" if relative == "gitignore" else relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandFailed(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from None
    print(f"partnerbook: created {target} ({len(files)} files). Next:\n"
          f"  cd {target} && {NEXT_STEPS[host]}", file=sys.stderr)
    if host == "zensical":
        return generate(handbook_options(str(target)), str(target))
    return EXIT_OK
