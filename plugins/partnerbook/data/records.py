"""One file's YAML nodes read against the field specs of `schema.py`.

Each value is converted and checked where it stands, so every problem names
its own line; id references are collected for the loader to resolve once all
files are read.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any
from urllib.parse import urlparse

import yaml

from ..base.problems import Problem, printable
from ..base.suggestions import did_you_mean
from . import model
from .schema import ID_PATTERN, IDENTIFIER_PATTERN, VISIBILITY, Field
from .values import (  # noqa: F401  (CURRENCIES, COUNTRIES, parse_date: read through records too)
    _CODE_LISTS,
    _CURRENCY_NAMES,
    COUNTRIES,
    CURRENCIES,
    Invalid,
    _plain_number_hint,
    choices,
    parse_date,
)
from .yamlfile import ALLOWED_TAGS, SCALAR_TAGS, STD
from .yamlfile import line_of as _line

_ID = re.compile(ID_PATTERN)
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
# Control characters (all but tab and newline): a NUL breaks Graphviz, ESC and \x01 make the
# GraphML/GEXF downloads ill-formed XML and act on a terminal. No text of the data may hold one.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The largest amount accepted: above it a figure is a typo or a hostile file (1.7e308 overflows
# the decimal arithmetic of the money pages); the world's yearly GDP is about 10^14 USD.
MAX_AMOUNT = 10**15
_BOOLS = yaml.constructor.SafeConstructor.bool_values
_NUMBERS = yaml.constructor.SafeConstructor()


@dataclass
class RecordNodes:
    """A mapping read against field specs: converted values and their lines."""

    node: yaml.Node  # a MappingNode
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    nodes: dict[str, yaml.Node] = field(default_factory=dict)


@dataclass
class Ref:
    """An id reference to resolve once every file is read."""

    collection: str
    value: str
    path: str
    line: int


class FileReader:
    """Reads one file's node tree; appends problems instead of stopping."""

    def __init__(self, path: str, problems: list[Problem], scorecard_elements: tuple[str, ...]):
        self.path = path
        self.problems = problems
        self.scorecard_elements = scorecard_elements
        self.refs: list[Ref] = []

    def error(self, node: yaml.Node | int | None, message: str) -> None:
        line = node if isinstance(node, int) else (_line(node) if node is not None else 0)
        self.problems.append(Problem(self.path, line, "error", message))

    # -- structure ---------------------------------------------------------

    def check_tag(self, node: yaml.Node) -> None:
        if node.tag not in ALLOWED_TAGS:
            raise Invalid(
                f"YAML tag '{node.tag.replace(STD, '!!')}' is not allowed: "
                "data files hold plain values, lists and mappings only", node)

    def mapping_items(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """(key, key node, value node) of a mapping; repeated keys are errors."""
        self.check_tag(node)
        if not isinstance(node, yaml.MappingNode):
            raise Invalid(f"{what} must be a mapping (key: value), not {self.describe(node)}", node)
        seen: dict[str, int] = {}
        items: list[tuple[str, yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in SCALAR_TAGS:
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
        if node.tag == STD + "null":
            return "empty"
        return f"'{node.value}'"

    def read_record(self, node: yaml.Node, fields: tuple[Field, ...], what: str) -> RecordNodes | None:
        try:
            items = self.mapping_items(node, what)
        except Invalid as exc:
            self.error(exc.node, str(exc))
            return None
        record = RecordNodes(node)
        by_name = {f.name: f for f in fields}
        items = self._rejoin_split_numbers(items, by_name)
        for key, key_node, value_node in items:
            spec = by_name.get(key)
            if spec is None:
                self.error(key_node, f"unknown field '{key}' in {what}{did_you_mean(key, list(by_name))}")
                continue
            record.lines[key] = _line(key_node)
            record.nodes[key] = value_node
            if value_node.tag == STD + "null":
                continue  # `key:` with nothing after it means "not given" (a required one is reported below)
            try:
                record.values[key] = self.convert(value_node, spec, what)
            except Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        for spec in fields:
            if spec.required and spec.name not in record.values and spec.name not in record.lines:
                self.error(node, f"{what} is missing required field '{spec.name}'")
            elif (spec.required and spec.name in record.lines and spec.name not in record.values
                  and record.nodes[spec.name].tag == STD + "null"):
                self.error(record.nodes[spec.name], f"required field '{spec.name}' of {what} is empty")
        return record

    def _rejoin_split_numbers(self, items: list[tuple[str, yaml.Node, yaml.Node]],
                              by_name: dict[str, Field]) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """`{amount: 450,000}`: in a flow mapping the comma ends the field, so YAML reads a key '000'.
        Put back the number as written, to be refused once with the fix, instead of 'unknown field 000'."""
        out: list[tuple[str, yaml.Node, yaml.Node]] = []
        joined: set[int] = set()
        for key, key_node, value_node in items:
            previous = out[-1] if out else None
            if (previous is not None and re.fullmatch(r"\d+(\.\d+)?", key) and value_node.tag == STD + "null"
                    and by_name.get(previous[0]) is not None and by_name[previous[0]].type == "number"
                    and isinstance(previous[2], yaml.ScalarNode)
                    and (id(previous[2]) in joined or (not previous[2].style and
                                                       re.fullmatch(r"\D{0,4}\d[\d,]*", previous[2].value)))):
                number = yaml.ScalarNode(STD + "str", f"{previous[2].value},{key}",
                                         previous[2].start_mark, key_node.end_mark, style='"')
                joined.add(id(number))
                out[-1] = (previous[0], previous[1], number)
                continue
            out.append((key, key_node, value_node))
        return out

    # -- values ------------------------------------------------------------

    def scalar(self, node: yaml.Node, name: str) -> str:
        self.check_tag(node)
        if not isinstance(node, yaml.ScalarNode):
            raise Invalid(f"'{name}' must be a single value, not {self.describe(node)}", node)
        if node.tag == STD + "null":
            raise Invalid(f"'{name}' is empty", node)
        return node.value

    def text(self, node: yaml.Node, name: str) -> str:
        # The source text, so `country: NO` stays "NO" and `name: 1984` stays "1984".
        value = self.scalar(node, name)
        found = _CONTROL.search(value)
        if found is not None:
            raise Invalid(f"'{name}' holds the control character {printable(found.group())} "
                          f"(character {found.start() + 1}): remove it", node)
        return value

    def items(self, node: yaml.Node, name: str) -> list[yaml.Node]:
        self.check_tag(node)
        if not isinstance(node, yaml.SequenceNode):
            raise Invalid(f"'{name}' must be a list, not {self.describe(node)}", node)
        return list(node.value)

    def each(self, node: yaml.Node, name: str, convert: Callable[[yaml.Node], Any]) -> tuple:
        out = []
        for item in self.items(node, name):
            try:
                out.append(convert(item))
            except Invalid as exc:
                self.error(exc.node or item, str(exc))
        return tuple(out)

    def enum(self, node: yaml.Node, spec: Field, name: str | None = None) -> str:
        value = self.text(node, name or spec.name)
        if value not in spec.choices:
            raise Invalid(
                f"'{name or spec.name}' is '{value}'; expected one of: {choices(spec.choices)}"
                f"{did_you_mean(value, spec.choices)}", node)
        return value

    def ref(self, node: yaml.Node, collection: str, name: str) -> str:
        value = self.text(node, name)
        self.refs.append(Ref(collection, value, self.path, _line(node)))
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
        if kind == "identifier-list":
            return self.each(node, name, lambda item: self.external_identifier(item, f"{name} item"))
        if kind == "role-map":
            return self.role_map(node, spec)
        if kind == "ref":
            assert spec.ref is not None  # a ref field names its collection (schema.py)
            return self.ref(node, spec.ref, name)
        if kind == "ref-list":
            collection = spec.ref
            assert collection is not None  # a ref field names its collection (schema.py)
            return self.each(node, name, lambda item: self.ref(item, collection, f"{name} item"))
        if kind == "date":
            try:
                return parse_date(self.text(node, name))
            except ValueError as exc:
                raise Invalid(f"'{name}': {exc}", node) from None
        if kind == "url":
            return self.url(node, name)
        if kind == "number":
            return self.number(node, name)
        if kind == "bool":
            value = self.scalar(node, name)
            if node.tag != STD + "bool":
                raise Invalid(f"'{name}' must be true or false, not '{value}'", node)
            return _BOOLS[value.lower()]
        if kind in _CODE_LISTS:
            value = self.text(node, name)
            codes, what, examples = _CODE_LISTS[kind]
            if value not in codes:
                local = _CURRENCY_NAMES.get(value.strip().upper()) if kind == "currency" else None
                hint = f" (did you mean '{local}'?)" if local else did_you_mean(value, sorted(codes))
                raise Invalid(f"'{name}' is '{value}', not {what} (e.g. {examples}){hint}", node)
            return value
        if kind == "count":
            return self.count(node, name)
        if kind == "count-map":
            return self.count_map(node, spec)
        if kind == "records":
            return self.each(node, name, lambda item: self.nested_record(item, spec))
        if kind == "scorecard":
            return self.scorecard(node, spec)
        if kind == "participation":
            return self.participation(node, spec)
        raise AssertionError(f"unknown field type {kind}")  # a bug in schema.py, not bad input

    def identifier(self, node: yaml.Node, name: str) -> str:
        value = self.text(node, name)
        if _ID.fullmatch(value):
            return value
        if "/" in value or "\\" in value or ".." in value:
            raise Invalid(f"id '{value}' would escape its folder: ids become URL paths and "
                           "may use only a-z, 0-9 and '-'", node)
        raise Invalid(f"invalid id '{value}': use 1-64 lowercase letters, digits and '-', "
                       "starting with a letter or digit", node)

    def external_identifier(self, node: yaml.Node, name: str) -> str:
        value = self.text(node, name).strip()
        if not _IDENTIFIER.fullmatch(value):
            raise Invalid(f"'{name}' is '{value}'; write scheme:value without spaces, "
                          "e.g. iati:GB-CHC-202918 or charity:1089464", node)
        return value

    def role_map(self, node: yaml.Node, spec: Field) -> MappingProxyType:
        """partner id → role (free text): `partners` of a project."""
        roles: dict[str, str] = {}
        assert spec.ref is not None  # a role map names its collection (schema.py)
        for partner_id, key_node, value_node in self.mapping_items(node, f"'{spec.name}'"):
            self.refs.append(Ref(spec.ref, partner_id, self.path, _line(key_node)))
            if value_node.tag == STD + "null":
                roles[partner_id] = ""
                continue
            try:
                roles[partner_id] = self.text(value_node, f"role of {partner_id}")
            except Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        if not roles and not node.value:
            raise Invalid(f"'{spec.name}' names no partner: give at least one `partner-id: role`", node)
        return MappingProxyType(roles)

    def count(self, node: yaml.Node, name: str) -> int:
        number = self.number(node, name)
        if not number.is_integer():
            raise Invalid(f"'{name}' must be a whole number, not '{self.scalar(node, name)}'", node)
        return int(number)

    def count_map(self, node: yaml.Node, spec: Field) -> MappingProxyType:
        """partner id → a whole number: the maintainers each organisation employs."""
        counts: dict[str, int] = {}
        for partner_id, key_node, value_node in self.mapping_items(node, f"'{spec.name}'"):
            self.refs.append(Ref(spec.ref or "partners", partner_id, self.path, _line(key_node)))
            try:
                counts[partner_id] = self.count(value_node, f"{spec.name} of {partner_id}")
            except Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        return MappingProxyType(counts)

    def nested_record(self, node: yaml.Node, spec: Field) -> MappingProxyType:
        """One entry of a `records` list (e.g. a reported year): its keys read against `spec.fields`."""
        record = self.read_record(node, spec.fields, f"an entry of '{spec.name}'")
        if record is None:
            raise Invalid(f"an entry of '{spec.name}' must be a mapping", node)
        return MappingProxyType({f.name: record.values.get(f.name) for f in spec.fields})  # every key: None if absent

    def url(self, node: yaml.Node, name: str) -> str:
        value = self.text(node, name).strip()
        try:
            parsed = urlparse(value)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            parsed = None
        if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise Invalid(f"'{name}' must be an http:// or https:// URL, not '{value}'", node)
        return value

    def number(self, node: yaml.Node, name: str) -> float:
        value = self.scalar(node, name)
        assert isinstance(node, yaml.ScalarNode)  # scalar() refused anything else
        try:
            if node.tag == STD + "int":  # YAML 1.1 ints include 0x1F, 0o17, 1_000 and 1:30 (base 60)
                number = float(_NUMBERS.construct_yaml_int(node))
            elif node.tag == STD + "float":
                number = float(_NUMBERS.construct_yaml_float(node))
            elif not node.style:  # unquoted 2.5e3, which YAML 1.1 reads as text (libyaml says '', PyYAML None)
                number = float(value)
            else:
                raise ValueError(value)
        except (ValueError, OverflowError):
            raise Invalid(f"'{name}' must be a number, not '{value}'{_plain_number_hint(value)}", node) from None
        if math.isnan(number) or math.isinf(number):
            raise Invalid(f"'{name}' must be a finite number, not '{value}'", node)
        if number < 0:
            raise Invalid(f"'{name}' is negative ({value}); amounts are 0 or more", node)
        if number > MAX_AMOUNT:
            raise Invalid(f"'{name}' is {value}: over 10^15, more than any real amount; check the figure", node)
        return number

    def scorecard(self, node: yaml.Node, spec: Field) -> MappingProxyType:
        ratings = {}
        for element, key_node, value_node in self.mapping_items(node, "the scorecard"):
            if element not in self.scorecard_elements:
                self.error(key_node, f"unknown scorecard element '{element}'"
                                     f"{did_you_mean(element, self.scorecard_elements)}")
                continue
            try:
                ratings[element] = self.enum(value_node, spec, f"scorecard element {element}")
            except Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        return MappingProxyType(ratings)

    def participation(self, node: yaml.Node, spec: Field) -> MappingProxyType:
        levels: dict[str, model.Participation] = {}
        for partner_id, key_node, value_node in self.mapping_items(node, "participation"):
            self.refs.append(Ref("partners", partner_id, self.path, _line(key_node)))
            try:
                if isinstance(value_node, yaml.MappingNode):
                    parts = {}
                    for key, k_node, v_node in self.mapping_items(value_node, f"participation of {partner_id}"):
                        if key not in ("actual", "desired", "visibility"):
                            self.error(k_node, f"unknown key '{key}' in participation of {partner_id}: "
                                               "use 'actual', 'desired' and 'visibility'")
                            continue
                        if key == "visibility":
                            parts[key] = self.enum(v_node, VISIBILITY, f"visibility of {partner_id}")
                        else:
                            parts[key] = self.enum(v_node, spec, f"{key} level of {partner_id}")
                    if "actual" not in parts:
                        written = {k.value for k, _ in value_node.value if isinstance(k, yaml.ScalarNode)}
                        if "actual" not in written:  # else its bad value is already reported
                            self.error(value_node, f"participation of {partner_id} is missing 'actual'")
                        continue
                    levels[partner_id] = model.Participation(parts["actual"], parts.get("desired", parts["actual"]),
                                                             parts.get("visibility", "public"))
                else:
                    level = self.enum(value_node, spec, f"level of {partner_id}")
                    levels[partner_id] = model.Participation(level, level)
            except Invalid as exc:
                self.error(exc.node or value_node, str(exc))
        return MappingProxyType(levels)
