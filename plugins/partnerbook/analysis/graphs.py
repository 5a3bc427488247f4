"""networkx views of the model, and the metrics the health report is made of.

Every metric is a pure function of a `Network` (or of plain numbers), so the
tests can feed it small hand-made networks whose answer is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..data.model import Network
from .impact import funding_is_current

if TYPE_CHECKING:
    import networkx as nx

# networkx is imported where a graph is made, not with this module: it takes a third of the time
# importing partnerbook takes (0.2 s), and a warm build, `check` on unchanged data or `new` make none.


def current_partner_ids(network: Network) -> set[str]:
    return {p.id for p in network.partners if p.active_on(network.as_of)}


def exchange_graph(network: Network, *, multi: bool = False, current_only: bool = False) -> nx.DiGraph:
    """Partners as nodes, value exchanges as directed edges."""
    import networkx as nx

    graph = nx.MultiDiGraph() if multi else nx.DiGraph()
    keep = current_partner_ids(network) if current_only else None
    for partner in network.partners:
        if keep is None or partner.id in keep:
            graph.add_node(partner.id, name=partner.name, kind=partner.kind,
                           network=network.network_of(partner), ovn_type=partner.ovn_type or "")
    for exchange in network.exchanges:
        if keep is not None and not (exchange.active_on(network.as_of)
                                     and exchange.source_id in keep and exchange.target_id in keep):
            continue
        attrs = {"deliverable": exchange.deliverable, "nature": exchange.nature, "kind": exchange.kind or ""}
        if multi:
            graph.add_edge(exchange.source_id, exchange.target_id, **attrs)
        elif graph.has_edge(exchange.source_id, exchange.target_id):
            graph.edges[exchange.source_id, exchange.target_id]["count"] += 1
        else:
            graph.add_edge(exchange.source_id, exchange.target_id, count=1, **attrs)
    return graph


# -- structure -------------------------------------------------------------------

def hub_share(network: Network) -> tuple[float, int, int]:
    """(share, exchanges touching the focal partner, all current exchanges)."""
    current = [e for e in network.exchanges if e.active_on(network.as_of)]
    focal = network.info.focal
    through = sum(1 for e in current if focal in (e.source_id, e.target_id))
    return (through / len(current) if current else 0.0), through, len(current)


def observed_structure(share: float) -> str:
    """Half or more of all exchanges through one partner reads as hub-and-spoke."""
    return "hub-and-spoke" if share >= 0.5 else "horizontal"


def articulation_points(network: Network) -> list[str]:
    """Partners whose removal splits the current exchange network into pieces (the health
    report ranks them with `impact.py`, which also counts funding and projects as ties)."""
    import networkx as nx

    graph = exchange_graph(network, current_only=True).to_undirected()
    return sorted(nx.articulation_points(graph))


def single_partner_roles(network: Network) -> list[tuple[str, str]]:
    """(role id, the one current partner) for roles served by exactly one partner."""
    members: dict[str, list[str]] = {r.id: [] for r in network.roles}
    for p in network.partners:
        if p.active_on(network.as_of):
            for role_id in p.roles:
                members[role_id].append(p.id)
    return [(role_id, ids[0]) for role_id, ids in members.items() if len(ids) == 1]


# -- funding -----------------------------------------------------------------------

def hhi(shares: Iterable[float]) -> float:
    """Herfindahl–Hirschman index on the 0–10,000 scale (10,000 = one funder)."""
    return sum((s * 100) ** 2 for s in shares)


def elephant_factor(shares: list[float]) -> int:
    """The smallest number of funders that together give at least half of the money."""
    covered, count = 0.0, 0
    for share in sorted(shares, reverse=True):
        covered += share
        count += 1
        if covered >= 0.5 - 1e-12:
            return count
    return count


def core_builders(network: Network) -> list[str]:
    """Current partners building on the shared core: they receive code from the focal
    organisation, or follow the component-platform strategy."""
    focal = network.info.focal
    ids = {e.target_id for e in network.exchanges
           if e.source_id == focal and e.kind == "code" and e.active_on(network.as_of)}
    ids |= {p.id for p in network.partners if p.strategy == "component-platform"}
    return sorted(pid for pid in ids if network.partner(pid).active_on(network.as_of) and pid != focal)


# -- power -------------------------------------------------------------------------

def dominated_decisions(network: Network) -> list[tuple[str, str]]:
    """(decision, decider) where one partner decides and every other is at most informed."""
    out = []
    order = ("excluded", "informed")
    for d in network.decisions:
        deciders = [pid for pid, level in d.participation.items() if level.actual == "decides"]
        others = [level for pid, level in d.participation.items() if pid not in deciders]
        if len(deciders) == 1 and others and all(level.actual in order for level in others):
            out.append((d.id, deciders[0]))
    return out


def participation_gaps(network: Network) -> list[tuple[str, str, int]]:
    """(decision, partner, gap) where desired ≠ actual, largest gap first."""
    gaps = [(d.id, pid, level.gap) for d in network.decisions for pid, level in d.participation.items() if level.gap]
    return sorted(gaps, key=lambda g: (-abs(g[2]), g[0], g[1]))


# -- agreements and reciprocity ----------------------------------------------------

def ivn_without_signed_agreement(network: Network) -> list[str]:
    signed = {party for a in network.agreements if a.status == "signed" for party in a.parties}
    return [p.id for p in network.partners
            if network.network_of(p) == "ivn" and p.active_on(network.as_of) and p.id not in signed]


def weak_agreements(network: Network, completeness: dict[str, float | None], below: float = 0.5) -> list[str]:
    return [a.id for a in network.agreements
            if a.status not in ("expired", "terminated") and (share := completeness.get(a.id)) is not None
            and share < below]


def expiring_agreements(network: Network, within_days: int = 90) -> list[str]:
    horizon = network.as_of + dt.timedelta(days=within_days)
    return [a.id for a in network.agreements
            if a.status == "signed" and a.expires and network.as_of <= a.expires.last <= horizon]


# Exchange kinds that are money: what such an exchange pays for is real, but data that
# records only the money cannot show it, so a money-only pair is never called one-way.
MONEY_KINDS = ("revenue", "money")


def one_way_pairs(network: Network) -> tuple[list[tuple[str, str]], int]:
    """((giver, receiver) pairs where value flows one way only, pairs left out because the data
    between them is money only). Current exchanges; a funding flow back counts as a counter-flow."""
    as_of = network.as_of
    kinds: dict[tuple[str, str], set[bool]] = {}
    for e in network.exchanges:
        if e.active_on(as_of) and e.source_id != e.target_id:
            kinds.setdefault((e.source_id, e.target_id), set()).add(e.kind in MONEY_KINDS)
    paid = {(f.source_id, f.target_id) for f in network.funding if funding_is_current(f, as_of)}
    one_way, money_only = [], 0
    for (a, b), money in sorted(kinds.items()):
        if (b, a) in kinds or (b, a) in paid:
            continue
        if money == {True}:
            money_only += 1
        else:
            one_way.append((a, b))
    return one_way, money_only


def changes(network: Network, days: int = 365) -> tuple[list[str], list[str]]:
    """(joined, left) within `days` before as_of."""
    start = network.as_of - dt.timedelta(days=days)
    joined = [p.id for p in network.partners if p.since and start < p.since.first <= network.as_of]
    left = [p.id for p in network.partners if p.until and start <= p.until.last < network.as_of]
    return joined, left
