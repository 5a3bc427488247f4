"""Id references across files, resolved once every file is read: each fault said once.

A reference to an id nobody defines is an error with the closest known ids. Two
faults make many such references look wrong that are not: a file that did not
parse (every id it defines is missing) and an invalid id (its record has no id).
Their references are not reported one by one: the file's syntax error says how
many could not be checked, and each referring file gets one line pointing at the
invalid id, with a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..base.problems import Problem, counted
from ..base.suggestions import suggest
from .records import Ref
from .schema import COLLECTIONS, NOUNS

_ID_VALUE = re.compile(r"""(?:^|[\s{,-])["']?id["']?\s*:\s*["']?([^\s,}\]"'#]+)""")
_TOP_KEY = re.compile(r"""^(\s*)["']?([a-z_]+)["']?\s*:""")


@dataclass
class Unparsed:
    """What a file that did not parse would have defined, read off its text: the `id:` values under
    each top-level collection key. Cheap and approximate, which is enough to keep quiet about them."""

    path: str
    ids: dict[str | None, set[str]] = field(default_factory=dict)  # collection → ids; None → under no known key
    unchecked: int = 0
    line: int = 0  # of the error the count is noted on (0: the file's first)
    reason: str = ""  # why its ids could not be read; default "FILE did not parse"
    exact: bool = False  # ids read from nodes, not guessed from text

    @classmethod
    def read(cls, path: str, raw: bytes) -> Unparsed:
        text = raw.decode("utf-8", "replace")
        lines = text.splitlines()
        keys = [(len(m.group(1)), n) for n, line in enumerate(lines) if (m := _TOP_KEY.match(line))]
        top_indent = min((indent for indent, _ in keys), default=0)  # 0 in YAML; 2 in exported JSON
        unparsed, current = cls(path), None
        for line in lines:
            key = _TOP_KEY.match(line)
            if key and len(key.group(1)) == top_indent:
                current = key.group(2) if key.group(2) in COLLECTIONS else None
                unparsed.ids.setdefault(current, set())
            for match in _ID_VALUE.finditer(line):
                unparsed.ids.setdefault(current, set()).add(match.group(1))
        return unparsed

    def would_define(self, collection: str, value: str) -> bool:
        if value in self.ids.get(collection, ()) or value in self.ids.get(None, ()):
            return True
        # Under the collection's key, but no id could be read off the text: any id may be there.
        return not self.exact and collection in self.ids and not self.ids[collection]


@dataclass(frozen=True)
class InvalidId:
    path: str
    line: int


def _normalised(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _alias_index(known: dict) -> dict[str, str]:
    """Partners' names and aliases (normalised) → their id, for did-you-mean."""
    index: dict[str, str] = {}
    for partner_id, entry in known.get("partners", {}).items():
        if entry is None:
            continue
        values = entry[1].values
        for name in (values.get("name", ""), *values.get("aliases", ())):
            index.setdefault(_normalised(name), partner_id)
    return index


def closest(value: str, collection: str, known: dict, aliases: dict[str, str]) -> list[str]:
    ids = list(known.get(collection, {}))
    close = suggest(value, ids)
    if collection == "partners":
        by_name = aliases.get(_normalised(value))
        if by_name and by_name not in close:
            close.insert(0, by_name)
    return close[:3]


def resolve(refs: list[Ref], known: dict, invalid: dict[str, dict[str, InvalidId]],
            unparsed: list[Unparsed], problems: list[Problem]) -> None:
    """Append one problem per fault among `refs`; note on each unparsed file's error how many it hid."""
    aliases = _alias_index(known)
    suggestions: dict[tuple[str, str], list[str]] = {}  # the same unknown id is often written many times
    to_invalid: dict[tuple[str, str, str], list[int]] = {}
    for ref in refs:
        ids = known.get(ref.collection, {})
        if ref.value in ids:
            continue
        if ref.value in invalid.get(ref.collection, {}):
            to_invalid.setdefault((ref.path, ref.collection, ref.value), []).append(ref.line)
            continue
        hidden_by = next((u for u in unparsed if u.would_define(ref.collection, ref.value)), None)
        if hidden_by is not None:
            hidden_by.unchecked += 1
            continue
        key = (ref.collection, ref.value)
        if key not in suggestions:
            suggestions[key] = closest(ref.value, ref.collection, known, aliases)
        close = suggestions[key]
        hint = f"; closest known: {', '.join(repr(c) for c in close)}" if close else ""
        problems.append(Problem(ref.path, ref.line, "error",
                                f"unknown {NOUNS[ref.collection]} '{ref.value}'{hint}"))
    for (path, collection, value), lines in to_invalid.items():
        where = invalid[collection][value]
        more = f" ({counted(len(lines), 'reference')} in this file)" if len(lines) > 1 else ""
        problems.append(Problem(path, min(lines), "error",
                                f"'{value}' refers to the invalid {NOUNS[collection]} id on "
                                f"{where.path}:{where.line}{more}"))
    for file in unparsed:
        if file.unchecked:
            _note_on_first_error(problems, file.path, file.line,
                                 f"{counted(file.unchecked, 'reference')} could not be checked because "
                                 f"{file.reason or file.path + ' did not parse'}")


def _note_on_first_error(problems: list[Problem], path: str, line: int, note: str) -> None:
    for i, problem in enumerate(problems):
        if problem.path == path and problem.is_error and (not line or problem.line == line):
            problems[i] = replace(problem, message=f"{problem.message} ({note})")
            return
