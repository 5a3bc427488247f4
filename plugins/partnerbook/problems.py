"""Problems found in a handbook, printed the way compilers print them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Mapping

CHECK_LEVELS = ("ignore", "warn", "error")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem is about a whole file or folder
    severity: str  # "error" | "warning"
    message: str
    check: str = ""  # stable id of the check that found it; authors set its level by this id

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}" + (f" [{self.check}]" if self.check else "")

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


def format_problems(problems: list[Problem]) -> str:
    return "\n".join(str(p) for p in sorted(problems))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: each problem becomes an annotation on its file and line."""
    lines = []
    for p in sorted(problems):
        where = f"file={_escape_property(p.path)}" + (f",line={p.line}" if p.line else "")
        lines.append(f"::{p.severity} {where},title=partnerbook::{_escape_data(p.message)}")
    return "\n".join(lines)


class PartnerbookError(Exception):
    """Bad input: carries every problem found, for the CLI or the plugin to report."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = sum(p.is_error for p in self.problems)
        super().__init__(
            f"{counted(errors, 'error')} in the partnerbook data:\n" + format_problems(self.problems)
        )
