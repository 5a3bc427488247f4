"""The health report: analysis metrics turned into findings a reader can act on.

Every list is worst first by impact (what the network would lose without the partners it
names, `impact.py`), the report opens with the three findings to act on first, and a
finding the data cannot support says why in one line (level `n/a`) instead of vanishing.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..data.model import Network
from ..i18n import labels, language
from ..i18n.message import Text, joined, later
from ..i18n.message import gettext_later as _
from ..i18n.message import ngettext_later as ngettext
from . import elephant, money_findings
from . import graphs as analysis
from .findings import LEVEL_ORDER, SHOWN_ITEMS, Finding, Item, visible
from .impact import NetworkImpact, network_impact
from .index import NetworkIndex
from .money import Money, compute_money

# Findings are kept (data cache, serve rebuilds) and shown later, maybe in another language:
# their text is a message id and arguments (i18n/message.py), translated when shown.
format_amount, format_date = later(language.format_amount), later(language.format_date)
format_number, format_percent = later(language.format_number), later(language.format_percent)
label = later(labels.label)

_RANK = {level: place for place, level in enumerate(LEVEL_ORDER)}
# Within a level, the order a reader should act in: losing partners and money first.
_PRIORITY = ("single-point-of-failure", "funding-concentration", "hollow-core", "commitments",
             "single-partner-role", "expiring-agreement", "ivn-unsigned", "decided-alone",
             "participation-gap", "thin-agreement", "hub-dependence", "one-way", "elephant-factor")
TOP_FINDINGS = 3


def _levels(network: Network, decision_id: str, partner_id: str) -> Text:
    level = network.decision(decision_id).participation[partner_id]
    return _("%(actual)s → %(desired)s", actual=label("level", level.actual), desired=label("level", level.desired))


def _pct(value: float) -> Text:
    return format_percent(value)


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


def _not_applicable(key: str, title: Text, reason: Text, why: Text) -> Finding:
    return Finding(key, title, "n/a", reason, why)


def _structure_findings(network: Network, impacts: NetworkImpact) -> list[Finding]:
    focal = network.focal
    out = []
    hub_why = _("When most value passes through one organisation, "
                "the network stalls whenever it is stretched or leaves.")
    share, through, total = analysis.hub_share(network)
    if not total:
        out.append(_not_applicable("hub-dependence", _("Hub dependence"),
                                   _("No current exchanges: hub dependence not computed."), hub_why))
    else:
        observed = analysis.observed_structure(share)
        declared = network.info.structure
        mismatch = declared is not None and (declared == "hub-and-spoke") != (observed == "hub-and-spoke")
        values = dict(through=format_number(through), total=format_number(total), share=_pct(share),
                      name=focal.name, observed=label("structure", observed))
        summary = (_("%(through)s of %(total)s current exchanges (%(share)s) involve %(name)s; the data reads as "
                     "%(observed)s, the handbook declares %(declared)s.",
                     declared=label("structure", declared), **values) if declared else
                   _("%(through)s of %(total)s current exchanges (%(share)s) involve %(name)s; the data reads as "
                     "%(observed)s.", **values))
        out.append(Finding(
            "hub-dependence", _("Hub dependence"), "attention" if share >= 0.5 or mismatch else "info",
            summary,
            hub_why,
            [Item("partner", focal.id, _("— %(share)s of exchanges", share=_pct(share)))],
            action=_("%(share)s of exchanges pass through %(name)s: let partners work with each other directly.",
                     share=_pct(share), name=focal.name),
        ))

    cut_why = _("Partners who alone connect others to the network are where a single exit hurts most. Ties are "
                "current exchanges, current funding and shared current projects (a weak tie: sharing a project says "
                "nothing about what flows). %(name)s is never counted: it cannot leave its own handbook.",
                name=focal.name)
    if len(impacts.adjacency) <= 1 or not impacts.adjacency.get(focal.id):
        out.append(_not_applicable("single-point-of-failure", _("Single points of failure"),
                                   _("%(name)s has no current tie: single points of failure not computed.",
                                     name=focal.name), cut_why))
    else:
        cutting = [i for i in impacts.ranked() if i.cut_off]
        items = []
        for i in cutting:
            money = joined((_(" · %(amount)s income (%(share)s)", amount=format_amount(m.income, m.currency),
                               share=_pct(m.income_share)) if m.income_share else
                             _(" · %(amount)s income", amount=format_amount(m.income, m.currency)))
                            for m in i.income_cut_off if m.income)
            items.append(Item("partner", i.partner_id,
                              ngettext("— cuts off %(num)s partner%(money)s", "— cuts off %(num)s partners%(money)s",
                                       len(i.cut_off), money=money)))
        worst = cutting[0] if cutting else None
        out.append(Finding(
            "single-point-of-failure", _("Single points of failure"), "risk" if cutting else "ok",
            (ngettext("%(num)s partner alone links others to %(name)s: if one left, the partners it links "
                      "would lose every path to %(name)s.",
                      "%(num)s partners alone link others to %(name)s: if one left, the partners it links "
                      "would lose every path to %(name)s.", len(cutting), name=focal.name) if cutting else
             _("Every partner reaches %(name)s by more than one path, or directly.", name=focal.name)),
            cut_why, items,
            action=(ngettext("%(partner)s alone links %(num)s partner to %(name)s: secure it and build a second path.",
                             "%(partner)s alone links %(num)s partners to %(name)s: secure it and build a second path.",
                             len(worst.cut_off), partner=network.partner(worst.partner_id).name, name=focal.name)
                    if worst else ""),
        ))

    roles_why = _("A building block carried by one partner has no fallback if that partner changes course.")
    if not any(p.roles for p in network.partners if p.active_on(network.as_of)):
        out.append(_not_applicable("single-partner-role", _("Roles with one partner"),
                                   _("No current partner names its roles: roles not checked."), roles_why))
    else:
        lonely = analysis.single_partner_roles(network)
        out.append(Finding(
            "single-partner-role", _("Roles with one partner"), "attention" if lonely else "ok",
            ngettext("%(num)s canvas role is served by a single partner.",
                     "%(num)s canvas roles are served by a single partner.", len(lonely)), roles_why,
            [Item("role", rid, _("— only"), ("partner", pid)) for rid, pid in lonely],
        ))
    return out


def _power_findings(network: Network, rank: Mapping[str, int]) -> list[Finding]:
    dominated_why = _("Partners who are only told about decisions that shape their work tend to disengage or leave.")
    gaps_why = _("The gap between the say partners have and the say they want is where trust erodes first.")
    if not network.decisions:
        return [_not_applicable("decided-alone", _("Decisions taken alone"),
                                _("No decisions recorded: power not checked."), dominated_why),
                _not_applicable("participation-gap", _("Participation gaps"),
                                _("No decisions recorded: gaps not checked."), gaps_why)]
    dominated = analysis.dominated_decisions(network)
    gaps = analysis.participation_gaps(network)
    last = len(rank)
    gaps.sort(key=lambda g: (-abs(g[2]), rank.get(g[1], last), g[0]))
    return [
        Finding(
            "decided-alone", _("Decisions taken alone"), "attention" if dominated else "ok",
            ngettext("%(num)s decision where one partner decides and everyone else is at most informed.",
                     "%(num)s decisions where one partner decides and everyone else is at most informed.",
                     len(dominated)),
            dominated_why,
            [Item("decision", did, _("— decided by"), ("partner", pid)) for did, pid in dominated],
        ),
        Finding(
            "participation-gap", _("Participation gaps"), "attention" if gaps else "ok",
            ngettext("%(num)s place where a partner's desired say differs from the actual one.",
                     "%(num)s places where a partner's desired say differs from the actual one.", len(gaps)),
            gaps_why,
            [Item("partner", pid, _("— %(levels)s in", levels=_levels(network, did, pid)), ("decision", did))
             for did, pid, _gap in gaps],
        ),
    ]


def _agreement_findings(network: Network, index: NetworkIndex) -> list[Finding]:
    out = []
    unsigned_why = _("Unwritten partnerships rest on the people who made them and are lost when those people move on.")
    if not any(network.network_of(p) == "ivn" for p in network.partners):
        out.append(_not_applicable("ivn-unsigned", _("Inner partners without a signed agreement"),
                                   _("No inner-network (IVN) partner: not checked."), unsigned_why))
    else:
        unsigned = analysis.ivn_without_signed_agreement(network)
        out.append(Finding(
            "ivn-unsigned", _("Inner partners without a signed agreement"), "attention" if unsigned else "ok",
            ngettext("%(num)s IVN partner works with the network without a signed agreement.",
                     "%(num)s IVN partners work with the network without a signed agreement.", len(unsigned)),
            unsigned_why, [Item("partner", pid) for pid in unsigned],
        ))

    weak_why = _("Gaps in an agreement — exit, conflict resolution, data — surface at the worst moment.")
    live = [a for a in network.agreements if a.status not in ("expired", "terminated")]
    scored = [a for a in live if index.completeness.get(a.id) is not None]
    not_scored = len(live) - len(scored)
    unscored_note = ngettext(" %(num)s agreement is not scored (no scorecard): neither thin nor complete.",
                             " %(num)s agreements are not scored (no scorecard): neither thin nor complete.",
                             not_scored) if not_scored else ""
    if not scored:
        out.append(_not_applicable("thin-agreement", _("Thin agreements"),
                                   (_("No current agreement has a scorecard: completeness not computed.")
                                    if live else _("No current agreement: completeness not computed.")), weak_why))
    else:
        weak = analysis.weak_agreements(network, index.completeness)
        if len(weak) == 1:  # the verb agrees with the thin ones, the noun with the scored ones
            summary = ngettext("%(weak)s of %(num)s scored agreement covers less than half of the scorecard.",
                               "%(weak)s of %(num)s scored agreements covers less than half of the scorecard.",
                               len(scored), weak=format_number(len(weak)))
        else:
            summary = ngettext("%(weak)s of %(num)s scored agreement cover less than half of the scorecard.",
                               "%(weak)s of %(num)s scored agreements cover less than half of the scorecard.",
                               len(scored), weak=format_number(len(weak)))
        out.append(Finding(
            "thin-agreement", _("Thin agreements"), "attention" if weak else "ok",
            summary + unscored_note,
            weak_why,
            [Item("agreement", aid, _("— %(share)s complete", share=_pct(index.completeness[aid] or 0)))
             for aid in weak],
        ))

    expiring_why = _("Renewal takes months; an agreement that lapses unnoticed leaves work and money without a basis.")
    if not any(a.status == "signed" and a.expires for a in network.agreements):
        out.append(_not_applicable("expiring-agreement", _("Agreements expiring within 90 days"),
                                   _("No signed agreement has an expiry date: expiry not checked."), expiring_why))
    else:
        expiring = analysis.expiring_agreements(network)
        horizon = network.as_of.fromordinal(network.as_of.toordinal() + 90)
        out.append(Finding(
            "expiring-agreement", _("Agreements expiring within 90 days"), "attention" if expiring else "ok",
            ngettext("%(num)s signed agreement expires by %(date)s.", "%(num)s signed agreements expire by %(date)s.",
                     len(expiring), date=format_date(horizon)), expiring_why,
            [Item("agreement", aid, _("— expires %(date)s", date=format_date(network.agreement(aid).expires)))
             for aid in expiring],
        ))
    return out


def _reciprocity_finding(network: Network) -> Finding:
    why = _("A partner who only gives, or only takes, has less reason to stay; name what flows back.")
    one_way, money_only = analysis.one_way_pairs(network)
    if not one_way and not money_only and not any(e.active_on(network.as_of) for e in network.exchanges):
        return _not_applicable("one-way", _("One-way relationships"),
                               _("No current exchanges: reciprocity not checked."), why)
    note = ngettext(" %(num)s pair where the data records money only is left out: what the money pays for "
                    "is real but not recorded.",
                    " %(num)s pairs where the data records money only are left out: what the money pays for "
                    "is real but not recorded.", money_only) if money_only else ""
    return Finding(
        "one-way", _("One-way relationships"), "info" if one_way else "ok",
        ngettext("%(num)s pair where value flows in one direction only.",
                 "%(num)s pairs where value flows in one direction only.", len(one_way)) + note, why,
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
    findings.append(elephant.finding(network, money))

    for f in findings:
        if f.check_id not in ("single-point-of-failure", "funding-concentration", "participation-gap",
                              "elephant-factor"):
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
