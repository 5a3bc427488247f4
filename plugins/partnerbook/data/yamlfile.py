"""Reading one YAML data file safely: bytes → a node tree with line numbers, or a problem.

Files are composed, never constructed, so no tag can build a Python object; a
hostile file must end quickly: libyaml composes ~1 MB/s and its C composer
recurses without a limit, so size and flow nesting are capped first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import yaml

from ..base.problems import Problem

MAX_FILE_BYTES = 4 * 1024 * 1024
# A `.json` data file (what `export --format json` writes) may be larger: once `json.loads` accepts
# it, it holds no alias, anchor or tag, so composing it costs time linear in its size and nothing
# multiplies; the YAML limit is against alias bombs. 2,300 imported organisations export 7.2 MiB.
MAX_JSON_BYTES = 64 * 1024 * 1024
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


def _is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return True


def compose_text(text: str) -> yaml.Node | None:
    """One short YAML document (an embed's body) → its node, with libyaml's composer (ten times
    Python's) once nesting is bounded. Raises yaml.YAMLError, or RecursionError when nested too deeply."""
    if _flow_depth(text) > MAX_FLOW_DEPTH:
        raise RecursionError("nested too deeply")
    return yaml.compose(text, Loader=_Loader)


def compose_file(path: str, raw: bytes, problems: list[Problem]) -> yaml.Node | None:
    """Bytes of one file → its root node, or None with the problem recorded."""
    def fail(line: int, message: str) -> None:
        problems.append(Problem(path, line, "error", message))

    limit = MAX_FILE_BYTES
    if path.endswith(".json") and MAX_FILE_BYTES < len(raw) <= MAX_JSON_BYTES and _is_json(raw):
        limit = MAX_JSON_BYTES
    if len(raw) > limit:
        fail(0, f"file is {len(raw) / 2**20:.1f} MiB; data files are limited to "
                f"{MAX_FILE_BYTES // 2**20} MiB, JSON files to {MAX_JSON_BYTES // 2**20} MiB "
                "(split it into several files)")
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
        line, message = explain_syntax_error(exc, text)
        if path.endswith(".json"):
            line, message = _json_error(text) or (line, message)
        fail(line, message)
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
    # Both walk every node (a fifth of loading 1,000 files): a merge key needs `<<` in the text,
    # and a tag beyond plain values `!` (an explicit tag) or `=` (YAML 1.1's value key).
    if "<<" in text and not _apply_merges(documents[0], fail):
        return None
    bad_tags = _disallowed_tags(documents[0]) if "!" in text or "=" in text else []
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


def _json_error(text: str) -> tuple[int, str] | None:
    """A .json file that YAML cannot read: Python's JSON parser names the fault in JSON's terms."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.lineno, f"JSON syntax error: {exc.msg} (column {exc.colno})"
    return None


_CLOSERS = {"{": "}", "[": "]"}


def explain_syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """PyYAML's parser message → (line, what is wrong in plain words), on the line the author must edit.

    PyYAML reports where it gave up, often the line after the mistake (or past the end of the file);
    its `context_mark` is where the construct it was reading began, which is where the fix goes."""
    problem, context = exc.problem or "invalid YAML", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    line = mark.line + 1 if mark else 0
    last_line = max(1, len(text.splitlines()))
    here = _line_text(text, mark.line) if mark else ""
    if "\\t" in problem or "\t" in problem or (mark and "\t" in here[: mark.column + 1]):
        return line, "YAML syntax error: tab character: YAML indents with spaces only"
    if "could not find expected ':'" in problem and start is not None:
        written = _line_text(text, start.line).strip()
        glued = re.match(r"(-\s*)?([\w.-]+):(\S.*)", written)
        fix = f": write '{glued.group(2)}: {glued.group(3)}'" if glued else ""
        return start.line + 1, (f"YAML syntax error: '{written}' is not 'key: value' (a space must follow "
                                f"the colon){fix}")
    if "flow node" in context and (found := _last_open_bracket(text)) is not None:
        start = found  # an unclosed bracket at the end of the file: PyYAML points past it
        context = "flow mapping" if _line_text(text, found.line)[found.column] == "{" else "flow sequence"
    if "flow mapping" in context or "flow sequence" in context:
        opened = _line_text(text, start.line)[start.column: start.column + 1] if start else ""
        closer = _CLOSERS.get(opened, "}" if "mapping" in context else "]")
        opened = opened or ("{" if closer == "}" else "[")
        where = "is never closed" if (mark is None or mark.line + 1 > last_line or
                                      not _line_text(text, mark.line).strip()) else f"is not closed before line {line}"
        line = start.line + 1 if start else min(line, last_line)
        return line, (f"YAML syntax error: the '{opened}' on this line {where}: add '{closer}' "
                      f"(items inside are separated by ',')")
    if "quoted scalar" in context and start is not None:
        quote = _line_text(text, start.line)[start.column: start.column + 1] or "'"
        return start.line + 1, f"YAML syntax error: the quote {quote} opened on this line is never closed"
    if "mapping values are not allowed" in problem and mark is not None:
        before = here[: mark.column]
        key = re.match(r"\s*(?:-\s+)?([\w.-]+):\s", before)
        if key:  # a second ': ' on one line: the value holds a colon
            value = here[key.end():].strip()
            quoted = f"'{value}'" if '"' in value else f'"{value}"'
            return line, (f"YAML syntax error: the value of '{key.group(1)}' holds ': '; "
                          f"quote it: {key.group(1)}: {quoted}")
        return line, ("YAML syntax error: this line is indented more than the keys above it; "
                      "keys of one entry start in the same column")
    if ("block collection" in context or "block mapping" in context) and mark is not None:
        return line, ("YAML syntax error: indentation does not match the lines above: keys of one entry start "
                      "in the same column, and each list item starts with '- '")
    if "cannot start any token" in problem and mark is not None:
        char = here[mark.column: mark.column + 1]
        key = re.match(r"\s*(?:-\s+)?([\w.-]+):\s", here)
        value = here[key.end():].strip() if key else here[mark.column:].strip()
        fix = f": quote it: {key.group(1)}: \"{value}\"" if key and '"' not in value else ": put the value in quotes"
        return line, f"YAML syntax error: a value cannot start with '{char}'{fix}"
    if "undefined alias" in problem and mark is not None:
        alias = re.match(r"\*([^\s,\]}]+)", here[mark.column:])
        name = alias.group(1) if alias else "…"
        return line, f"YAML syntax error: '*{name}' refers to no anchor '&{name}' defined above it"
    if line > last_line:
        line = last_line
    return line, f"YAML syntax error: {f'{context}, ' if context else ''}{problem}"


_BRACKETS_AND_QUOTES = re.compile(r"[\[\]{}'\"#]")


def _last_open_bracket(text: str) -> yaml.Mark | None:
    """Where the last '[' or '{' still open at the end of `text` is (quotes and comments skipped)."""
    opened: list[tuple[int, int]] = []
    for number, line in enumerate(text.splitlines()):
        quote = None
        for match in _BRACKETS_AND_QUOTES.finditer(line):
            char, column = match.group(), match.start()
            if quote:
                quote = None if char == quote else quote
            elif char in "'\"" and (column == 0 or line[column - 1] in " [{,:"):
                quote = char
            elif char == "#" and (column == 0 or line[column - 1] == " "):
                break
            elif char in "[{":
                opened.append((number, column))
            elif char in "]}" and opened:
                opened.pop()
    if not opened:
        return None
    number, column = opened[-1]
    return yaml.Mark("", 0, number, column, None, 0)  # no buffer: the pointer is not read


MERGE = STD + "merge"


def _apply_merges(root: yaml.Node, fail: Callable[[int, str], None]) -> bool:
    """Resolve YAML merge keys (`<<: *defaults`) the way PyYAML's safe_load does, in the node tree.

    Merge keys are plain YAML 1.1, build no object, and let an author repeat shared fields from an
    anchored entry; keys written in the mapping win over merged ones, then earlier merges over later."""
    ok = True
    done: set[int] = set()

    def merged(node: yaml.MappingNode, active: set[int]) -> list:
        nonlocal ok
        if id(node) in done or id(node) in active:
            return node.value
        active = active | {id(node)}
        own, sources = [], []
        for key, value in node.value:
            if key.tag != MERGE:
                own.append((key, value))
                continue
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            for item in items:
                if id(item) in active:
                    fail(line_of(value), "'<<' merges a mapping into itself")
                    ok = False
                    continue
                if not isinstance(item, yaml.MappingNode):
                    fail(line_of(item), "'<<' merges a mapping into this one: write '<<: *name', where "
                                        "'&name' marks a mapping, or '<<: [*one, *two]'")
                    ok = False
                    continue
                sources.append(item)
        if sources:
            present = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
            for source in sources:
                for key, value in merged(source, active):
                    if isinstance(key, yaml.ScalarNode) and key.tag != MERGE and key.value not in present:
                        present.add(key.value)
                        own.append((key, value))
            node.value = own
        done.add(id(node))
        return node.value

    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            merged(node, set())
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return ok
