"""The health report: analysis metrics turned into findings a reader can act on.

Every list is worst first by impact (what the network would lose without the partners it
names, `impact.py`), the report opens with the three findings to act on first, and a
finding the data cannot support says why in one line (level `n/a`) instead of vanishing.
"""

from __future__ import annotations

from typing import Mapping

from . import analysis, money_findings
from .findings import LEVEL_ORDER, SHOWN_ITEMS, Finding, Item, visible
from .impact import NetworkImpact, network_impact
from .index import NetworkIndex
from .model import Network
from .money import Money, compute_money
from .i18n import format_amount
from .templating import plural

_RANK = {level: place for place, level in enumerate(LEVEL_ORDER)}
# Within a level, the order a reader should act in: losing partners and money first.
_PRIORITY = ("single-point-of-failure", "funding-concentration", "hollow-core", "commitments",
             "single-partner-role", "expiring-agreement", "ivn-unsigned", "decided-alone",
             "participation-gap", "thin-agreement", "hub-dependence", "one-way")
TOP_FINDINGS = 3


def _levels(network: Network, decision_id: str, partner_id: str) -> str:
    level = network.decision(decision_id).participation[partner_id]
    return f"{level.actual} → {level.desired}"


def _one(items, singular: str, plural_form: str) -> str:
    """The word that agrees with how many `items` there are ('holds' / 'hold')."""
    return singular if len(items) == 1 else plural_form


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _partners_of(network: Network, item: Item) -> list[str]:
    """The partners an item is about, whose impact places it in its list."""
    ids = [item.id] if item.kind == "partner" else []
    if item.kind == "agreement":
        ids += network.agreement(item.id).parties
    if item.kind == "decision":
        ids += list(network.decision(item.id).participation)
    if item.other and item.other[0] == "partner":
        ids.append(item.other[1])
    return ids


def _worst_first(network: Network, items: list[Item], rank: Mapping[str, int]) -> list[Item]:
    last = len(rank)
    return sorted(items, key=lambda item: min((rank.get(pid, last) for pid in _partners_of(network, item)),
                                              default=last))


def _money_finding(spec: dict) -> Finding:
    """A finding of money_findings.py (plain dicts, so that module needs nothing from this one)."""
    items = [Item(kind, item_id, detail) for kind, item_id, detail in spec["items"]]
    return Finding(spec["key"], spec["title"], spec["level"], spec["summary"], spec["why"], items)


def _not_applicable(key: str, title: str, reason: str, why: str) -> Finding:
    return Finding(key, title, "n/a", reason, why)


def _structure_findings(network: Network, impacts: NetworkImpact) -> list[Finding]:
    focal = network.focal
    out = []
    hub_why = "When most value passes through one organisation, the network stalls whenever it is stretched or leaves."
    share, through, total = analysis.hub_share(network)
    if not total:
        out.append(_not_applicable("hub-dependence", "Hub dependence",
                                   "No current exchanges: hub dependence not computed.", hub_why))
    else:
        observed = analysis.observed_structure(share)
        declared = network.info.structure
        mismatch = declared is not None and (declared == "hub-and-spoke") != (observed == "hub-and-spoke")
        out.append(Finding(
            "hub-dependence", "Hub dependence", "attention" if share >= 0.5 or mismatch else "info",
            f"{through} of {total} current exchanges ({_pct(share)}) involve {focal.name}; the data reads as "
            f"{observed}" + (f", the handbook declares {declared}" if declared else "") + ".",
            hub_why,
            [Item("partner", focal.id, f"— {_pct(share)} of exchanges")],
            action=f"{_pct(share)} of exchanges pass through {focal.name}: let partners work with each other directly.",
        ))

    cut_why = ("Partners who alone connect others to the network are where a single exit hurts most. Ties are "
               "current exchanges, current funding and shared current projects (a weak tie: sharing a project says "
               f"nothing about what flows). {focal.name} is never counted: it cannot leave its own handbook.")
    if len(impacts.adjacency) <= 1 or not impacts.adjacency.get(focal.id):
        out.append(_not_applicable("single-point-of-failure", "Single points of failure",
                                   f"{focal.name} has no current tie: single points of failure not computed.", cut_why))
    else:
        cutting = [i for i in impacts.ranked() if i.cut_off]
        items = []
        for i in cutting:
            money = "".join(f" · {format_amount(m.income, m.currency)} income"
                            + (f" ({_pct(m.income_share)})" if m.income_share else "")
                            for m in i.income_cut_off if m.income)
            items.append(Item("partner", i.partner_id, f"— cuts off {plural(len(i.cut_off), 'partner')}{money}"))
        worst = cutting[0] if cutting else None
        out.append(Finding(
            "single-point-of-failure", "Single points of failure", "risk" if cutting else "ok",
            (f"{plural(len(cutting), 'partner')} alone {_one(cutting, 'links', 'link')} others to {focal.name}: "
             "if one left, the partners it links "
             f"would lose every path to {focal.name}." if cutting else
             f"Every partner reaches {focal.name} by more than one path, or directly."),
            cut_why, items,
            action=(f"{network.partner(worst.partner_id).name} alone links {plural(len(worst.cut_off), 'partner')} to "
                    f"{focal.name}: secure it and build a second path." if worst else ""),
        ))

    roles_why = "A building block carried by one partner has no fallback if that partner changes course."
    if not any(p.roles for p in network.partners if p.active_on(network.as_of)):
        out.append(_not_applicable("single-partner-role", "Roles with one partner",
                                   "No current partner names its roles: roles not checked.", roles_why))
    else:
        lonely = analysis.single_partner_roles(network)
        out.append(Finding(
            "single-partner-role", "Roles with one partner", "attention" if lonely else "ok",
            f"{plural(len(lonely), 'canvas role')} {_one(lonely, 'is', 'are')} served by a single partner.", roles_why,
            [Item("role", rid, "— only", ("partner", pid)) for rid, pid in lonely],
        ))
    return out


