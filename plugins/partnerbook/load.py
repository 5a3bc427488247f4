"""YAML files of the data folder → one `Network`, or every problem found.

The files are composed (never constructed) with PyYAML's safe loader, and the
node tree is read against `schema.py`; nodes carry their line, so every value
and every error keeps its place in the source.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable
from urllib.parse import urlparse

import pycountry
import yaml

from . import model
from .problems import Problem
from .schema import (
    COLLECTIONS, DATE_PATTERN, DEFAULT_ROLES, DEFAULT_SCORECARD, ID_PATTERN,
    NETWORK_FIELDS, NOUNS, TOP_LEVEL_KEYS, Field,
)

# A hostile file must end quickly: libyaml composes ~1 MB/s, and its C
# composer recurses without a limit, so size and flow nesting are capped first.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FLOW_DEPTH = 100

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ID = re.compile(ID_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_ALLOWED_TAGS = _SCALAR_TAGS | {_STD + "map", _STD + "seq"}
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_CURRENCIES = {c.alpha_3 for c in pycountry.currencies}
_COUNTRIES = {c.alpha_2 for c in pycountry.countries}


class _Invalid(Exception):
    def __init__(self, message: str, node: yaml.Node | None = None):
        super().__init__(message)
        self.node = node


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _suggest(word: str, known: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    return difflib.get_close_matches(word, list(known), n=n, cutoff=0.6)


def _did_you_mean(word: str, known) -> str:
    close = _suggest(word, known, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _choices(values) -> str:
    return ", ".join(values)


def parse_date(text: str) -> model.FuzzyDate:
    """'2024', '2024-05' or '2024-05-17' → the span of days it covers."""
    if not _DATE.match(text):
        raise ValueError(f"invalid date '{text}': write YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in text.split("-")]
    try:
        if len(parts) == 1:
            return model.FuzzyDate(dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), text)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            following = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return model.FuzzyDate(first, following - dt.timedelta(days=1), text)
        day = dt.date(*parts)
        return model.FuzzyDate(day, day, text)
    except ValueError:
        raise ValueError(f"invalid date '{text}': no such day or month") from None


@dataclass
class _Record:
    """A mapping read against field specs: converted values and their lines."""

    node: yaml.MappingNode
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    nodes: dict[str, yaml.Node] = field(default_factory=dict)


@dataclass
class _Ref:
    """An id reference to resolve once every file is read."""

    collection: str
    value: str
    path: str
    line: int


class _FileReader:
    """Reads one file's node tree; appends problems instead of stopping."""

    def __init__(self, path: str, problems: list[Problem], scorecard_elements: tuple[str, ...]):
        self.path = path
        self.problems = problems
        self.scorecard_elements = scorecard_elements
        self.refs: list[_Ref] = []

    def error(self, node: yaml.Node | int | None, message: str) -> None:
        line = node if isinstance(node, int) else (_line(node) if node is not None else 0)
        self.problems.append(Problem(self.path, line, "error", message))

    # -- structure ---------------------------------------------------------

    def check_tag(self, node: yaml.Node) -> None:
        if node.tag not in _ALLOWED_TAGS:
            raise _Invalid(
                f"YAML tag '{node.tag.replace(_STD, '!!')}' is not allowed: "
                "data files hold plain values, lists and mappings only", node)

    def mapping_items(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """(key, key node, value node) of a mapping; repeated keys are errors."""
        self.check_tag(node)
        if not isinstance(node, yaml.MappingNode):
            raise _Invalid(f"{what} must be a mapping (key: value), not {self.describe(node)}", node)
        seen: dict[str, int] = {}
        items = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.error(key_node, f"keys of {what} must be plain names")
                continue
            key = key_node.value
            if key in seen:
                self.error(key_node, f"key '{key}' repeated in {what} (first at line {seen[key]})")
                continue
            seen[key] = _line(key_node)
            items.append((key, key_node, value_node))
        return items

    @staticmethod
    def describe(node: yaml.Node) -> str:
        if isinstance(node, yaml.MappingNode):
            return "a mapping"
        if isinstance(node, yaml.SequenceNode):
            return "a list"
        if node.tag == _STD + "null":
            return "empty"
        return f"'{node.value}'"

    def read_record(self, node: yaml.Node, fields: tuple[Field, ...], what: str) -> _Record | None:
        try:
            items = self.mapping_items(node, what)
        except _Invalid as exc:
            self.error(exc.node, str(exc))
            return None
        record = _Record(node)
        by_name = {f.name: f for f in fields}
        for key, key_node, value_node in items:
            spec = by_name.get(key)
            if spec is None:
                self.error(key_node, f"unknown field '{key}' in {what}{_did_you_mean(key, list(by_name))}")
                continue
            record.lines[key] = _line(key_node)
            record.nodes[key] = value_node
            if value_node.tag == _STD + "null" and not spec.required:
                continue  # `key:` with nothing after it means "not given"
            try:
                record.values[key] = self.convert(value_node, spec, what)
            except _Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        for spec in fields:
            if spec.required and spec.name not in record.values and spec.name not in record.lines:
                self.error(node, f"{what} is missing required field '{spec.name}'")
            elif spec.required and spec.name in record.lines and spec.name not in record.values:
                if record.nodes[spec.name].tag == _STD + "null":
                    self.error(record.nodes[spec.name], f"required field '{spec.name}' of {what} is empty")
        return record

    # -- values ------------------------------------------------------------

    def scalar(self, node: yaml.Node, name: str) -> str:
        self.check_tag(node)
        if not isinstance(node, yaml.ScalarNode):
            raise _Invalid(f"'{name}' must be a single value, not {self.describe(node)}", node)
        if node.tag == _STD + "null":
            raise _Invalid(f"'{name}' is empty", node)
        return node.value

    def text(self, node: yaml.Node, name: str) -> str:
        # The source text, so `country: NO` stays "NO" and `name: 1984` stays "1984".
        return self.scalar(node, name)

    def items(self, node: yaml.Node, name: str) -> list[yaml.Node]:
        self.check_tag(node)
        if not isinstance(node, yaml.SequenceNode):
            raise _Invalid(f"'{name}' must be a list, not {self.describe(node)}", node)
        return list(node.value)

    def each(self, node: yaml.Node, name: str, convert: Callable[[yaml.Node], Any]) -> tuple:
        out = []
        for item in self.items(node, name):
            try:
                out.append(convert(item))
            except _Invalid as exc:
                self.error(exc.node or item, str(exc))
        return tuple(out)

    def enum(self, node: yaml.Node, spec: Field, name: str | None = None) -> str:
        value = self.text(node, name or spec.name)
        if value not in spec.choices:
            raise _Invalid(
                f"'{name or spec.name}' is '{value}'; expected one of: {_choices(spec.choices)}"
                f"{_did_you_mean(value, spec.choices)}", node)
        return value

    def ref(self, node: yaml.Node, collection: str, name: str) -> str:
        value = self.text(node, name)
        self.refs.append(_Ref(collection, value, self.path, _line(node)))
        return value

    def convert(self, node: yaml.Node, spec: Field, what: str) -> Any:
        kind = spec.type
        name = spec.name
        if kind == "id":
            return self.identifier(node, name)
        if kind in ("string", "markdown"):
            return self.text(node, name)
        if kind == "enum":
            return self.enum(node, spec)
        if kind == "enum-list":
            return self.each(node, name, lambda item: self.enum(item, spec, f"{name} item"))
        if kind == "string-list":
            return self.each(node, name, lambda item: self.text(item, f"{name} item"))
        if kind == "ref":
            return self.ref(node, spec.ref, name)
        if kind == "ref-list":
            return self.each(node, name, lambda item: self.ref(item, spec.ref, f"{name} item"))
        if kind == "date":
            try:
                return parse_date(self.text(node, name))
            except ValueError as exc:
                raise _Invalid(f"'{name}': {exc}", node) from None
        if kind == "url":
            return self.url(node, name)
        if kind == "number":
            return self.number(node, name)
        if kind == "bool":
            value = self.scalar(node, name)
            if node.tag != _STD + "bool":
                raise _Invalid(f"'{name}' must be true or false, not '{value}'", node)
            return _BOOLS[value.lower()]
        if kind == "country":
            value = self.text(node, name)
            if value not in _COUNTRIES:
                raise _Invalid(f"'{name}' is '{value}', not an ISO 3166 alpha-2 country code "
                               f"(e.g. DE, KE, BR){_did_you_mean(value.upper(), sorted(_COUNTRIES))}", node)
            return value
        if kind == "currency":
            value = self.text(node, name)
            if value not in _CURRENCIES:
                raise _Invalid(f"'{name}' is '{value}', not an ISO 4217 currency code "
                               f"(e.g. EUR, USD, KES){_did_you_mean(value.upper(), sorted(_CURRENCIES))}", node)
            return value
        if kind == "scorecard":
            return self.scorecard(node, spec)
        if kind == "participation":
            return self.participation(node, spec)
        raise AssertionError(f"unknown field type {kind}")  # a bug in schema.py, not bad input

    def identifier(self, node: yaml.Node, name: str) -> str:
        value = self.text(node, name)
        if _ID.match(value):
            return value
        if "/" in value or "\\" in value or ".." in value:
            raise _Invalid(f"id '{value}' would escape its folder: ids become URL paths and "
                           "may use only a-z, 0-9 and '-'", node)
        raise _Invalid(f"invalid id '{value}': use 1-64 lowercase letters, digits and '-', "
                       "starting with a letter or digit", node)

    def url(self, node: yaml.Node, name: str) -> str:
        value = self.text(node, name).strip()
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise _Invalid(f"'{name}' must be an http:// or https:// URL, not '{value}'", node)
        return value

    def number(self, node: yaml.Node, name: str) -> float:
        value = self.scalar(node, name)
        if node.tag not in (_STD + "int", _STD + "float"):
            raise _Invalid(f"'{name}' must be a number, not '{value}'", node)
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            number = float(int(value.replace("_", ""), 0))
        if math.isnan(number) or math.isinf(number):
            raise _Invalid(f"'{name}' must be a finite number, not '{value}'", node)
        if number < 0:
            raise _Invalid(f"'{name}' is negative ({value}); amounts are 0 or more", node)
        return number

    def scorecard(self, node: yaml.Node, spec: Field) -> MappingProxyType:
        ratings = {}
        for element, key_node, value_node in self.mapping_items(node, "the scorecard"):
            if element not in self.scorecard_elements:
                self.error(key_node, f"unknown scorecard element '{element}'"
                                     f"{_did_you_mean(element, self.scorecard_elements)}")
                continue
            try:
                ratings[element] = self.enum(value_node, spec, f"scorecard element {element}")
            except _Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        return MappingProxyType(ratings)

    def participation(self, node: yaml.Node, spec: Field) -> MappingProxyType:
        levels: dict[str, model.Participation] = {}
        for partner_id, key_node, value_node in self.mapping_items(node, "participation"):
            self.refs.append(_Ref("partners", partner_id, self.path, _line(key_node)))
            try:
                if isinstance(value_node, yaml.MappingNode):
                    parts = {}
                    for key, k_node, v_node in self.mapping_items(value_node, f"participation of {partner_id}"):
                        if key not in ("actual", "desired"):
                            self.error(k_node, f"unknown key '{key}' in participation of {partner_id}: "
                                               "use 'actual' and 'desired'")
                            continue
                        parts[key] = self.enum(v_node, spec, f"{key} level of {partner_id}")
                    if "actual" not in parts:
                        written = {k.value for k, _ in value_node.value if isinstance(k, yaml.ScalarNode)}
                        if "actual" not in written:  # else its bad value is already reported
                            self.error(value_node, f"participation of {partner_id} is missing 'actual'")
                        continue
                    levels[partner_id] = model.Participation(parts["actual"], parts.get("desired", parts["actual"]))
                else:
                    level = self.enum(value_node, spec, f"level of {partner_id}")
                    levels[partner_id] = model.Participation(level, level)
            except _Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        return MappingProxyType(levels)


def _flow_depth(text: str) -> int:
    """Deepest nesting of [ ] and { } (quotes ignored: an overestimate is safe)."""
    depth = deepest = 0
    for match in re.finditer(r"[\[\]{}]", text):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def _compose(path: str, raw: bytes, problems: list[Problem]) -> yaml.Node | None:
    """Bytes of one file → its root node, or None with the problem recorded."""
    def fail(line: int, message: str) -> None:
        problems.append(Problem(path, line, "error", message))

    if len(raw) > MAX_FILE_BYTES:
        fail(0, f"file is {len(raw) / 2**20:.1f} MiB; data files are limited to "
                f"{MAX_FILE_BYTES // 2**20} MiB (split it into several files)")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        fail(line, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        return None
    text = text.removeprefix("\ufeff")
    if _flow_depth(text) > MAX_FLOW_DEPTH:
        fail(0, f"lists or mappings nested more than {MAX_FLOW_DEPTH} levels deep")
        return None
    try:
        documents = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or "invalid YAML"
        if "\\t" in problem or "\t" in problem or (mark and "\t" in _line_text(text, mark.line)[: mark.column + 1]):
            problem = "tab character: YAML indents with spaces only"
        elif exc.context:
            problem = f"{exc.context}, {problem}"
        fail(line, f"YAML syntax error: {problem}")
        return None
    except yaml.YAMLError as exc:  # e.g. a control character (ReaderError)
        position = getattr(exc, "position", None)
        line = text[:position].count("\n") + 1 if isinstance(position, int) else 0
        fail(line, f"cannot read YAML: {getattr(exc, 'reason', exc)}")
        return None
    except RecursionError:
        fail(0, "lists or mappings nested too deeply")
        return None
    documents = [d for d in documents if d is not None]
    if len(documents) > 1:
        fail(_line(documents[1]), "a data file holds one YAML document; split it at '---' into files")
        return None
    if not documents:
        return None
    bad_tags = _disallowed_tags(documents[0])
    for node in bad_tags:
        fail(_line(node), f"YAML tag '{node.tag.replace(_STD, '!!')}' is not allowed: "
                          "data files hold plain values, lists and mappings only")
    return None if bad_tags else documents[0]


def _disallowed_tags(root: yaml.Node) -> list[yaml.Node]:
    """Nodes with tags that a full loader would turn into objects (each node once: aliases share nodes)."""
    found, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            found.append(node)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return sorted(found, key=_line)


def _line_text(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""


def data_files(data_dir: Path) -> list[Path]:
    files = [
        p for p in data_dir.rglob("*")
        if p.suffix in (".yml", ".yaml") and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(data_dir).parts)
    ]
    return sorted(files, key=lambda p: p.relative_to(data_dir).as_posix())


def display_path(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


@dataclass
class LoadResult:
    network: model.Network | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def load_network(
    data_dir: Path,
    *,
    root: Path | None = None,
    as_of: dt.date | None = None,
    scorecard_elements: tuple[str, ...] | None = None,
    today: dt.date | None = None,
) -> LoadResult:
    """Read every YAML file under `data_dir`; `root` is what paths are shown relative to."""
    problems: list[Problem] = []
    elements = tuple(scorecard_elements or DEFAULT_SCORECARD)
    shown_dir = display_path(data_dir, root)
    if not data_dir.is_dir():
        problems.append(Problem(shown_dir, 0, "error", "data folder not found (set `data_dir` in the partnerbook plugin config)"))
        return LoadResult(None, problems)

    network_record: tuple[_FileReader, _Record] | None = None
    collected: dict[str, list[tuple[_FileReader, _Record]]] = {name: [] for name in COLLECTIONS}
    readers: list[_FileReader] = []
    for path in data_files(data_dir):
        shown = display_path(path, root)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown, 0, "error", f"cannot read file: {exc.strerror}"))
            continue
        root_node = _compose(shown, raw, problems)
        if root_node is None:
            continue
        reader = _FileReader(shown, problems, elements)
        readers.append(reader)
        try:
            top = reader.mapping_items(root_node, "a data file")
        except _Invalid as exc:
            reader.error(exc.node, f"{exc}: its top-level keys are among {_choices(TOP_LEVEL_KEYS)}")
            continue
        for key, key_node, value_node in top:
            if key not in TOP_LEVEL_KEYS:
                reader.error(key_node, f"unknown top-level key '{key}'{_did_you_mean(key, TOP_LEVEL_KEYS)}; "
                                       f"expected one of: {_choices(TOP_LEVEL_KEYS)}")
                continue
            if key == "network":
                if network_record is not None:
                    first = network_record[0].path, _line(network_record[1].node)
                    reader.error(key_node, f"'network' is defined twice (first at {first[0]}:{first[1]})")
                    continue
                record = reader.read_record(value_node, NETWORK_FIELDS, "network")
                if record is not None:
                    network_record = (reader, record)
                continue
            if value_node.tag == _STD + "null":
                continue
            try:
                entries = reader.items(value_node, key)
            except _Invalid as exc:
                reader.error(exc.node, str(exc))
                continue
            noun = NOUNS[key]
            for entry in entries:
                record = reader.read_record(entry, COLLECTIONS[key], f"{noun} entry")
                if record is not None:
                    collected[key].append((reader, record))

    if network_record is None and not any(p.is_error and p.path != shown_dir for p in problems):
        problems.append(Problem(shown_dir, 0, "error",
                                "no file defines `network:` (name and focal partner of the handbook)"))

    known = _unique_ids(collected, problems)
    if not collected["roles"]:
        known["roles"] = {role_id: None for role_id, _ in DEFAULT_ROLES}
    for reader in readers:
        for ref in reader.refs:
            ids = known.get(ref.collection, {})
            if ref.value not in ids:
                close = _suggest(ref.value, list(ids))
                hint = f"; closest known: {', '.join(repr(c) for c in close)}" if close else ""
                problems.append(Problem(ref.path, ref.line, "error",
                                        f"unknown {NOUNS[ref.collection]} '{ref.value}'{hint}"))
    _check_records(collected, network_record, problems)

    if any(p.is_error for p in problems):
        return LoadResult(None, problems)
    assert network_record is not None
    network = _build(collected, network_record, elements, as_of, today or dt.date.today())
    return LoadResult(network, problems)


def _unique_ids(collected, problems) -> dict[str, dict[str, _Record]]:
    known: dict[str, dict[str, tuple[_FileReader, _Record]]] = {}
    for name, records in collected.items():
        if not any(f.name == "id" for f in COLLECTIONS[name]):
            continue
        seen: dict[str, tuple[_FileReader, _Record]] = {}
        for reader, record in records:
            record_id = record.values.get("id")
            if record_id is None:
                continue
            if record_id in seen:
                first_reader, first = seen[record_id]
                reader.error(record.lines["id"], f"duplicate {NOUNS[name]} id '{record_id}' "
                                                 f"(first defined at {first_reader.path}:{first.lines['id']})")
                continue
            seen[record_id] = (reader, record)
        known[name] = seen
    return known


def _check_records(collected, network_record, problems) -> None:
    """Rules that span several fields of one record."""
    for name, records in collected.items():
        for reader, record in records:
            values = record.values
            since, until = values.get("since"), values.get("until")
            if since and until and until.last < since.first:
                reader.error(record.lines["until"], f"'until' ({until}) is before 'since' ({since})")
            if name == "agreements":
                parties = values.get("parties")
                if parties is not None and len(set(parties)) < 2:
                    reader.error(record.lines["parties"], "an agreement needs at least two different parties")
                signed, expires = values.get("signed"), values.get("expires")
                if signed and expires and expires.last < signed.first:
                    reader.error(record.lines["expires"], f"'expires' ({expires}) is before 'signed' ({signed})")
            if name == "partners" and network_record is not None:
                focal = network_record[1].values.get("focal")
                if values.get("id") != focal and "network" not in values and "network" not in record.lines:
                    reader.error(record.node, f"partner '{values.get('id')}' is missing required field "
                                              "'network' (ivn or ovn; only the focal partner may omit it)")


def _common(reader: _FileReader, record: _Record) -> dict[str, Any]:
    return {
        "source": model.Source(reader.path, _line(record.node)),
        "lines": MappingProxyType(dict(record.lines)),
    }


def _build(collected, network_record, elements, as_of, today) -> model.Network:
    reader, record = network_record
    values = record.values
    info = model.NetworkInfo(
        name=values["name"], focal=values["focal"], structure=values.get("structure"),
        as_of=values.get("as_of"), description=values.get("description", ""),
        **_common(reader, record),
    )

    def build(name: str, cls, rename: dict[str, str] | None = None) -> tuple:
        out = []
        for entry_reader, entry in collected[name]:
            kwargs = {(rename or {}).get(k, k): v for k, v in entry.values.items()}
            out.append(cls(**kwargs, **_common(entry_reader, entry)))
        return tuple(out)

    flows = {"from": "source_id", "to": "target_id"}
    roles = build("roles", model.Role)
    defaulted = not roles
    if defaulted:
        roles = tuple(model.Role(id=i, name=n, source=model.Source("(default canvas roles)")) for i, n in DEFAULT_ROLES)
    snapshot = as_of or (info.as_of.first if info.as_of else today)
    return model.Network(
        info=info,
        roles=roles,
        partners=build("partners", model.Partner),
        exchanges=build("relationships", model.Exchange, flows),
        agreements=build("agreements", model.Agreement),
        funding=build("funding", model.Funding, flows),
        decisions=build("decisions", model.Decision),
        scorecard_elements=elements,
        as_of=snapshot,
        roles_defaulted=defaulted,
    )
