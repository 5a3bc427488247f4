"""What changed between two versions of a network: pure functions over two models and their analyses.

Everything is compared by id (partners, agreements, decisions), by what an exchange is (from, to,
deliverable, nature), by currency and counterpart (money), and by a finding's stable key and the
ids it names (health), never by translated text. Money is compared on the same window definition:
each version's window ends on its own `as_of` and spans the same number of months.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..data.model import Exchange, Network, Participation, scorecard_completeness
from .findings import Item
from .health import health_report
from .impact import DECIDING, NetworkImpact, network_impact
from .money import Money, compute_money

SECTIONS = ("partners", "exchanges", "agreements", "money", "decisions", "health")
TOP_PARTNERS = 10  # impact rank changes are reported for the partners in the top ten of either version
LARGEST_COUNTERPARTS = 5  # per currency and direction, the counterparts whose money changed most


@dataclass(frozen=True)
class Snapshot:
    """One version's network with the analyses the comparison reads."""

    network: Network
    money: Money
    impact: NetworkImpact
    health: Mapping[str, Any]

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.money.window


def snapshot(network: Network, window_months: int = 12, checks: Mapping[str, str] | None = None) -> Snapshot:
    money = compute_money(network, window_months)
    impact = network_impact(network, money)
    return Snapshot(network, money, impact, health_report(network, money=money, impacts=impact, levels=checks))


@dataclass(frozen=True)
class Change:
    section: str  # one of SECTIONS
    kind: str  # a stable id, e.g. partner-added, agreement-status (docs: the JSON output)
    subject: str  # the id of what changed: a partner, agreement, decision, currency or finding key
    partners: tuple[str, ...] = ()  # the partners it concerns (their pages say they changed)
    before: Any = None
    after: Any = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Changes:
    old: Snapshot
    new: Snapshot
    items: list[Change]

    def of_section(self, section: str) -> list[Change]:
        return [c for c in self.items if c.section == section]

    def partners_changed(self) -> dict[str, list[Change]]:
        """Partner id → the changes that concern it (partners of the new version only)."""
        out: dict[str, list[Change]] = {}
        for change in self.items:
            for partner_id in change.partners:
                if partner_id in self.new.network.partner_by_id:
                    out.setdefault(partner_id, []).append(change)
        return out

    def name(self, kind: str, item_id: str) -> str:
        """The name in the new version, else in the old one (what was removed keeps its name)."""
        for network in (self.new.network, self.old.network):
            tables: dict[str, Mapping[str, object]] = {
                "partner": network.partner_by_id, "agreement": network.agreement_by_id,
                "decision": network.decision_by_id, "role": network.role_by_id}
            table = tables[kind]
            if item_id in table:
                record = table[item_id]
                return getattr(record, "name", None) or getattr(record, "title", None) or item_id
        return item_id


def compare(old: Snapshot, new: Snapshot) -> Changes:
    items = (_partners(old.network, new.network) + _exchanges(old.network, new.network)
             + _agreements(old.network, new.network) + _money(old, new) + _decisions(old.network, new.network)
             + _health(old, new))
    return Changes(old, new, items)


# -- partners --------------------------------------------------------------------------------

def _gained_lost(kind: str, pid: str, before: tuple[str, ...], after: tuple[str, ...]) -> list[Change]:
    gained = [x for x in after if x not in before]
    lost = [x for x in before if x not in after]
    out = []
    if gained:
        out.append(Change("partners", f"{kind}-gained", pid, (pid,), list(before), list(after), {"items": gained}))
    if lost:
        out.append(Change("partners", f"{kind}-lost", pid, (pid,), list(before), list(after), {"items": lost}))
    return out


