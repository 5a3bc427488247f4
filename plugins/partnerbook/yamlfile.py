"""Reading one YAML data file safely: bytes → a node tree with line numbers, or a problem.

Files are composed, never constructed, so no tag can build a Python object; a
hostile file must end quickly: libyaml composes ~1 MB/s and its C composer
recurses without a limit, so size and flow nesting are capped first.
"""

from __future__ import annotations

import re

import yaml

from .problems import Problem

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_FLOW_DEPTH = 100

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STD = "tag:yaml.org,2002:"
SCALAR_TAGS = {STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
ALLOWED_TAGS = SCALAR_TAGS | {STD + "map", STD + "seq"}


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


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


def compose_file(path: str, raw: bytes, problems: list[Problem]) -> yaml.Node | None:
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
        fail(line_of(documents[1]), "a data file holds one YAML document; split it at '---' into files")
        return None
    if not documents:
        return None
    bad_tags = _disallowed_tags(documents[0])
    for node in bad_tags:
        fail(line_of(node), f"YAML tag '{node.tag.replace(STD, '!!')}' is not allowed: "
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
        if node.tag not in ALLOWED_TAGS:
            found.append(node)
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return sorted(found, key=line_of)


def _line_text(text: str, index: int) -> str:
    lines = text.splitlines()
    return lines[index] if 0 <= index < len(lines) else ""
