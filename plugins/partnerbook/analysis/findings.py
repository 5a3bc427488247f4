"""Findings of the health report, their stable ids, and the author's level for each.

Kept apart from `health.py` (which computes them) so that `checks.py` can list the
finding ids among the known checks without importing the analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..base.problems import Problem
from ..data.model import Source
from ..i18n.message import joined

SHOWN_ITEMS = 12  # the report stays readable at 1,000 partners: the rest is on the full list

# Stable ids of the findings on `health/`; authors set each to ignore | warn | error with the
# plugin's `checks:` option or `partnerbook check --check ID=LEVEL`, like the warnings.
FINDING_CHECKS = {
    "hub-dependence": "finding: share of exchanges through the focal organisation",
    "single-point-of-failure": "finding: partners without whom others lose every path to the focal organisation",
    "single-partner-role": "finding: canvas roles played by one partner",
    "funding-concentration": "finding: the largest funder's share and HHI, per currency",
    "hollow-core": "finding: core work that no current funding flow marked `core` pays for",
    "commitments": "finding: money committed for the months ahead",
    "decided-alone": "finding: decisions where one partner decides and the others are at most informed",
    "participation-gap": "finding: partners whose desired say differs from the actual one",
    "ivn-unsigned": "finding: inner partners without a signed agreement",
    "thin-agreement": "finding: scored agreements covering less than half of the scorecard",
    "expiring-agreement": "finding: signed agreements expiring within 90 days",
    "one-way": "finding: pairs where value is recorded flowing one way only",
    "elephant-factor": "finding: income, a project's maintainers or the decision seats half held by one organisation",
}
# The level a finding has when the author sets none, in a handbook that records project maintainers
# (checks.check_data); the others, and every finding of a handbook without, are shown on `health/` only,
# so a handbook that built with --strict before the elephant factor existed still does.
DEFAULT_LEVELS = {"elephant-factor": "warn"}

# A finding *fires* when it asks for action: level risk or attention. Only a firing finding
# becomes a warning (`warn`) or an error (`error`); `ignore` hides it from the report.
FIRING_LEVELS = ("risk", "attention")
_FAMILIES = (("funding", "funding-concentration"), ("commitments", "commitments"))
LEVEL_ORDER = ("risk", "attention", "info", "ok", "n/a")


@dataclass
class Item:
    kind: str  # partner | agreement | decision | role
    id: str
    detail: object = ""
    other: tuple[str, str] | None = None  # a second link (kind, id), e.g. the receiver of a pair


@dataclass
class Finding:
    key: str  # the anchor on the page (`finding-<key>`); the check id unless `check` says otherwise
    # title, summary, why, action and the items' details: text translated when shown (i18n/message.py),
    # since a finding outlives the build that made it (data cache, serve rebuilds)
    title: object
    level: str  # risk | attention | info | ok | n/a (the data cannot say: `summary` says why)
    summary: object
    why: object
    items: list[Item] = field(default_factory=list)
    check: str = ""  # the stable id, when several findings share one (funding-USD, funding-EUR)
    action: object = ""  # one line for the report's summary: what to act on, naming the worst item
    more: str = ""  # a URL that explains the measure (CHAOSS for the elephant factor)

    @property
    def check_id(self) -> str:
        if self.check:
            return self.check
        for family, check in _FAMILIES:  # one finding per currency, one id for all of them
            if self.key == family or self.key.startswith(family + "-"):
                return check
        return self.key

    @property
    def shown(self) -> list[Item]:
        return self.items[:SHOWN_ITEMS]

    @property
    def hidden(self) -> int:
        return max(0, len(self.items) - SHOWN_ITEMS)

    @property
    def firing(self) -> bool:
        return self.level in FIRING_LEVELS


def visible(findings: list[Finding], levels: Mapping[str, str]) -> list[Finding]:
    """The findings the author has not set to `ignore`."""
    return [f for f in findings if levels.get(f.check_id) != "ignore"]


def finding_problems(findings: list[Finding], levels: Mapping[str, str], where: Source) -> list[Problem]:
    """A warning or an error for each firing finding the author set to `warn` or `error`
    (`where`: the Source of the `network` entry, the one place a whole-network finding belongs)."""
    problems = []
    for f in findings:
        level = levels.get(f.check_id)
        if f.firing and level in ("warn", "error"):
            problems.append(Problem(where.path, where.line or 0, "warning" if level == "warn" else "error",
                                    joined(("health: ", f.title, ": ", f.summary)), f.check_id))
    return problems
