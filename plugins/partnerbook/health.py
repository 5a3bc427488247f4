"""The health report: analysis metrics turned into findings a reader can act on."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import analysis, money_findings
from .index import NetworkIndex
from .model import Network
from .money import Money, compute_money

SHOWN_ITEMS = 12  # the report stays readable at 1,000 partners: the rest is counted


@dataclass
class Item:
    kind: str  # partner | agreement | decision | role
    id: str
    detail: str = ""
    other: tuple[str, str] | None = None  # a second link (kind, id), e.g. the receiver of a pair


@dataclass
class Finding:
    key: str
    title: str
    level: str  # ok | info | attention | risk
    summary: str
    why: str
    items: list[Item] = field(default_factory=list)

    @property
    def shown(self) -> list[Item]:
        return self.items[:SHOWN_ITEMS]

    @property
    def hidden(self) -> int:
        return max(0, len(self.items) - SHOWN_ITEMS)


_RANK = {"risk": 0, "attention": 1, "info": 2, "ok": 3}


def _levels(network: Network, decision_id: str, partner_id: str) -> str:
    level = network.decision(decision_id).participation[partner_id]
    return f"{level.actual} → {level.desired}"


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _money_finding(spec: dict) -> Finding:
    """A finding of money_findings.py (plain dicts, so that module needs nothing from this one)."""
    items = [Item(kind, item_id, detail) for kind, item_id, detail in spec["items"]]
    return Finding(spec["key"], spec["title"], spec["level"], spec["summary"], spec["why"], items)


def health_report(network: Network, index: NetworkIndex | None = None, money: Money | None = None) -> dict:
    index = index or NetworkIndex(network)
    findings: list[Finding] = []
    focal = network.focal

    share, through, total = analysis.hub_share(network)
    observed = analysis.observed_structure(share)
    declared = network.info.structure
    mismatch = declared is not None and (declared == "hub-and-spoke") != (observed == "hub-and-spoke")
    findings.append(Finding(
        "hub", "Hub dependence", "attention" if share >= 0.5 or mismatch else "info",
        f"{through} of {total} current exchanges ({_pct(share)}) involve {focal.name}; the data reads as "
        f"{observed}" + (f", the handbook declares {declared}" if declared else "") + ".",
        "When most value passes through one organisation, the network stalls whenever it is stretched or leaves.",
        [Item("partner", focal.id, f"— {_pct(share)} of exchanges")],
    ))

    cut = analysis.articulation_points(network)
    findings.append(Finding(
        "cut", "Single points of failure", "risk" if cut else "ok",
        f"{len(cut)} partner(s) hold the network together: without them it falls apart into pieces.",
        "Partners who alone connect parts of the network are where a single exit hurts most.",
        [Item("partner", pid) for pid in cut],
    ))
    lonely = analysis.single_partner_roles(network)
    findings.append(Finding(
        "roles", "Roles with one partner", "attention" if lonely else "ok",
        f"{len(lonely)} canvas role(s) are served by a single partner.",
        "A building block carried by one partner has no fallback if that partner changes course.",
        [Item("role", rid, "— only", ("partner", pid)) for rid, pid in lonely],
    ))

    money = money or compute_money(network)
    for spec in (money_findings.concentration(network, money) + money_findings.commitments(network, money)
                 + [money_findings.hollow_core(network, money)]):
        findings.append(_money_finding(spec))

    dominated = analysis.dominated_decisions(network)
    findings.append(Finding(
        "dominated", "Decisions taken alone", "attention" if dominated else "ok",
        f"{len(dominated)} decision(s) where one partner decides and everyone else is at most informed.",
        "Partners who are only told about decisions that shape their work tend to disengage or leave.",
        [Item("decision", did, "— decided by", ("partner", pid)) for did, pid in dominated],
    ))
    gaps = analysis.participation_gaps(network)
    findings.append(Finding(
        "gaps", "Participation gaps", "attention" if gaps else "ok",
        f"{len(gaps)} place(s) where a partner's desired say differs from the actual one.",
        "The gap between the say partners have and the say they want is where trust erodes first.",
        [Item("partner", pid, f"— {_levels(network, did, pid)} in", ("decision", did)) for did, pid, _ in gaps],
    ))

    unsigned = analysis.ivn_without_signed_agreement(network)
    findings.append(Finding(
        "unsigned", "Inner partners without a signed agreement", "attention" if unsigned else "ok",
        f"{len(unsigned)} IVN partner(s) work with the network without a signed agreement.",
        "Unwritten partnerships rest on the people who made them and are lost when those people move on.",
        [Item("partner", pid) for pid in unsigned],
    ))
    weak = analysis.weak_agreements(network, index.completeness)
    findings.append(Finding(
        "weak", "Thin agreements", "attention" if weak else "ok",
        f"{len(weak)} agreement(s) cover less than half of the scorecard.",
        "Gaps in an agreement — exit, conflict resolution, data — surface at the worst moment.",
        [Item("agreement", aid, f"— {_pct(index.completeness[aid] or 0)} complete") for aid in weak],
    ))
    expiring = analysis.expiring_agreements(network)
    findings.append(Finding(
        "expiring", "Agreements expiring within 90 days", "attention" if expiring else "ok",
        f"{len(expiring)} signed agreement(s) expire by "
        f"{(network.as_of.fromordinal(network.as_of.toordinal() + 90)).isoformat()}.",
        "Renewal takes months; an agreement that lapses unnoticed leaves work and money without a basis.",
        [Item("agreement", aid, f"— expires {network.agreement(aid).expires}") for aid in expiring],
    ))

    one_way = analysis.one_way_pairs(network)
    findings.append(Finding(
        "reciprocity", "One-way relationships", "info" if one_way else "ok",
        f"{len(one_way)} pair(s) where value flows in one direction only.",
        "A partner who only gives, or only takes, has less reason to stay; name what flows back.",
        [Item("partner", a, "→", ("partner", b)) for a, b in one_way],
    ))

    findings.sort(key=lambda f: _RANK[f.level])
    joined, left = analysis.changes(network)
    return {
        "findings": findings,
        "counts": {level: sum(1 for f in findings if f.level == level) for level in _RANK},
        "joined": joined,
        "left": left,
        "shown_items": SHOWN_ITEMS,
    }