def _power_findings(network: Network, rank: Mapping[str, int]) -> list[Finding]:
    dominated_why = "Partners who are only told about decisions that shape their work tend to disengage or leave."
    gaps_why = "The gap between the say partners have and the say they want is where trust erodes first."
    if not network.decisions:
        reason = "No decisions recorded: {} not checked."
        return [_not_applicable("decided-alone", "Decisions taken alone", reason.format("power"), dominated_why),
                _not_applicable("participation-gap", "Participation gaps", reason.format("gaps"), gaps_why)]
    dominated = analysis.dominated_decisions(network)
    gaps = analysis.participation_gaps(network)
    last = len(rank)
    gaps.sort(key=lambda g: (-abs(g[2]), rank.get(g[1], last), g[0]))
    return [
        Finding(
            "decided-alone", "Decisions taken alone", "attention" if dominated else "ok",
            f"{plural(len(dominated), 'decision')} where one partner decides and everyone else is at most informed.",
            dominated_why,
            [Item("decision", did, "— decided by", ("partner", pid)) for did, pid in dominated],
        ),
        Finding(
            "participation-gap", "Participation gaps", "attention" if gaps else "ok",
            f"{plural(len(gaps), 'place')} where a partner's desired say differs from the actual one.",
            gaps_why,
            [Item("partner", pid, f"— {_levels(network, did, pid)} in", ("decision", did)) for did, pid, _ in gaps],
        ),
    ]


