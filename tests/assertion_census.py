"""Every check the test suite makes, listed by AST: for each test function (and each helper or
fixture a test file or conftest defines) the `assert` statements and the calls to `pytest.raises`,
`pytest.fail`, `pytest.warns` and `pytest.skip`/`xfail` in its body, as source text.

Used to show that a change to the suite drops no assertion: run it on the old tree and on the new
one and compare (`--compare OLD.json NEW.json`). A check matches when the same source text is found
in the new tree under the same test name, or under the test or helper named in `--merged` (a JSON
object {"old_file::old_test": "new_file::new_test", ...}) for tests that were merged or moved.

    python tests/assertion_census.py tests > before.json
    python tests/assertion_census.py tests > after.json
    python tests/assertion_census.py --compare before.json after.json [--merged merged.json]
"""

from __future__ import annotations

import ast
import json
import sys
from collections import Counter
from pathlib import Path

PYTEST_CHECKS = {"raises", "fail", "warns", "skip", "xfail", "approx"}


def _checks(function: ast.AST) -> list[str]:
    """The function's checks in source order, nested functions included (a check in a closure the
    test calls is still the test's)."""
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            found.append((node.lineno, node.col_offset, "assert " + ast.unparse(node.test)))
        elif isinstance(node, ast.Call):
            callee = node.func
            if (isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name)
                    and callee.value.id == "pytest" and callee.attr in PYTEST_CHECKS - {"approx"}):
                found.append((node.lineno, node.col_offset, ast.unparse(node)))
    return [text for _, _, text in sorted(found)]


def census(folder: Path) -> dict[str, dict[str, list[str]]]:
    """{file: {function: [check, ...]}}: test functions as `test_x` or `Class::test_x`, other
    top-level functions and methods as `helper:name`."""
    result: dict[str, dict[str, list[str]]] = {}
    for path in sorted(folder.rglob("*.py")):
        if path.name == Path(__file__).name:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions: dict[str, list[str]] = {}
        for node in tree.body:
            scopes = [(None, node)]
            if isinstance(node, ast.ClassDef):
                scopes = [(node.name, child) for child in node.body]
            for owner, child in scopes:
                if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                name = f"{owner}::{child.name}" if owner else child.name
                if not child.name.startswith("test"):
                    name = f"helper:{name}"
                functions[name] = _checks(child)
        result[str(path.relative_to(folder.parent))] = functions
    return result


def _index(data: dict[str, dict[str, list[str]]]) -> dict[str, list[str]]:
    return {f"{file}::{name}": checks for file, functions in data.items() for name, checks in functions.items()}


def compare(before: dict, after: dict, merged: dict[str, str]) -> int:
    old, new = _index(before), _index(after)
    by_name: dict[str, list[str]] = {}  # a test moved to another file keeps its name
    for key in new:
        by_name.setdefault(key.split("::", 1)[1], []).append(key)
    missing: list[str] = []
    counted = Counter()
    for key, checks in old.items():
        if not key.split("::", 1)[1].startswith("test"):
            counted["helper checks"] += len(checks)
        else:
            counted["tests"] += 1
            counted["test checks"] += len(checks)
        target = merged.get(key)
        if target is None:
            target = key if key in new else next(iter(by_name.get(key.split("::", 1)[1], [])), None)
        if target is None or target not in new:
            if checks or key.split("::", 1)[1].startswith("test"):  # a helper that checked nothing may go
                missing.append(f"{key}: no test or helper of that name in the new tree")
            continue
        have = Counter(new[target])
        for check in checks:
            if have[check] > 0:
                have[check] -= 1
            else:
                missing.append(f"{key} -> {target}: missing {check}")
    new_tests = sum(1 for key in new if key.split("::", 1)[1].startswith("test"))
    new_checks = sum(len(c) for key, c in new.items() if key.split("::", 1)[1].startswith("test"))
    new_helpers = sum(len(c) for key, c in new.items() if not key.split("::", 1)[1].startswith("test"))
    print(f"before: {counted['tests']} test functions, {counted['test checks']} checks in them, "
          f"{counted['helper checks']} in helpers and fixtures")
    print(f"after:  {new_tests} test functions, {new_checks} checks in them, {new_helpers} in helpers and fixtures")
    print(f"renamed or merged by --merged: {len(merged)}")
    for line in missing:
        print("MISSING", line)
    print("every check found" if not missing else f"{len(missing)} checks not found")
    return 1 if missing else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        merged = {}
        if "--merged" in argv:
            merged = json.loads(Path(argv[argv.index("--merged") + 1]).read_text(encoding="utf-8"))
        return compare(json.loads(Path(argv[1]).read_text(encoding="utf-8")),
                       json.loads(Path(argv[2]).read_text(encoding="utf-8")), merged)
    json.dump(census(Path(argv[0]).resolve()), sys.stdout, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
