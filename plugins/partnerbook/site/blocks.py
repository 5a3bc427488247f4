"""```partnerbook fenced blocks in prose: found, validated and replaced by views.

Blocks are found with a small line scanner that knows about fences, so a block
shown inside another fence (documentation of the syntax) is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from ..base.problems import Problem
from ..base.suggestions import did_you_mean
from ..data.yamlfile import compose_text
from .views import BLOCK_KEYS, PROSE_VIEWS, VIEWS, is_network, is_partner

KEYS = BLOCK_KEYS

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*?)[ \t]*$")


@dataclass(frozen=True)
class Block:
    start: int  # 0-based index of the opening fence line
    end: int  # index of the closing fence line
    indent: str
    body: str
    body_line: int  # 1-based line of the first body line


def find_blocks(markdown: str) -> list[Block]:
    lines = markdown.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, indent = match.group("fence"), match.group("indent")
        info = match.group("info").split()
        close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        if info and info[0] == "partnerbook" and j < len(lines):
            body = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in lines[i + 1: j])
            blocks.append(Block(i, j, indent, body, i + 2))
        i = j + 1  # whatever was inside this fence is not scanned again
    return blocks


@dataclass(frozen=True)
class ViewRequest:
    view: str
    network: str | None = None
    focus: str | None = None


def parse_block(block: Block, page: str, partner_ids: set[str]) -> tuple[ViewRequest | None, list[Problem]]:
    problems: list[Problem] = []

    def error(line: int, message: str) -> None:
        problems.append(Problem(page, line, "error", message))

    try:
        node = compose_text(block.body)
    except RecursionError:
        error(block.body_line, "partnerbook block is nested too deeply")
        return None, problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        error(block.body_line + (mark.line if mark else 0),
              f"partnerbook block is not valid YAML: {getattr(exc, 'problem', exc)}")
        return None, problems
    if not isinstance(node, yaml.MappingNode):
        error(block.body_line - 1, "a partnerbook block holds a mapping such as `view: diagram`")
        return None, problems
    values: dict[str, tuple[str, int]] = {}
    for key_node, value_node in node.value:
        line = block.body_line + key_node.start_mark.line
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
        if key not in KEYS:
            error(line, f"unknown key '{key}' in partnerbook block{did_you_mean(key, KEYS)}; "
                        f"keys are: {', '.join(KEYS)}")
            continue
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != "tag:yaml.org,2002:str":
            error(line, f"'{key}' must be a single word")
            continue
        values[key] = (value_node.value, line)
    if "view" not in values:
        if not problems:
            error(block.body_line - 1, f"partnerbook block has no 'view' (one of: {', '.join(PROSE_VIEWS)})")
        return None, problems
    view, view_line = values.pop("view")
    if view not in PROSE_VIEWS:
        error(view_line, f"unknown view '{view}'{did_you_mean(view, list(PROSE_VIEWS))}; "
                         f"views are: {', '.join(PROSE_VIEWS)}")
        return None, problems
    for key, (value, line) in values.items():
        if key not in VIEWS[view].filters:
            error(line, f"'{key}' does not apply to the {view} view")
        elif key == "network" and not is_network(value):
            error(line, f"'network' is '{value}'; expected ivn or ovn")
        elif key == "focus" and not is_partner(value, partner_ids):
            error(line, f"unknown partner '{value}' in focus{did_you_mean(value, sorted(partner_ids))}")
    if VIEWS[view].needs_focus and "focus" not in values and not problems:
        error(view_line, "the impact view needs `focus: PARTNER`, the partner whose leaving it describes")
    if problems:
        return None, problems
    return ViewRequest(view, values.get("network", (None,))[0], values.get("focus", (None,))[0]), []


def view_requests(markdown: str, partner_ids: set[str]) -> list[ViewRequest]:
    """The valid view requests of a page, in order."""
    requests = (parse_block(block, "", partner_ids)[0] for block in find_blocks(markdown))
    return [r for r in requests if r is not None]


def check_page(markdown: str, page: str, partner_ids: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for block in find_blocks(markdown):
        problems += parse_block(block, page, partner_ids)[1]
    return problems


def replace_blocks(markdown: str, page: str, partner_ids: set[str],
                   render: Callable[[ViewRequest], str]) -> str:
    """Each valid block → its view's placeholder, at the block's indentation (lists, admonitions)."""
    lines = markdown.split("\n")
    for block in reversed(find_blocks(markdown)):
        request, _problems = parse_block(block, page, partner_ids)
        if request is None:
            continue  # reported by check_page before any page was built
        placeholder = render(request).strip("\n")
        lines[block.start: block.end + 1] = ["", block.indent + placeholder, ""]
    return "\n".join(lines)


_FOCUS_LINE = re.compile(r"^\s*focus:\s*['\"]?([a-z0-9][a-z0-9-]*)['\"]?\s*$")


def internal_mentions(markdown: str, page: str, internal_ids: frozenset[str], partners_folder: str) -> list[Problem]:
    """In the public edition: each link to an internal partner's page and each view of one is an
    error at PAGE:LINE (the public edition has no such page, and a view of it would say what it hides)."""
    if not internal_ids:
        return []
    problems = []
    link = re.compile(re.escape(partners_folder) + r"([a-z0-9][a-z0-9-]*)(?:\.md|/)")
    advice = "remove it, or mark the partner public; the internal edition (edition: internal) may show it"
    for number, line in enumerate(markdown.split("\n"), 1):
        for partner_id in dict.fromkeys(link.findall(line)):
            if partner_id in internal_ids:
                problems.append(Problem(page, number, "error", f"links to partner '{partner_id}', which is "
                                        f"internal: the public edition has no page for it; {advice}"))
    for block in find_blocks(markdown):
        for offset, line in enumerate(block.body.split("\n")):
            match = _FOCUS_LINE.match(line)
            if match and match.group(1) in internal_ids:
                problems.append(Problem(page, block.body_line + offset, "error", f"shows a view of partner "
                                        f"'{match.group(1)}', which is internal in the public edition; {advice}"))
    return problems