def _agreement_findings(network: Network, index: NetworkIndex) -> list[Finding]:
    out = []
    unsigned_why = "Unwritten partnerships rest on the people who made them and are lost when those people move on."
    if not any(network.network_of(p) == "ivn" for p in network.partners):
        out.append(_not_applicable("ivn-unsigned", "Inner partners without a signed agreement",
                                   "No inner-network (IVN) partner: not checked.", unsigned_why))
    else:
        unsigned = analysis.ivn_without_signed_agreement(network)
        out.append(Finding(
            "ivn-unsigned", "Inner partners without a signed agreement", "attention" if unsigned else "ok",
            f"{plural(len(unsigned), 'IVN partner')} {_one(unsigned, 'works', 'work')} with the network without a signed agreement.",
            unsigned_why, [Item("partner", pid) for pid in unsigned],
        ))

    weak_why = "Gaps in an agreement — exit, conflict resolution, data — surface at the worst moment."
    live = [a for a in network.agreements if a.status not in ("expired", "terminated")]
    scored = [a for a in live if index.completeness.get(a.id) is not None]
    not_scored = len(live) - len(scored)
    unscored_note = f" {plural(not_scored, 'agreement')} {'is' if not_scored == 1 else 'are'} not scored (no `scorecard`): neither thin nor complete." \
        if not_scored else ""
    if not scored:
        out.append(_not_applicable("thin-agreement", "Thin agreements",
                                   ("No current agreement has a scorecard: completeness not computed."
                                    if live else "No current agreement: completeness not computed."), weak_why))
    else:
        weak = analysis.weak_agreements(network, index.completeness)
        out.append(Finding(
            "thin-agreement", "Thin agreements", "attention" if weak else "ok",
            f"{len(weak)} of {plural(len(scored), 'scored agreement')} {'covers' if len(weak) == 1 else 'cover'} less than half of the scorecard." + unscored_note,
            weak_why,
            [Item("agreement", aid, f"— {_pct(index.completeness[aid] or 0)} complete") for aid in weak],
        ))

    expiring_why = "Renewal takes months; an agreement that lapses unnoticed leaves work and money without a basis."
    if not any(a.status == "signed" and a.expires for a in network.agreements):
        out.append(_not_applicable("expiring-agreement", "Agreements expiring within 90 days",
                                   "No signed agreement has an `expires` date: expiry not checked.", expiring_why))
    else:
        expiring = analysis.expiring_agreements(network)
        horizon = network.as_of.fromordinal(network.as_of.toordinal() + 90).isoformat()
        out.append(Finding(
            "expiring-agreement", "Agreements expiring within 90 days", "attention" if expiring else "ok",
            f"{plural(len(expiring), 'signed agreement')} {_one(expiring, 'expires', 'expire')} by {horizon}.", expiring_why,
            [Item("agreement", aid, f"— expires {network.agreement(aid).expires}") for aid in expiring],
        ))
    return out


def _reciprocity_finding(network: Network) -> Finding:
    why = "A partner who only gives, or only takes, has less reason to stay; name what flows back."
    one_way, money_only = analysis.one_way_pairs(network)
    if not one_way and not money_only:
        if not any(e.active_on(network.as_of) for e in network.exchanges):
            return _not_applicable("one-way", "One-way relationships",
                                   "No current exchanges: reciprocity not checked.", why)
    note = (f" {plural(money_only, 'pair')} where the data records money only {'is' if money_only == 1 else 'are'} "
            "left out: what the money pays for "
            "is real but not recorded." if money_only else "")
    return Finding(
        "one-way", "One-way relationships", "info" if one_way else "ok",
        f"{plural(len(one_way), 'pair')} where value flows in one direction only." + note, why,
        [Item("partner", a, "→", ("partner", b)) for a, b in one_way],
    )


def health_report(network: Network, index: NetworkIndex | None = None, money: Money | None = None, *,
                  impacts: NetworkImpact | None = None, levels: Mapping[str, str] | None = None) -> dict:
    """`impacts` ranks every list (computed here if not given); `levels` are the author's
    check levels: findings set to `ignore` are left out."""
    index = index or NetworkIndex(network)
    money = money or compute_money(network)
    impacts = impacts or network_impact(network, money)
    rank = impacts.rank()
    findings: list[Finding] = []
    findings += _structure_findings(network, impacts)

    for spec in (money_findings.concentration(network, money) + money_findings.commitments(network, money)
                 + [money_findings.hollow_core(network, money)]):
        findings.append(_money_finding(spec))

    findings += _power_findings(network, rank)
    findings += _agreement_findings(network, index)
    findings.append(_reciprocity_finding(network))

    for f in findings:
        if f.check_id not in ("single-point-of-failure", "funding-concentration", "participation-gap"):
            f.items = _worst_first(network, f.items, rank)  # those three are ranked as they are built
    findings = visible(findings, levels or {})
    priority = {check: place for place, check in enumerate(_PRIORITY)}
    findings.sort(key=lambda f: (_RANK[f.level], priority.get(f.check_id, len(priority))))
    joined, left = analysis.changes(network)
    return {
        "findings": findings,
        "top": [f for f in findings if f.firing][:TOP_FINDINGS],
        "counts": {level: sum(1 for f in findings if f.level == level) for level in _RANK},
        "joined": joined,
        "left": left,
        "shown_items": SHOWN_ITEMS,
    }
