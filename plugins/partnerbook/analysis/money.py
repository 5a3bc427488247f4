"""Money, computed once per build: what every page, view and check says about funding.

Each flow is first turned into dated amounts with a direction (money_timing.py says how). Totals
are only ever made within one direction and one currency. Money on or before `as_of` has
happened; money after it, up to 12 months after `as_of`, is *committed* (expected); the per-year
table also shows committed money after that horizon for periods and recurring amounts with an
`until`.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from ..data.model import Network
from ..i18n.language import _, format_percent
from .graphs import hhi
from .money_timing import (  # noqa: F401  (read through money too)
    COMMITTED_MONTHS,
    FAR_MONTHS,
    FlowMoney,
    _direction,
    _slices,
    add_months,
    end_text,
    ended,
    timing_text,
)

DIRECTIONS = ("income", "spending", "elsewhere")
PASSED_ON = ("subgrant", "contract")  # spending instruments that pass income on to partners
# The funding window (option `funding_window_months`): income and spending without a year are the
# months up to `as_of`. Every default of the window reads this one.
WINDOW_MONTHS = 12
_ARRANGEMENTS = ("period", "recurring", "one-off")  # timings with a period that can be active


def format_share(share: float | None) -> str:
    """A share as every page shows it (the funding page, partner pages and health agree)."""
    return format_percent(share)


@dataclass
class Counterpart:
    partner: str
    window: float = 0.0
    all_time: float = 0.0  # everything dated up to as_of
    committed: float = 0.0  # the committed months after as_of
    share_window: float | None = None
    share_all_time: float | None = None
    flows: int = 0

    @property
    def share_text(self) -> str:
        return format_share(self.share_window)


@dataclass
class CurrencyTotals:
    """One direction in one currency."""

    window: float = 0.0
    all_time: float = 0.0
    committed: float = 0.0
    undated: float = 0.0
    undated_count: int = 0
    flows: int = 0
    years: dict[int, list[float]] = field(default_factory=dict)  # year → [happened, committed]
    counterparts: list[Counterpart] = field(default_factory=list)  # largest in the window first
    hhi_window: float | None = None
    hhi_all_time: float | None = None
    passed_on: float = 0.0  # spending only: as subgrants and contracts, in the window

    @property
    def largest(self) -> Counterpart | None:
        return self.counterparts[0] if self.counterparts and self.counterparts[0].window > 0 else None


@dataclass(frozen=True)
class CounterpartMoney:
    """Money between the focal organisation and one partner, in one currency (impact.py reads it)."""

    income_window: float
    spending_window: float
    income_committed: float
    spending_committed: float
    income_share: float | None  # income_window ÷ the focal organisation's income in that currency (window)
    income_all_time: float = 0.0
    spending_all_time: float = 0.0
    # (year, income, income committed, spending, spending committed): committed is after as_of
    years: tuple[tuple[int, float, float, float, float], ...] = ()

    @property
    def income_share_text(self) -> str:
        return format_share(self.income_share)


@dataclass
class Summary:
    """Totals of a set of flows: direction → currency → CurrencyTotals."""

    totals: dict[str, dict[str, CurrencyTotals]]
    edges: list[tuple[str, str, str, float, float]]  # (from, to, currency, window, all time), largest first
    window_empty: bool

    def currencies(self, direction: str) -> list[str]:
        return sorted(self.totals.get(direction, {}))

    def get(self, direction: str, currency: str) -> CurrencyTotals | None:
        return self.totals.get(direction, {}).get(currency)

    def passed_on_share(self, currency: str) -> float | None:
        """The share of the window's income in `currency` passed on as sub-grants and contracts."""
        income, spending = self.get("income", currency), self.get("spending", currency)
        if not income or not income.window or not spending:
            return None
        return spending.passed_on / income.window


@dataclass
class Commitment:
    """One currency: what the focal organisation will pay and expects to receive in the committed months."""

    currency: str
    spending: float
    income: float
    arrangements: list[tuple[FlowMoney, float]]  # spending arrangements active or committed, with their amount
    flagged: bool
    reason: str


