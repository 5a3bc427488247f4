"""Problems found in a handbook, printed the way compilers print them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

CHECK_LEVELS = ("ignore", "warn", "error")

# Control characters a terminal would obey (ESC starts sequences that clear the screen, set the
# window title, write the clipboard): every message shows them escaped. Newline and tab stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with control characters shown as escapes (ESC as \\x1b): safe to print to a terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def display_path(path: Path, root: Path | None) -> str:
    """A file as messages name it: relative to `root` when inside it."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()

@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem is about a whole file or folder
    severity: str  # "error" | "warning"
    message: object  # a str, or text translated when shown (i18n/message.py: a health finding); `text` is its str
    check: str = ""  # stable id of the check that found it; authors set its level by this id

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return printable(f"{where}: {self.severity}: {self.message}" + (f" [{self.check}]" if self.check else ""))

    @property
    def text(self) -> str:
        """The message in the active language."""
        return str(self.message)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def check_level_errors(levels: Mapping, known: Mapping[str, str]) -> list[str]:
    """What is wrong with a `checks:` setting (id → ignore | warn | error), in words."""
    errors = []
    for check, level in levels.items():
        if check not in known:
            errors.append(f"unknown check '{check}' in `checks`; known checks: {', '.join(sorted(known))}")
        elif level not in CHECK_LEVELS:
            errors.append(f"check '{check}' is set to '{level}'; use one of: {', '.join(CHECK_LEVELS)}")
    return errors


def apply_check_levels(problems: list[Problem], levels: Mapping[str, str]) -> list[Problem]:
    """The author's choice per check: `ignore` drops its problems, `warn`/`error` sets their severity.
    Problems without a check id (malformed data) are always errors."""
    out = []
    for problem in problems:
        level = levels.get(problem.check) if problem.check else None
        if level == "ignore":
            continue
        if level in ("warn", "error"):
            problem = replace(problem, severity="warning" if level == "warn" else "error")
        out.append(problem)
    return out


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 error', '2 errors': counts in messages read as English."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


# A file that cannot be read hides everything in it: its error comes first.
PARSE_ERRORS = ("YAML syntax error", "JSON syntax error", "cannot read YAML", "file is not UTF-8")


def display_order(problem: Problem) -> tuple:
    return (not (problem.is_error and problem.text.startswith(PARSE_ERRORS)), problem)


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in sorted(problems, key=display_order))


def kind_of(problem: Problem, checks: Mapping[str, str] | None = None) -> str:
    """What a problem says with its particulars left out: "error: unknown partner '…'", or a
    check's id and what it is about: "warning [ovn-signed]: an OVN partner with a signed agreement"."""
    if problem.check:
        about = (checks or {}).get(problem.check)
        return f"{problem.severity} [{problem.check}]" + (f": {about}" if about else "")
    text = re.sub(r"'[^']*'", "'…'", problem.text)
    text = re.split(r"; | \(|: ", text, maxsplit=1)[0]
    text = re.sub(r"\S+:\d+", "FILE:LINE", text)
    return f"{problem.severity}: {re.sub(r'[0-9]+', 'N', text)}"


def format_summary(problems: list[Problem], checks: Mapping[str, str] | None = None, first: int = 5) -> str:
    """Above 20 problems: a line per kind (most frequent first, unreadable files before all), then
    the first `first` problems of each kind, so 900 knock-on lines do not hide the one that matters."""
    kinds: dict[str, list[Problem]] = {}
    for problem in sorted(problems, key=display_order):
        kinds.setdefault(kind_of(problem, checks), []).append(problem)
    ordered = sorted(kinds.items(), key=lambda item: (display_order(item[1][0])[0], -len(item[1]), item[0]))
    width = len(str(max(len(group) for group in kinds.values())))
    lines = [f"partnerbook: {counted(len(problems), 'problem')} of {counted(len(kinds), 'kind')}:"]
    lines += [f"  {len(group):>{width}} × {kind}" for kind, group in ordered]
    shown = 0
    for kind, group in ordered:
        lines.append(f"partnerbook: {kind} ({len(group)}):" if len(group) > first else f"partnerbook: {kind}:")
        lines += [str(p) for p in group[:first]]
        shown += min(first, len(group))
    if shown < len(problems):
        lines.append(f"partnerbook: {len(problems) - shown} more not shown; "
                     "`partnerbook check --all` lists every problem")
    return printable("\n".join(lines))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its file and line."""
    lines = []
    for p in sorted(problems, key=display_order):
        where = f"file={_escape_property(p.path)}" + (f",line={p.line}" if p.line else "")
        title = f"partnerbook [{p.check}]" if p.check else "partnerbook"
        lines.append(printable(f"::{p.severity} {where},title={_escape_property(title)}::{_escape_data(p.text)}"))
    return "\n".join(lines)