def _partners(old: Network, new: Network) -> list[Change]:
    out: list[Change] = []
    before, after = old.partner_by_id, new.partner_by_id
    for p in new.partners:
        if p.id not in before:
            out.append(Change("partners", "partner-added", p.id, (p.id,), None, new.network_of(p),
                              {"ovn_type": p.ovn_type}))
    for p in old.partners:
        if p.id not in after:
            out.append(Change("partners", "partner-removed", p.id, (p.id,), old.network_of(p), None,
                              {"ovn_type": p.ovn_type}))
    for p in new.partners:
        q = before.get(p.id)
        if q is None:
            continue
        if q.name != p.name:
            out.append(Change("partners", "partner-renamed", p.id, (p.id,), q.name, p.name))
        was, now = old.network_of(q), new.network_of(p)
        if was != now or (now == "ovn" and q.ovn_type != p.ovn_type):
            out.append(Change("partners", "partner-moved", p.id, (p.id,), {"network": was, "ovn_type": q.ovn_type},
                              {"network": now, "ovn_type": p.ovn_type}))
        out += _gained_lost("role", p.id, q.roles, p.roles)
        out += _gained_lost("criterion", p.id, q.ivn_criteria, p.ivn_criteria)
    return out


# -- exchanges -------------------------------------------------------------------------------

def _exchange_key(e: Exchange) -> tuple[str, str, str, str]:
    return (e.source_id, e.target_id, e.deliverable, e.nature)


def _exchanges(old: Network, new: Network) -> list[Change]:
    # A multiset: the same deliverable recorded twice between two partners counts twice.
    before = Counter(_exchange_key(e) for e in old.exchanges)
    after = Counter(_exchange_key(e) for e in new.exchanges)
    out = []
    for kind, keys in (("exchange-added", after - before), ("exchange-removed", before - after)):
        for (source, target, deliverable, nature), count in sorted(keys.items()):
            out.append(Change("exchanges", kind, f"{source}>{target}", (source, target), None, None,
                              {"from": source, "to": target, "deliverable": deliverable, "nature": nature,
                               "count": count}))
    return out


# -- agreements ------------------------------------------------------------------------------

def _agreements(old: Network, new: Network) -> list[Change]:
    out = []
    before, after = old.agreement_by_id, new.agreement_by_id
    for a in new.agreements:
        if a.id not in before:
            out.append(Change("agreements", "agreement-added", a.id, a.parties, None, a.status))
    for a in old.agreements:
        if a.id not in after:
            out.append(Change("agreements", "agreement-removed", a.id, a.parties, a.status, None))
    for a in new.agreements:
        b = before.get(a.id)
        if b is None:
            continue
        if a.status != b.status:
            out.append(Change("agreements", "agreement-status", a.id, a.parties, b.status, a.status))
        was = scorecard_completeness(b, old.scorecard_elements)
        now = scorecard_completeness(a, new.scorecard_elements)
        if was is not None and now is not None and round(was, 4) != round(now, 4):
            out.append(Change("agreements", "scorecard-up" if now > was else "scorecard-down", a.id, a.parties,
                              round(was, 4), round(now, 4)))
    return out


# -- money -----------------------------------------------------------------------------------

def _per_counterpart(money: Money, direction: str) -> dict[str, dict[str, float]]:
    """Currency → counterpart → amount in the window."""
    return {currency: {c.partner: c.window for c in totals.counterparts}
            for currency, totals in money.summary.totals.get(direction, {}).items()}


def _window_total(s: Snapshot, direction: str, currency: str) -> float:
    totals = s.money.summary.get(direction, currency)
    return round(totals.window, 2) if totals else 0.0


def _money(old: Snapshot, new: Snapshot) -> list[Change]:
    out = []
    currencies = sorted({c for s in (old, new) for d in ("income", "spending") for c in s.money.summary.currencies(d)})
    for currency in currencies:
        was = {d: _window_total(old, d, currency) for d in ("income", "spending")}
        now = {d: _window_total(new, d, currency) for d in ("income", "spending")}
        if was != now:
            out.append(Change("money", "money-totals", currency, (), was, now,
                              {"income": round(now["income"] - was["income"], 2),
                               "spending": round(now["spending"] - was["spending"], 2)}))
    largest: list[Change] = []
    for direction, role in (("income", "funder"), ("spending", "recipient")):
        before, after = _per_counterpart(old.money, direction), _per_counterpart(new.money, direction)
        for currency in currencies:
            b, a = before.get(currency, {}), after.get(currency, {})
            came_or_went = set()
            for pid in sorted(set(a) | set(b)):
                had, has = b.get(pid, 0.0) > 0, a.get(pid, 0.0) > 0
                if has != had:
                    came_or_went.add(pid)
                    gained = f"{role}-gained" if has else f"{role}-lost"
                    out.append(Change("money", gained, pid, (pid,), round(b.get(pid, 0.0), 2),
                                      round(a.get(pid, 0.0), 2), {"currency": currency}))
            # The largest changes among the counterparts that stayed (those that came or went are said above).
            moved = sorted(((round(a.get(pid, 0.0) - b.get(pid, 0.0), 2), pid)
                            for pid in (set(a) | set(b)) - came_or_went), key=lambda d: (-abs(d[0]), d[1]))
            for difference, pid in [m for m in moved if m[0]][:LARGEST_COUNTERPARTS]:
                largest.append(Change("money", "counterpart-change", pid, (pid,), round(b.get(pid, 0.0), 2),
                                      round(a.get(pid, 0.0), 2),
                                      {"currency": currency, "direction": direction, "difference": difference}))
    return out + largest


