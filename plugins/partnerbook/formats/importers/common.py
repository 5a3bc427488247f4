"""What every importer shares: the summary it prints, ids made from names, and the writer.

An importer turns its sources into `Imported`: the data-file mappings per collection, where
each record came from, and a `Summary` of what was mapped, merged and skipped. `write` then
checks the result with the loader `partnerbook check` uses, and only when it loads writes the
YAML files (to a hidden folder first, then moved into place), so nothing is ever half-written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...base.files import UnsafeWrite, check_target, write_file
from ...base.problems import Problem, format_problems
from ...data.load import load_network
from ...data.schema import ID_PATTERN

HEADER_MARK = "# Written by `partnerbook import"
FILE_ORDER = ("network", "roles", "partners", "relationships", "agreements", "funding", "projects", "decisions")
MAX_FILE_BYTES = 1 << 20  # a collection above this is split (funding-2.yml, …): the loader caps files at 4 MiB
EXAMPLES = 3  # first examples shown for each kind of thing counted
_ID = re.compile(ID_PATTERN)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]  # libyaml's where built
    """Multi-line text (descriptions) as a literal block, as an author would write it."""


def _str(dumper, text: str):
    if "\n" in text.strip("\n") and not any(ch in text for ch in "\t\r") and text == text.rstrip(" "):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_str(text)


_Dumper.add_representer(str, _str)


class ImportFailed(Exception):
    """Bad input: every problem found, each `WHERE: message`."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Summary:
    """Counts with their first examples, per section: mapped, merged, skipped, noted."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # free lines (focal partner, sources read)

    def add(self, section: str, what: str, example: str | None = None, n: int = 1) -> None:
        key = (section, what)
        self.counts[key] = self.counts.get(key, 0) + n
        if example is not None:
            shown = self.examples.setdefault(key, [])
            if len(shown) < EXAMPLES:
                shown.append(example)

    def count(self, section: str, what: str) -> int:
        return self.counts.get((section, what), 0)

    def render(self) -> str:
        out = list(self.lines)
        for section in ("mapped", "merged", "skipped", "noted"):
            keys = [k for k in self.counts if k[0] == section]
            if not keys:
                continue
            out.append(f"{section}:")
            for key in keys:
                examples = self.examples.get(key)
                shown = f" (e.g. {'; '.join(examples)})" if examples else ""
                out.append(f"  {self.counts[key]:>6} {key[1]}{shown}")
        return "\n".join(out)


@dataclass
class Imported:
    """Data-file mappings per collection (`network` is one mapping) and each record's origin."""

    data: dict[str, Any]  # the mappings and lists of records, as a data file holds them
    origins: dict[str, list[str]]  # collection → where each record came from (FILE:LINE or a path)
    summary: Summary
    sources: list[str]  # source file names, for the header


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all but tab and newline: `check` refuses them


