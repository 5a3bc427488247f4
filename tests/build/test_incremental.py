"""A build that reuses pages (site/reads.py) makes the same site, byte for byte, as a build from nothing.

A property test: random single edits of each kind a handbook sees (a record renamed, an amount
changed, an exchange added, `as_of` moved, an option, a template, the language), one after
another on the same handbook, each built incrementally on the last build's cache and compared
with a cold build of the same files. The seed is in every failure message: PARTNERBOOK_SEED=N
replays it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, Handbook, example_handbook

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import write_handbook  # the benchmark's synthetic handbook

pytestmark = pytest.mark.slow  # some thirty builds of the site

SEED = int(os.environ.get("PARTNERBOOK_SEED", random.SystemRandom().randrange(10**6)))
CACHE = ".partnerbook"


def site_bytes(folder: Path) -> dict[str, bytes]:
    site = folder / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def data_files(book: Handbook) -> list[Path]:
    return sorted((book.path / "network").rglob("*.yml"))


# -- the edits: each changes one thing in the handbook's files and says what ------------------

def rename(book: Handbook, rng: random.Random) -> str:
    lines = [(path, number) for path in data_files(book)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines())
             if re.match(r"\s*(- )?(name|title): [^\"'{\[|>]", line)]
    path, number = rng.choice(lines)
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    text[number] = text[number].rstrip("\n").rstrip() + " Renamed\n"
    path.write_text("".join(text), encoding="utf-8")
    return f"renamed the record on {path.name}:{number + 1}"


def change_amount(book: Handbook, rng: random.Random) -> str:
    found = [(path, match) for path in data_files(book)
             for match in re.finditer(r"amount: (\d+)", path.read_text(encoding="utf-8"))]
    path, match = rng.choice(found)
    text = path.read_text(encoding="utf-8")
    new = int(match.group(1)) * 2 + rng.randrange(1, 1000)
    path.write_text(text[:match.start(1)] + str(new) + text[match.end(1):], encoding="utf-8")
    return f"changed the amount {match.group(1)} to {new} in {path.name}"


def add_exchange(book: Handbook, rng: random.Random) -> str:
    ids = sorted(partner["id"] for path in data_files(book)
                 for partner in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("partners") or [])
    # a file whose last top-level key is the relationships list: a line appended there joins it
    files = [path for path in data_files(book)
             if re.findall(r"^(\w+):", path.read_text(encoding="utf-8"), re.MULTILINE)[-1:] == ["relationships"]]
    path = rng.choice(files)
    source, target = rng.sample(ids, 2)
    with path.open("a", encoding="utf-8") as file:
        file.write(f"  - {{from: {source}, to: {target}, deliverable: Shared test rigs, nature: tangible, kind: service}}\n")
    return f"added an exchange {source} → {target} in {path.name}"


def move_as_of(book: Handbook, rng: random.Random) -> str:
    path = book.path / "network" / "network.yml"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"as_of: (\d{4}-\d\d-\d\d)", text)
    assert match, "the handbook's network.yml names as_of"
    new = dt.date.fromisoformat(match.group(1)) + dt.timedelta(days=rng.choice([-400, -40, 35, 200]))
    path.write_text(text.replace(match.group(0), f"as_of: {new.isoformat()}"), encoding="utf-8")
    return f"moved as_of to {new}"


def plugin_option(book: Handbook, line: str) -> None:
    config = book.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  partnerbook:\n" in text
    config.write_text(text.replace("\n  partnerbook:\n", f"\n  partnerbook:\n    {line}\n", 1), encoding="utf-8")


def change_option(book: Handbook, rng: random.Random) -> str:
    months = rng.choice([3, 6, 24])
    plugin_option(book, f"funding_window_months: {months}")
    return f"set funding_window_months: {months}"


def change_template(book: Handbook, rng: random.Random) -> str:
    packaged = ROOT / "plugins" / "partnerbook" / "templates" / "partner.md.j2"
    text = packaged.read_text(encoding="utf-8")
    book.write("templates/partner.md.j2", text + f"\nReviewed by the partnership team ({rng.randrange(100)}).\n")
    return "overrode partner.md.j2"


def change_language(book: Handbook, rng: random.Random) -> str:
    code = rng.choice(["fr", "es", "pt"])
    plugin_option(book, f"language: {code}")
    return f"set language: {code}"


EDITS: list[Callable[[Handbook, random.Random], str]] = [
    rename, change_amount, add_exchange, move_as_of, change_option, change_template, change_language]


def cold_build(book: Handbook, folder: Path) -> dict[str, bytes]:
    """The same files built with no page or data cache (the drawn diagrams kept: their key is their content)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(book.path, folder, ignore=shutil.ignore_patterns("site", "*.pickle"))
    cold = Handbook(folder).build("--no-strict", strict=False)  # (the example is strict: a moved as_of may warn)
    assert cold.returncode == 0, cold.stderr
    assert "reused" not in cold.stderr, cold.stderr
    return site_bytes(folder)


def check_edits(book: Handbook, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    first = book.build("--no-strict", strict=False)
    assert first.returncode == 0, first.stderr
    edits = EDITS[:]
    rng.shuffle(edits)
    # the seven kinds in a random order, then one more data edit, which lands on an edited handbook
    edits.append(rng.choice(EDITS[:4]))
    done = []
    for edit in edits:
        done.append(edit(book, rng))
        warm = book.build("--no-strict", strict=False)
        where = f"seed {seed}, after: " + "; ".join(done)
        assert warm.returncode == 0, f"{where}\n{warm.stderr}"
        incremental = site_bytes(book.path)
        cold = cold_build(book, tmp_path / "cold")
        assert sorted(incremental) == sorted(cold), where
        differ = [name for name in cold if cold[name] != incremental[name]]
        assert differ == [], f"{where}: {differ[:10]}\n{warm.stderr}"


def test_edits_to_the_example_build_what_a_cold_build_builds(tmp_path):
    book = example_handbook(tmp_path / "book")
    check_edits(book, tmp_path, SEED)


def test_edits_to_a_generated_handbook_build_what_a_cold_build_builds(tmp_path):
    book = Handbook(tmp_path / "book")
    write_handbook(book.path, 20, seed=SEED % 1000)
    config = book.path / "mkdocs.yml"
    # The plugin as a mapping, so an option is one more line (as the example writes it).
    config.write_text(config.read_text(encoding="utf-8").replace("  - partnerbook\n", "  partnerbook:\n")
                      .replace("  - search\n", "  search: {}\n"), encoding="utf-8")
    check_edits(book, tmp_path, SEED)
