"""One file's YAML nodes read against the field specs of `schema.py`.

Each value is converted and checked where it stands (one node, one value: nodes.py), so every
problem names its own line; id references are collected for the loader to resolve once all
files are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import yaml

from ..base.problems import Problem
from ..base.suggestions import did_you_mean
from . import model
from .nodes import NodeReader
from .schema import VISIBILITY, Field
from .values import _CODE_LISTS, _CURRENCY_NAMES, Invalid, parse_date
from .yamlfile import STD
from .yamlfile import line_of as _line

_BOOLS = yaml.constructor.SafeConstructor.bool_values


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


class FileReader(NodeReader):
    """Reads one file's node tree; appends problems instead of stopping."""

    def __init__(self, path: str, problems: list[Problem], scorecard_elements: tuple[str, ...]):
        self.path = path
        self.problems = problems
        self.scorecard_elements = scorecard_elements
        self.refs: list[Ref] = []

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
