"""The package's shape, read from its source: no `_private` name crosses a subpackage, and each
subpackage's `__init__` says what it exports (`__all__`). The layers themselves are import-linter's
contract in pyproject.toml (`make lint`)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "partnerbook"
SUBPACKAGES = ("base", "i18n", "data", "analysis", "diagrams", "site", "formats", "build", "hosts", "cli")


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute name `from ... import` reads from."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _subpackage(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "partnerbook" else ""


def _private(name: str) -> bool:
    """`_name`, but not `__dunder__` nor `_`, gettext's conventional name."""
    return name.startswith("_") and not name.startswith("__") and name != "_"


def private_crossings(root: Path = PACKAGE) -> list[str]:
    """`FILE:LINE: name` for each `_private` name a module takes from another subpackage:
    imported by name, or read as an attribute of a module imported from there."""
    found = []
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        own = _subpackage(module)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        foreign_modules: set[str] = set()  # local names bound to another subpackage's modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(module, path.name == "__init__.py", node)
                if not source.startswith("partnerbook"):
                    continue
                for alias in node.names:
                    target = f"{source}.{alias.name}"
                    where = _subpackage(target) if _subpackage(source) == "" else _subpackage(source)
                    if where == own:
                        continue
                    if _private(alias.name):
                        found.append(f"{path.relative_to(root)}:{node.lineno}: {target}")
                    foreign_modules.add(alias.asname or alias.name)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in foreign_modules
                    and _private(node.attr)):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_no_private_name_crosses_a_subpackage():
    assert private_crossings() == []


def test_the_check_sees_a_private_name_crossing(tmp_path):
    # The rule itself, on two tiny packages: site/ reading data/'s private helper is caught,
    # data/ reading its own is not.
    for folder in ("data", "site"):
        (tmp_path / "partnerbook" / folder).mkdir(parents=True)
        (tmp_path / "partnerbook" / folder / "__init__.py").write_text("")
    (tmp_path / "partnerbook" / "data" / "records.py").write_text("def _line(): pass\n")
    (tmp_path / "partnerbook" / "data" / "load.py").write_text("from .records import _line\n")
    (tmp_path / "partnerbook" / "site" / "views.py").write_text(
        "from ..data.records import _line\nfrom ..data import records\nrecords._line()\n")
    assert private_crossings(tmp_path / "partnerbook") == [
        "site/views.py:1: partnerbook.data.records._line",
        "site/views.py:3: records._line",
    ]


def test_each_subpackage_says_what_it_exports():
    import importlib

    for name in SUBPACKAGES:
        package = importlib.import_module(f"partnerbook.{name}")
        exported = getattr(package, "__all__", None)
        assert exported, f"partnerbook.{name} has no __all__"
        for item in exported:
            assert hasattr(package, item), f"partnerbook.{name}.__all__ names {item}, which it lacks"
            assert not item.startswith("_"), f"partnerbook.{name} exports the private name {item}"