def remove_control_characters(imported: Imported) -> int:
    """Remove the control characters (NUL, ESC, …) other tools' files may carry from every text of
    the import, which `check` would refuse; counted in the summary. Returns how many."""
    removed = 0

    def clean(value):
        nonlocal removed
        if isinstance(value, str):
            value, n = _CONTROL.subn("", value)
            removed += n
            return value
        if isinstance(value, dict):
            return {clean(key): clean(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [clean(item) for item in value]
        return value

    imported.data = {name: clean(value) for name, value in imported.data.items()}
    if removed:
        imported.summary.add("noted", "control characters removed from text (NUL, ESC and the like)", n=removed)
    return removed


def slug(text: str, fallback: str = "item") -> str:
    """A valid id from any text: ASCII letters and digits joined by '-', at most 64 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > 56:  # room for a suffix that keeps it unique
        words = words[:56].rsplit("-", 1)[0] if "-" in words[:56] else words[:56]
    words = words.strip("-")
    if not words:
        words = f"{fallback}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
    return words


class IdMaker:
    """Unique, valid ids; a clash gets a suffix from a hash of what it names, so the same
    organisation keeps its id across runs whatever else the data holds."""

    def __init__(self, reserved=("index",)):
        self.used: set[str] = set(reserved)

    def make(self, text: str, key: str, fallback: str = "item") -> str:
        base = slug(text, fallback)
        candidate = base
        if candidate in self.used:
            candidate = f"{base}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
        n = 2
        while candidate in self.used:  # a hash clash too: count on
            candidate = f"{base}-{n}"
            n += 1
        assert _ID.fullmatch(candidate), candidate
        self.used.add(candidate)
        return candidate


def short_name(name: str, limit: int = 80) -> tuple[str, bool]:
    """A name fit for a heading; True when it had to be cut (at a word, with '…')."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name, False
    cut = name[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return cut + "…", True


# -- writing ---------------------------------------------------------------------------------

FLOW = {"relationships", "funding"}  # one line per record, like a table; the rest as blocks
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ./()&'-]*$")  # text that needs no quotes in a flow mapping
_RESERVED = {"yes", "no", "y", "n", "true", "false", "on", "off", "null", "~"}


def _flow_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text[-1] != " " and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _flow_record(record: dict) -> str:
    """`- {key: value, …}` for a record of scalars: written directly, as PyYAML would, 10× faster."""
    if not all(isinstance(v, (str, int, float, bool)) for v in record.values()):
        return yaml.dump([record], Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                         default_flow_style=None, width=1 << 16)
    return "- {" + ", ".join(f"{k}: {_flow_scalar(v)}" for k, v in record.items()) + "}\n"


def _records_text(collection: str, records: list) -> list[str]:
    """Each record's YAML text as an item of the indentless list under `collection:`."""
    if collection in FLOW:
        return [_flow_record(record) for record in records]
    text = yaml.dump(records, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)  # one call: PyYAML's set-up costs per call
    items = text.split("\n- ")  # items start at column 0; their own lines are indented
    return [("" if i == 0 else "- ") + item + ("\n" if i < len(items) - 1 or not item.endswith("\n") else "")
            for i, item in enumerate(items)]


def render_files(imported: Imported, command: str, today: dt.date) -> tuple[dict[str, str], dict[str, list]]:
    """File name → YAML text, and file name → [(first line, origin)] of each record in it."""
    header = (f"{HEADER_MARK} {command}` on {today.isoformat()} from {', '.join(imported.sources)}.\n"
              "# partnerbook recognises the line above: importing again replaces this file.\n")
    files: dict[str, str] = {}
    where: dict[str, list] = {}
    for collection in FILE_ORDER:
        value = imported.data.get(collection)
        if value is None or (collection != "network" and not value):
            continue
        if collection == "network":
            files["network.yml"] = header + yaml.dump({"network": value}, Dumper=_Dumper, sort_keys=False,
                                                      allow_unicode=True, default_flow_style=False)
            where["network.yml"] = [(1, imported.origins.get("network", ["?"])[0])]
            continue
        origins = imported.origins.get(collection, [])
        part, line, size = 1, 4, 0
        chunks: list[str] = []
        lines: list[tuple[int, str]] = []
        name = f"{collection}.yml"

        def flush():
            files[name] = header + f"{collection}:\n" + "".join(chunks)  # noqa: B023  (called in this iteration)
            where[name] = list(lines)  # noqa: B023  (called in this iteration)

        for i, text in enumerate(_records_text(collection, value)):
            if size and size + len(text) > MAX_FILE_BYTES:
                flush()
                part += 1
                name, chunks, lines, line, size = f"{collection}-{part}.yml", [], [], 4, 0
            lines.append((line, origins[i] if i < len(origins) else "?"))
            chunks.append(text)
            line += text.count("\n")
            size += len(text)
        flush()
    return files, where


def _origin(problem: Problem, where: dict[str, list]) -> str:
    """The source record a problem in a written file is about."""
    records = where.get(problem.path)
    if not records:
        return problem.path
    found = records[0][1]
    for first_line, origin in records:
        if first_line > problem.line:
            break
        found = origin
    return found


def is_ours(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().startswith(HEADER_MARK)
    except (OSError, UnicodeDecodeError):
        return False


def write(imported: Imported, output: Path, *, command: str, force: bool, dry_run: bool,
          today: dt.date | None = None, scorecard_elements: tuple[str, ...] | None = None,
          context: dict[str, str] | None = None) -> list[str]:
    """Check the import loads, then write it into `output`: the file names written (with
    `dry_run`, nothing written, and the files the real run would refuse to replace).
    `context`: the handbook's other data files (relative path → text) the import refers to
    (`--with`): checked together with it, never written."""
    remove_control_characters(imported)  # done already by `partnerbook import` (its summary counts them)
    files, where = render_files(imported, command, today or dt.date.today())
    output_parent = output.parent if output.parent.exists() else Path.cwd()
    with tempfile.TemporaryDirectory(prefix=".partnerbook-import-", dir=output_parent) as temp:
        staging = Path(temp)
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        for relative, text in (context or {}).items():
            target = staging / "~with" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        result = load_network(staging, root=staging, scorecard_elements=scorecard_elements)
        if result.network is None:
            problems = [p for p in result.problems if p.is_error]
            raise ImportFailed([f"{_origin(p, where)}: {p.message}" for p in sorted(problems)]
                               or [format_problems(result.problems)])
        if output.exists() and not output.is_dir():
            raise ImportFailed([f"{output}: is a file; -o names the folder the data files go into"])
        foreign = [output / name for name in files if (output / name).exists() and not is_ours(output / name)]
        if dry_run:  # what the real run would refuse to replace, said but not fatal
            return [f"{path} (exists and was not written by `partnerbook import`: the import would need --force)"
                    for path in foreign if not force]
        if foreign and not force:
            raise ImportFailed([f"{path}: exists and was not written by `partnerbook import`; "
                                "move it away or pass --force to replace it" for path in foreign])
        stale = [p for p in sorted(output.glob("*.y*ml")) if p.name not in files and is_ours(p)] \
            if output.is_dir() else []
        output.mkdir(parents=True, exist_ok=True)
        refused = []
        for name in files:  # every target checked before the first is written: a link there is refused
            try:
                check_target(output / name, output)
            except UnsafeWrite as exc:
                refused.append(str(exc))
        if refused:
            raise ImportFailed(refused)
        for name, text in files.items():  # each file whole or absent, never written through a link
            write_file(output / name, text, inside=output)
        for path in stale:  # an earlier import's extra part (funding-3.yml) would duplicate records
            path.unlink()
    return list(files)