# -- decisions -------------------------------------------------------------------------------

def _decisions(old: Network, new: Network) -> list[Change]:
    out = []
    before, after = old.decision_by_id, new.decision_by_id
    for d in new.decisions:
        if d.id not in before:
            out.append(Change("decisions", "decision-added", d.id, tuple(d.participation)))
    for d in old.decisions:
        if d.id not in after:
            out.append(Change("decisions", "decision-removed", d.id, tuple(d.participation)))
    for d in new.decisions:
        e = before.get(d.id)
        if e is None:
            continue
        for pid in sorted(set(d.participation) | set(e.participation)):
            was, now = e.participation.get(pid), d.participation.get(pid)
            def as_dict(p: Participation | None) -> dict[str, str | None] | None:
                return ({"actual": p.actual, "desired": p.desired} if p else None)
            if was != now:
                out.append(Change("decisions", "participation-changed", d.id, (pid,), as_dict(was), as_dict(now),
                                  {"partner": pid}))
            had = bool(was and was.actual in DECIDING)
            has = bool(now and now.actual in DECIDING)
            if had != has:
                out.append(Change("decisions", "say-gained" if has else "say-lost", d.id, (pid,),
                                  was.actual if was else None, now.actual if now else None, {"partner": pid}))
    return out


# -- health ----------------------------------------------------------------------------------

def _item_key(item: Item) -> tuple:
    return (item.kind, item.id, item.other or ())


def _health(old: Snapshot, new: Snapshot) -> list[Change]:
    out = []
    before = {f.key: f for f in old.health["findings"] if f.firing}
    after = {f.key: f for f in new.health["findings"] if f.firing}
    for kind, found, gone in (("finding-appeared", after, before), ("finding-resolved", before, after)):
        for key, f in found.items():
            if key in gone:
                continue
            partners = tuple(i.id for i in f.items if i.kind == "partner")
            out.append(Change("health", kind, key, partners, None, None,
                              {"check": f.check_id, "title": f.title, "level": f.level, "items": len(f.items)}))
    for key in sorted(set(before) & set(after)):
        had = {_item_key(i): i for i in before[key].items}
        has = {_item_key(i): i for i in after[key].items}
        f = after[key]
        for kind, one, other in (("finding-item-appeared", has, had), ("finding-item-resolved", had, has)):
            for item_key in sorted(set(one) - set(other)):
                item = one[item_key]
                partners = tuple(x for x in (item.id if item.kind == "partner" else None,
                                             item.other[1] if item.other and item.other[0] == "partner" else None)
                                 if x)
                out.append(Change("health", kind, key, partners, None, None,
                                  {"check": f.check_id, "title": f.title, "item": {"kind": item.kind, "id": item.id},
                                   "other": ({"kind": item.other[0], "id": item.other[1]} if item.other else None)}))
    old_rank, new_rank = old.impact.rank(), new.impact.rank()
    top = [i.partner_id for i in new.impact.ranked()[:TOP_PARTNERS]]
    top += [i.partner_id for i in old.impact.ranked()[:TOP_PARTNERS] if i.partner_id not in top]
    for pid in top:
        was, now = old_rank.get(pid), new_rank.get(pid)
        if was != now:
            out.append(Change("health", "impact-rank", pid, (pid,), None if was is None else was + 1,
                              None if now is None else now + 1))
    return out
