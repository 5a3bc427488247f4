"""The value network as immutable dataclasses.

Every object remembers where it was written (`source`) and the line of each of
its fields (`lines`), so checks and views can point authors at their YAML.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .schema import LEVELS


@dataclass(frozen=True)
class Source:
    path: str  # as shown to the user, relative to the handbook
    line: int | None = None  # 1-based

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def at(self, line: int | None) -> Source:
        return Source(self.path, line or self.line)


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A date written as YYYY, YYYY-MM or YYYY-MM-DD: the span it covers."""

    first: dt.date
    last: dt.date
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text


def _empty() -> Mapping:
    return MappingProxyType({})


@dataclass(frozen=True, kw_only=True)
class Record:
    source: Source
    lines: Mapping[str, int] = field(default_factory=_empty, repr=False, compare=False)
    visibility: str = "public"  # "internal": only the internal edition shows it (editions.py)

    def where(self, field_name: str) -> Source:
        """The source position of one field (or of the record if absent)."""
        return self.source.at(self.lines.get(field_name))


@dataclass(frozen=True, kw_only=True)
class Period(Record):
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None

    def active_on(self, day: dt.date) -> bool:
        if self.since and self.since.first > day:
            return False
        return not (self.until and self.until.last < day)

    def state_on(self, day: dt.date) -> str:
        """'current', 'future' (not yet joined) or 'past' (left)."""
        if self.since and self.since.first > day:
            return "future"
        if self.until and self.until.last < day:
            return "past"
        return "current"


@dataclass(frozen=True, kw_only=True)
class Role(Record):
    id: str = ""
    name: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Partner(Period):
    id: str = ""
    name: str = ""
    kind: str = "organisation"
    network: str | None = None  # "ivn" | "ovn"; None only for the focal partner
    ivn_criteria: tuple[str, ...] = ()
    ovn_type: str | None = None
    roles: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()
    receives: tuple[str, ...] = ()
    strategy: str | None = None
    country: str | None = None
    website: str | None = None
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()  # "scheme:value", unique across partners
    summary: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Exchange(Period):
    """A value exchange (a `relationships` entry): `source_id` delivers to `target_id`."""

    source_id: str = ""
    target_id: str = ""
    deliverable: str = ""
    nature: str = "tangible"
    kind: str | None = None
    agreement: str | None = None
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Agreement(Record):
    id: str = ""
    title: str = ""
    type: str | None = None
    parties: tuple[str, ...] = ()
    status: str | None = None
    signed: FuzzyDate | None = None
    expires: FuzzyDate | None = None
    url: str | None = None
    scorecard: Mapping[str, str] = field(default_factory=_empty, compare=False)
    scored: bool = False  # the data has a `scorecard`; without one the agreement is "not scored", never 0%
    notes: str = ""


@dataclass(frozen=True, kw_only=True)
class Funding(Period):
    source_id: str = ""
    target_id: str = ""
    amount: float = 0.0
    currency: str = ""
    instrument: str | None = None
    core: bool = False
    agreement: str | None = None
    date: FuzzyDate | None = None  # a single payment on that day (never with since/until)
    per: str | None = None  # "month" | "quarter" | "year": `amount` recurs each period
    purpose: str = ""

    @property
    def timing(self) -> str:
        """How the money is spread in time (content/guide/data-format.md, `funding`):
        'payment', 'period', 'recurring', 'one-off' (since alone) or 'undated'."""
        if self.date is not None:
            return "payment"
        if self.per is not None:
            return "recurring"
        if self.since is not None and self.until is not None:
            return "period"
        if self.since is not None:
            return "one-off"
        return "undated"

    def active_on(self, day: dt.date) -> bool:
        """An arrangement is active when its period covers `day`; a payment never is."""
        if self.date is not None:
            return False
        return super().active_on(day)

    def state_on(self, day: dt.date) -> str:
        if self.date is not None:
            return "future" if self.date.first > day else "past" if self.date.last < day else "current"
        return super().state_on(day)


