"""One YAML node read as one value (text, a number, an id, a URL, a choice, a list of them),
checked where it stands so that every problem names its own line. records.py reads whole
records with it."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import yaml

from ..base.problems import Problem, printable
from ..base.suggestions import did_you_mean
from .schema import ID_PATTERN, IDENTIFIER_PATTERN, Field
from .values import Invalid, _plain_number_hint, choices
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
_NUMBERS = yaml.constructor.SafeConstructor()


class NodeReader:
    """Reads single nodes of one file; `error` appends a problem instead of stopping."""

    path: str  # the file as messages name it
    problems: list[Problem]

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

    def count(self, node: yaml.Node, name: str) -> int:
        number = self.number(node, name)
        if not number.is_integer():
            raise Invalid(f"'{name}' must be a whole number, not '{self.scalar(node, name)}'", node)
        return int(number)

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
