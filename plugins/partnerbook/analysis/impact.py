"""What the network would lose without each partner: pure functions over the model.

For every current partner but the focal organisation: the partners who would lose
every path to the focal organisation, the canvas roles nobody else plays, the money
the focal organisation would lose and stop paying, the agreements that would end,
the projects left without an implementing partner, the decisions it takes or
shares, and the exchanges that stop.

Who is cut off is one depth-first search from the focal organisation over the
graph of current ties (Tarjan's low-link): removing partner v cuts off exactly
the DFS subtrees of those children c of v whose low-link does not reach above v.
Subtrees are ranges of the preorder, so every partner's count is known in one
pass, whatever the size of the network; names are only listed when asked for.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..data.model import Exchange, Funding, Network
from .names import full_name_of, suspect_reason

if TYPE_CHECKING:  # money.py imports this module (through graphs.py): the types only
    from .money import CounterpartMoney, Money

# Co-participation in a current project is a tie (the partners work together),
# but a weak one: it says nothing about what flows between them.
PROJECT_NODE = "project:"
IMPLEMENTING = re.compile(r"implement", re.IGNORECASE)
LIVE_AGREEMENT = ("expired", "terminated")
DECIDING = ("decides", "co-decides")


@dataclass(frozen=True)
class MoneyAtStake:
    """One currency: what the focal organisation would lose (income) and stop paying (spending)."""

    currency: str
    income: float = 0.0  # in the money window
    spending: float = 0.0
    income_committed: float = 0.0  # the 12 months after as_of
    spending_committed: float = 0.0
    income_share: float | None = None  # of the focal organisation's income in this currency

    @property
    def any(self) -> bool:
        return bool(self.income or self.spending or self.income_committed or self.spending_committed)


@dataclass(frozen=True)
class Impact:
    partner_id: str
    cut_off: tuple[str, ...] = ()  # partners who would lose every path to the focal organisation
    roles_emptied: tuple[str, ...] = ()  # roles no other current partner plays
    money: tuple[MoneyAtStake, ...] = ()  # with this partner, per currency
    income_cut_off: tuple[MoneyAtStake, ...] = ()  # income from it and the partners it cuts off
    agreements_ending: tuple[str, ...] = ()  # one party or none would be left
    agreements_losing_party: tuple[str, ...] = ()  # two or more parties remain
    projects_orphaned: tuple[str, ...] = ()  # current projects left without an implementing partner
    decisions: tuple[tuple[str, str], ...] = ()  # (decision id, decides | co-decides)
    tangible: tuple[Exchange, ...] = ()  # current exchanges that stop
    intangible: tuple[Exchange, ...] = ()
    current: bool = True  # False: the partner has left or not yet joined; nothing is lost today

    @property
    def income_share(self) -> float:
        """The largest share of the focal organisation's income (in any currency) it and the
        partners it cuts off bring: money in different currencies is compared by share only."""
        return max((m.income_share or 0.0 for m in self.income_cut_off), default=0.0)

    @property
    def rank_key(self) -> tuple:
        """Worst first: partners cut off, then income at stake, roles, projects, decisions,
        agreements and exchanges; ties by id so the order is reproducible."""
        return (-len(self.cut_off), -self.income_share, -len(self.roles_emptied), -len(self.projects_orphaned),
                -len(self.decisions), -len(self.agreements_ending), -(len(self.tangible) + len(self.intangible)),
                self.partner_id)

    @property
    def critical(self) -> bool:
        """Its leaving would cut partners off or leave a role, project or income without anyone."""
        return bool(self.cut_off or self.roles_emptied or self.projects_orphaned or self.income_share)


# -- the graph of current ties ------------------------------------------------------------

Window = tuple[dt.date, dt.date]  # first and last day, inclusive


def funding_is_current(flow: Funding, as_of: dt.date, window: Window | None = None) -> bool:
    """A tie today: an arrangement active on as_of, or a payment (or one-off) in the money window
    (default: the 365 days up to as_of)."""
    first, last = window or (as_of - dt.timedelta(days=364), as_of)
    if flow.timing == "payment":
        assert flow.date is not None  # the timing says which dates a flow has (model.Funding.timing)
        return first <= flow.date.first <= last
    if flow.timing == "one-off":
        assert flow.since is not None
        return first <= flow.since.first <= last
    return flow.active_on(as_of)


def tie_adjacency(network: Network, window: Window | None = None) -> dict[str, list[str]]:
    """Undirected adjacency of current partners: current exchanges, current funding flows, and
    current projects (each project is a node of its own joined to its partners, so a project of
    k partners adds k ties, not k²; it is never counted as a partner)."""
    as_of = network.as_of
    current = {p.id for p in network.partners if p.active_on(as_of)}
    adjacency: dict[str, set[str]] = {pid: set() for pid in sorted(current)}

    def tie(a: str, b: str) -> None:
        if a != b and a in adjacency and b in adjacency:
            adjacency[a].add(b)
            adjacency[b].add(a)

    for e in network.exchanges:
        if e.active_on(as_of):
            tie(e.source_id, e.target_id)
    for f in network.funding:
        if funding_is_current(f, as_of, window):
            tie(f.source_id, f.target_id)
    for project in network.projects:
        if project.active_on(as_of):
            node = PROJECT_NODE + project.id
            adjacency[node] = set()
            for pid in project.partners:
                tie(node, pid)
    return {node: sorted(neighbours) for node, neighbours in adjacency.items()}


@dataclass
class CutAnalysis:
    """Tarjan's low-link from one root: who each vertex cuts off from the root."""

    order: list[str]  # preorder of the nodes reachable from the root
    ranges: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # v → [start, end) of cut subtrees

    def cut_off(self, node: str) -> list[str]:
        return [self.order[i] for start, end in self.ranges.get(node, ()) for i in range(start, end)]

    def count(self, node: str, counted: list[int]) -> int:
        """Nodes cut off by `node` that count (prefix sums `counted` over the preorder)."""
        return sum(counted[end] - counted[start] for start, end in self.ranges.get(node, ()))