@dataclass(frozen=True, kw_only=True)
class Project(Period):
    """Work partners share (a `projects` entry), whether or not the data records an exchange."""

    id: str = ""
    title: str = ""
    partners: Mapping[str, str] = field(default_factory=_empty, compare=False)  # partner id → role
    maintainers: Mapping[str, int] = field(default_factory=_empty, compare=False)  # partner id → maintainers
    independent_maintainers: int | None = None  # None: not given (the export then writes nothing)
    unknown_maintainers: int | None = None
    url: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Participation:
    actual: str
    desired: str
    visibility: str = "public"  # an entry may be internal while its decision is public

    @property
    def gap(self) -> int:
        """Steps on the participation ladder from actual to desired (+ = wants more say)."""
        return LEVELS.index(self.desired) - LEVELS.index(self.actual)


@dataclass(frozen=True, kw_only=True)
class Decision(Record):
    id: str = ""
    name: str = ""
    description: str = ""
    process: str = ""
    participation: Mapping[str, Participation] = field(default_factory=_empty, compare=False)


@dataclass(frozen=True, kw_only=True)
class NetworkInfo(Record):
    name: str = ""
    focal: str = ""
    structure: str | None = None
    as_of: FuzzyDate | None = None
    description: str = ""
    # funding.json's `history` and `plans`: each entry a mapping of schema.REPORTED_FIELDS / PLAN_FIELDS
    reported: tuple[Mapping[str, object], ...] = ()
    plans: tuple[Mapping[str, object], ...] = ()


@dataclass(frozen=True)
class Network:
    """The whole model: what every page, view and check reads."""

    info: NetworkInfo
    roles: tuple[Role, ...]
    partners: tuple[Partner, ...]
    exchanges: tuple[Exchange, ...]
    agreements: tuple[Agreement, ...]
    funding: tuple[Funding, ...]
    decisions: tuple[Decision, ...]
    scorecard_elements: tuple[str, ...]
    as_of: dt.date
    roles_defaulted: bool = False
    projects: tuple[Project, ...] = ()

    # Indexes, built on first use (cached_property writes the instance's __dict__, which a frozen
    # dataclass allows; they are not fields, so equality and replace() ignore them).
    @functools.cached_property
    def partner_by_id(self) -> dict[str, Partner]:
        return {p.id: p for p in self.partners}

    @functools.cached_property
    def role_by_id(self) -> dict[str, Role]:
        return {r.id: r for r in self.roles}

    @functools.cached_property
    def agreement_by_id(self) -> dict[str, Agreement]:
        return {a.id: a for a in self.agreements}

    @functools.cached_property
    def decision_by_id(self) -> dict[str, Decision]:
        return {d.id: d for d in self.decisions}

    @functools.cached_property
    def project_by_id(self) -> dict[str, Project]:
        return {p.id: p for p in self.projects}

    @property
    def focal(self) -> Partner:
        return self.partner_by_id[self.info.focal]

    def partner(self, partner_id: str) -> Partner:
        return self.partner_by_id[partner_id]

    def role(self, role_id: str) -> Role:
        return self.role_by_id[role_id]

    def agreement(self, agreement_id: str) -> Agreement:
        return self.agreement_by_id[agreement_id]

    def decision(self, decision_id: str) -> Decision:
        return self.decision_by_id[decision_id]

    def project(self, project_id: str) -> Project:
        return self.project_by_id[project_id]

    def network_of(self, partner: Partner) -> str:
        """'focal', 'ivn' or 'ovn'."""
        if partner.id == self.info.focal:
            return "focal"
        return partner.network or "ovn"


def scorecard_completeness(agreement: Agreement, elements: tuple[str, ...]) -> float | None:
    """(full + ½·partial) ÷ elements not `n/a`; elements left out count as missing, and
    `unknown` ones score nothing (the figure is then a lower bound, see `unknown_elements`).

    None when the agreement is not scored (no `scorecard`) or every element is `n/a`.
    """
    if not agreement.scored:
        return None
    ratings = [agreement.scorecard.get(element, "missing") for element in elements]
    counted = [r for r in ratings if r != "n/a"]
    if not counted:
        return None
    score = sum(1.0 if r == "full" else 0.5 if r == "partial" else 0.0 for r in counted)
    return score / len(counted)


def unknown_elements(agreement: Agreement, elements: tuple[str, ...]) -> int:
    """Scorecard elements rated `unknown`: completeness is a lower bound when this is not 0."""
    return sum(1 for element in elements if agreement.scorecard.get(element) == "unknown")
