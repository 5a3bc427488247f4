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


class PartnerbookError(Exception):
    """Bad input: carries every problem found, for the CLI or the plugin to report."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        errors = sum(p.is_error for p in self.problems)
        super().__init__(
            f"{errors} error(s) in the partnerbook data:\n" + format_problems(self.problems)
        )