def cut_analysis(adjacency: Mapping[str, list[str]], root: str) -> CutAnalysis:
    """One iterative depth-first search from `root` (no recursion limit at any size)."""
    if root not in adjacency:
        return CutAnalysis([])
    disc: dict[str, int] = {root: 0}
    low: dict[str, int] = {root: 0}
    size: dict[str, int] = {}
    order = [root]
    children: dict[str, list[str]] = {root: []}
    stack = [(root, iter(adjacency[root]))]
    parent: dict[str, str | None] = {root: None}
    while stack:
        node, neighbours = stack[-1]
        advanced = False
        for nxt in neighbours:
            if nxt not in disc:
                disc[nxt] = low[nxt] = len(order)
                order.append(nxt)
                parent[nxt] = node
                children[node].append(nxt)
                children[nxt] = []
                stack.append((nxt, iter(adjacency[nxt])))
                advanced = True
                break
            if nxt != parent[node]:
                low[node] = min(low[node], disc[nxt])
        if advanced:
            continue
        stack.pop()
        size[node] = 1 + sum(size[c] for c in children[node])
        up = parent[node]
        if up is not None:
            low[up] = min(low[up], low[node])
    analysis = CutAnalysis(order)
    for node in order[1:]:
        cut = [(disc[c], disc[c] + size[c]) for c in children[node] if low[c] >= disc[node]]
        if cut:
            analysis.ranges[node] = cut
    return analysis


# -- per partner ------------------------------------------------------------------------

def _money_of(money: Money | None, partner_id: str) -> dict[str, CounterpartMoney]:
    return dict(money.with_partner(partner_id)) if money is not None else {}


def _at_stake(currency: str, m: CounterpartMoney) -> MoneyAtStake:
    return MoneyAtStake(currency, m.income_window, m.spending_window, m.income_committed,
                        m.spending_committed, m.income_share)


def _income_of(money: Money | None, partner_ids: list[str]) -> tuple[MoneyAtStake, ...]:
    income: dict[str, list[float]] = {}
    for pid in partner_ids:
        for currency, m in _money_of(money, pid).items():
            total = income.setdefault(currency, [0.0, 0.0, 0.0])
            total[0] += m.income_window
            total[1] += m.income_committed
            total[2] += m.income_share or 0.0
    return tuple(MoneyAtStake(c, income=v[0], income_committed=v[1], income_share=v[2])
                 for c, v in sorted(income.items()) if v[0] or v[1])


