"""Problems found in a handbook, printed the way compilers print them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int  # 1-based; 0 when the problem is about a whole file or folder
    severity: str  # "error" | "warning"
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


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
            f"{errors} error(s) in the partnerbook data:\n" + format_problems(self.problems)
        )