class Money:
    """The money of one network, seen from its focal organisation."""

    def __init__(self, network: Network, window_months: int = WINDOW_MONTHS) -> None:
        self.network = network
        self.as_of = network.as_of
        self.focal = network.info.focal
        self.window_months = window_months
        self.window = (add_months(self.as_of, -window_months) + dt.timedelta(days=1), self.as_of)
        self.committed_window = (self.as_of + dt.timedelta(days=1), add_months(self.as_of, COMMITTED_MONTHS))
        self.flows = [FlowMoney(f, _direction(f, self.focal), _slices(f, self.as_of),
                                f.timing in _ARRANGEMENTS and f.active_on(self.as_of), f.timing == "undated")
                      for f in network.funding]
        self._by_partner: dict[str, list[FlowMoney]] = {}
        for fm in self.flows:
            self._by_partner.setdefault(fm.flow.source_id, []).append(fm)
            if fm.flow.target_id != fm.flow.source_id:
                self._by_partner.setdefault(fm.flow.target_id, []).append(fm)

    # -- the building block --------------------------------------------------

    def summarise(self, flows: list[FlowMoney] | None = None) -> Summary:
        """Totals of `flows` (all flows by default) per direction and currency."""
        flows = self.flows if flows is None else flows
        first, last = self.window
        c_first, c_last = self.committed_window
        totals: dict[str, dict[str, CurrencyTotals]] = {}
        people: dict[tuple[str, str], dict[str, Counterpart]] = {}
        edges: dict[tuple[str, str, str], list[float]] = {}
        for fm in flows:
            if fm.direction == "internal":
                continue
            f = fm.flow
            t = totals.setdefault(fm.direction, {}).setdefault(f.currency, CurrencyTotals())
            cp = people.setdefault((fm.direction, f.currency), {}).setdefault(fm.counterpart,
                                                                              Counterpart(fm.counterpart))
            edge = edges.setdefault((f.source_id, f.target_id, f.currency), [0.0, 0.0])
            t.flows += 1
            cp.flows += 1
            if fm.undated:
                t.undated += f.amount
                t.undated_count += 1
                continue
            window = all_time = committed = 0.0
            for day, amount in fm.slices:
                year = t.years.setdefault(day.year, [0.0, 0.0])
                if day <= last:
                    all_time += amount
                    year[0] += amount
                    if day >= first:
                        window += amount
                else:
                    year[1] += amount
                    if c_first <= day <= c_last:
                        committed += amount
            t.window += window
            t.all_time += all_time
            t.committed += committed
            cp.window += window
            cp.all_time += all_time
            cp.committed += committed
            edge[0] += window
            edge[1] += all_time
            if fm.direction == "spending" and f.instrument in PASSED_ON:
                t.passed_on += window
        for (direction, currency), by_partner in people.items():
            t = totals[direction][currency]
            ranked = sorted(by_partner.values(), key=lambda c: (-c.window, -c.all_time, c.partner))
            for c in ranked:
                c.share_window = c.window / t.window if t.window else None
                c.share_all_time = c.all_time / t.all_time if t.all_time else None
            t.counterparts = ranked
            # Shares are numbers where the total is not zero (above).
            t.hhi_window = hhi(c.share_window or 0.0 for c in ranked) if t.window else None
            t.hhi_all_time = hhi(c.share_all_time or 0.0 for c in ranked) if t.all_time else None
            t.years = dict(sorted(t.years.items()))
        ordered = {d: dict(sorted(totals[d].items())) for d in DIRECTIONS if d in totals}
        window_empty = not any(e[0] for e in edges.values())
        edge_list = sorted(((s, t, c, w, a) for (s, t, c), (w, a) in edges.items()),
                           key=lambda e: (e[2], -(e[3] if not window_empty else e[4]), e[0], e[1]))
        return Summary(ordered, edge_list, window_empty)

    @functools.cached_property
    def summary(self) -> Summary:
        """Totals of the whole network (what the funding page and the health report show)."""
        return self.summarise()

    def flows_of(self, partner_id: str) -> list[FlowMoney]:
        return self._by_partner.get(partner_id, [])

    # -- per partner ---------------------------------------------------------

    @functools.cached_property
    def _with_partner(self) -> dict[str, dict[str, CounterpartMoney]]:
        income = self.summary.totals.get("income", {})
        first, last = self.window
        c_first, c_last = self.committed_window
        acc: dict[str, dict[str, dict]] = {}
        for fm in self.flows:
            if fm.direction not in ("income", "spending") or fm.undated:
                continue
            currency = fm.flow.currency
            slot = acc.setdefault(fm.counterpart, {}).setdefault(currency, {
                "income_window": 0.0, "spending_window": 0.0, "income_committed": 0.0,
                "spending_committed": 0.0, "income_all_time": 0.0, "spending_all_time": 0.0, "years": {}})
            d = fm.direction
            column = 0 if d == "income" else 2
            for day, amount in fm.slices:
                year = slot["years"].setdefault(day.year, [0.0, 0.0, 0.0, 0.0])
                year[column + (day > last)] += amount
                if day <= last:
                    slot[f"{d}_all_time"] += amount
                    if day >= first:
                        slot[f"{d}_window"] += amount
                elif c_first <= day <= c_last:
                    slot[f"{d}_committed"] += amount
        out: dict[str, dict[str, CounterpartMoney]] = {}
        for partner_id, by_currency in acc.items():
            out[partner_id] = {}
            for currency, slot in sorted(by_currency.items()):
                total = income[currency].window if currency in income else 0.0
                years = tuple((y, *v) for y, v in sorted(slot.pop("years").items()))
                out[partner_id][currency] = CounterpartMoney(
                    income_share=slot["income_window"] / total if total else None, years=years, **slot)
        return out

    def with_partner(self, partner_id: str) -> dict[str, CounterpartMoney]:
        """Per currency, the money between the focal organisation and that partner (impact.py reads it)."""
        return self._with_partner.get(partner_id, {})

    # -- health --------------------------------------------------------------

    @functools.cached_property
    def commitments(self) -> list[Commitment]:
        """Per currency: the focal organisation's spending in the committed months against its income then.

        Flagged when it keeps active spending arrangements or commitments but expects no income
        in that currency, or commits more than it expects to receive."""
        c_first, c_last = self.committed_window
        by_currency: dict[str, dict] = {}
        for fm in self.flows:
            if fm.direction not in ("income", "spending") or fm.undated:
                continue
            coming = sum(a for day, a in fm.slices if c_first <= day <= c_last)
            slot = by_currency.setdefault(fm.flow.currency, {"income": 0.0, "spending": 0.0, "arrangements": []})
            slot[fm.direction] += coming
            if fm.direction == "spending" and (coming or fm.active):
                slot["arrangements"].append((fm, coming))
        out = []
        for currency, slot in sorted(by_currency.items()):
            spending, income, arrangements = slot["spending"], slot["income"], slot["arrangements"]
            arrangements.sort(key=lambda item: (-item[1], item[0].flow.target_id))
            if not arrangements:
                continue
            if not income:
                flagged, reason = True, _("no income expected")
            elif spending > income:
                flagged, reason = True, _("commits more than it expects to receive")
            else:
                flagged, reason = False, _("expected income covers the commitments")
            out.append(Commitment(currency, spending, income, arrangements, flagged, reason))
        return out

    def core_flows(self) -> tuple[list[FlowMoney], list[FlowMoney]]:
        """(core flows with money in the window or active on as_of, core flows that ended by as_of)."""
        first, last = self.window
        current, past = [], []
        for fm in self.flows:
            if not fm.flow.core:
                continue
            if fm.active or any(first <= day <= last for day, _amount in fm.slices):
                current.append(fm)
            elif (end := ended(fm)) is not None and end <= last:
                past.append(fm)
        return current, past


def compute_money(network: Network, window_months: int = WINDOW_MONTHS) -> Money:
    """The one money computation of a build (impact.py reads it)."""
    return Money(network, window_months)