class NetworkImpact:
    """Every partner's impact, computed once per build; `of(pid)` for one partner."""

    def __init__(self, network: Network, money: Money | None = None):
        self.network = network
        self.money = money
        self.money_known = money is not None
        as_of = network.as_of
        focal = network.info.focal
        # payments count as ties in the window the money pages use, when the build has one
        self.adjacency = tie_adjacency(network, getattr(money, "window", None))
        self.cuts = cut_analysis(self.adjacency, focal)
        name = {p.id: p.name.casefold() for p in network.partners}
        self._name = name
        self.current = {p.id for p in network.partners if p.active_on(as_of)}

        holders: dict[str, list[str]] = {r.id: [] for r in network.roles}
        for p in network.partners:
            if p.id in self.current:
                for role_id in p.roles:
                    holders.setdefault(role_id, []).append(p.id)
        self._only_holder: dict[str, list[str]] = {}
        for role_id, ids in holders.items():
            if len(ids) == 1:
                self._only_holder.setdefault(ids[0], []).append(role_id)

        self._agreements: dict[str, list] = {}
        for a in network.agreements:
            if a.status in LIVE_AGREEMENT or (a.expires and a.expires.last < as_of):
                continue
            for party in dict.fromkeys(a.parties):
                self._agreements.setdefault(party, []).append(a)
        self._projects: dict[str, list[str]] = {}
        for project in network.projects:
            if not project.active_on(as_of):
                continue
            implementers = [pid for pid, role in project.partners.items()
                            if pid in self.current and IMPLEMENTING.search(role or "")]
            if len(implementers) == 1:
                self._projects.setdefault(implementers[0], []).append(project.id)
        self._decisions: dict[str, list[tuple[str, str]]] = {}
        for d in network.decisions:
            for pid, level in d.participation.items():
                if level.actual in DECIDING:
                    self._decisions.setdefault(pid, []).append((d.id, level.actual))
        self._exchanges: dict[str, list[Exchange]] = {}
        for e in network.exchanges:
            if e.active_on(as_of):
                for pid in dict.fromkeys((e.source_id, e.target_id)):
                    self._exchanges.setdefault(pid, []).append(e)
        self._cache: dict[str, Impact] = {}

    @functools.cached_property
    def _partners_before(self) -> list[int]:
        """Prefix sums over the search's preorder: how many of the first k nodes are partners."""
        counted = [0]
        for node in self.cuts.order:
            counted.append(counted[-1] + (not node.startswith(PROJECT_NODE)))
        return counted

    def cut_off_count(self, partner_id: str) -> int:
        """How many partners `partner_id` cuts off, without listing them."""
        return self.cuts.count(partner_id, self._partners_before)

    def of(self, partner_id: str) -> Impact:
        if partner_id not in self._cache:
            self._cache[partner_id] = self._compute(partner_id)
        return self._cache[partner_id]

    def _compute(self, pid: str) -> Impact:
        n = self.network
        if pid == n.info.focal or pid not in self.current:
            return Impact(pid, current=False)
        cut_off = sorted((x for x in self.cuts.cut_off(pid) if not x.startswith(PROJECT_NODE)),
                         key=lambda x: (self._name[x], x))
        money = tuple(_at_stake(c, m) for c, m in sorted(_money_of(self.money, pid).items()))
        ending: list[str] = []
        losing: list[str] = []
        for a in self._agreements.get(pid, ()):
            (ending if len(set(a.parties) - {pid}) <= 1 else losing).append(a.id)
        exchanges = self._exchanges.get(pid, [])
        return Impact(
            pid,
            cut_off=tuple(cut_off),
            roles_emptied=tuple(self._only_holder.get(pid, ())),
            money=tuple(m for m in money if m.any),
            income_cut_off=_income_of(self.money, [pid, *cut_off]),
            agreements_ending=tuple(ending),
            agreements_losing_party=tuple(losing),
            projects_orphaned=tuple(self._projects.get(pid, ())),
            decisions=tuple(self._decisions.get(pid, ())),
            tangible=tuple(e for e in exchanges if e.nature == "tangible"),
            intangible=tuple(e for e in exchanges if e.nature != "tangible"),
        )

    @functools.cached_property
    def _ranked(self) -> tuple[Impact, ...]:
        focal = self.network.info.focal
        partners = [p for p in self.network.partners if p.id in self.current and p.id != focal]
        # A name that is no name (a role word, a sentence: `suspect-name`) never leads the ranking, nor
        # through it the health report's first actions: the reader would be sent to act on junk data.
        suspect = {p.id for p in partners if suspect_reason(p.name, full_name_of(p.description))}
        impacts = [self.of(p.id) for p in partners]
        return tuple(sorted(impacts, key=lambda i: (i.partner_id in suspect, i.rank_key)))

    def ranked(self) -> list[Impact]:
        """Every current partner but the focal organisation, worst first (computed once)."""
        return list(self._ranked)

    @functools.cached_property
    def _places(self) -> dict[str, int]:
        return {i.partner_id: place for place, i in enumerate(self.ranked())}

    def rank(self) -> dict[str, int]:
        """Partner id → place in `ranked()` (0 = the worst loss); the focal organisation and
        partners not in the network today have none."""
        return self._places


def network_impact(network: Network, money: Money | None = None) -> NetworkImpact:
    return NetworkImpact(network, money)
