"""Warnings about a network that loads but looks wrong (README, "Check ids: warnings and findings")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..base.problems import Problem, apply_check_levels
from ..data.load import LoadResult, load_network
from ..data.model import Network, Source
from . import elephant
from .findings import DEFAULT_LEVELS, FINDING_CHECKS, finding_problems
from .health import health_report
from .money import WINDOW_MONTHS, compute_money
from .names import full_name_of, suspect_reason

# Stable ids of the warnings (README, "Check ids"): authors set each to ignore | warn | error
# with the plugin's `checks:` option or `partnerbook check --check ID=LEVEL`.
WARNING_CHECKS = {
    "ivn-no-criteria": "an IVN partner that meets none of the IVN criteria",
    "ovn-signed": "an OVN partner with a signed agreement with the focal organisation",
    "expired-signed": "an agreement past its `expires` date still `signed`",
    "no-relationship": "a partner in no relationship and no project",
    "long-name": "a partner `name` longer than 120 characters (diagrams shorten it)",
    "self-exchange": "a relationship or funding flow from a partner to itself",
    "ovn-ivn-fields": "an OVN partner with `ivn_criteria` or `strategy`, which describe IVN partners",
    "ivn-ovn-type": "an IVN partner with an `ovn_type`, which classifies OVN partners",
    "focal-network": "the focal partner with `network:` (it is the centre, in neither ring)",
    "suspect-name": "a partner name that is no name: a role word, a placeholder or a sentence",
}
KNOWN_CHECKS = dict(WARNING_CHECKS) | FINDING_CHECKS  # the health report's findings, too

# Names longer than this are shortened in diagrams and make long table cells; real published
# data has such names (an IATI publisher's "name" of 17,262 characters), so it is a warning.
NAME_LIMIT = 120
LISTED = 70  # a warning lists items up to about this many characters, then "and N more": one short line


def listed(items: list[str], width: int = LISTED) -> str:
    """'a', 'b' and 4 more."""
    shown: list[str] = []
    for item in items:
        if shown and len(", ".join([*shown, item])) > width:
            break
        shown.append(item)
    rest = len(items) - len(shown)
    return f"{', '.join(shown)} and {rest} more" if rest else ", ".join(shown)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _warn(source: Source, message: str, check: str) -> Problem:
    return Problem(source.path, source.line or 0, "warning", message, check)


def network_warnings(network: Network) -> list[Problem]:
    warnings: list[Problem] = []
    in_exchanges = {e.source_id for e in network.exchanges} | {e.target_id for e in network.exchanges}
    in_exchanges |= {pid for project in network.projects for pid in project.partners}
    # An agreement is an IVN criterion when it is with the focal organisation (spec section 5): one
    # between two other organisations makes neither of them inner.
    focal = network.info.focal
    signed_by: dict[str, list[str]] = {}
    for agreement in network.agreements:
        if agreement.status == "signed" and focal in agreement.parties:
            for party in agreement.parties:
                signed_by.setdefault(party, []).append(agreement.id)

    for partner in network.partners:
        kind = network.network_of(partner)
        if kind == "ivn" and not partner.ivn_criteria:
            warnings.append(_warn(partner.where("network"),
                                  f"IVN partner '{partner.id}' meets none of the IVN criteria "
                                  "(develops, agreement, function, joint-planning): add `ivn_criteria` "
                                  "or move it to the OVN", "ivn-no-criteria"))
        if kind == "ovn" and partner.id in signed_by:
            agreements = listed([f"'{a}'" for a in signed_by[partner.id]], 40)
            warnings.append(_warn(partner.where("network"),
                                  f"OVN partner '{partner.id}' has a signed agreement with the focal organisation "
                                  f"({agreements}), an IVN criterion: move it to the IVN (ivn_criteria: [agreement]) "
                                  "or set ovn-signed to ignore (`checks:` or `--check`)", "ovn-signed"))
        if len(partner.name) > NAME_LIMIT:
            warnings.append(_warn(partner.where("name"),
                                  f"the name of partner '{partner.id}' is {len(partner.name):,} characters long "
                                  f"(more than {NAME_LIMIT}): diagrams show it shortened; put the detail in "
                                  "`summary` or `description`", "long-name"))
        reason = suspect_reason(partner.name, full_name_of(partner.description))
        if reason:
            warnings.append(_warn(partner.where("name"),
                                  f"the name of partner '{partner.id}' ('{_short(partner.name)}') looks like {reason}: "
                                  "write the organisation's name, or set the check `suspect-name` to ignore",
                                  "suspect-name"))
        if partner.id not in in_exchanges:
            warnings.append(_warn(partner.source,
                                  f"partner '{partner.id}' is in no relationship: "
                                  "add the value it exchanges under `relationships`", "no-relationship"))

    warnings += _contradictions(network)
    for agreement in network.agreements:
        if agreement.status == "signed" and agreement.expires and agreement.expires.last < network.as_of:
            warnings.append(_warn(agreement.where("status"),
                                  f"agreement '{agreement.id}' expired on {agreement.expires} "
                                  f"(as of {network.as_of.isoformat()}) but is still 'signed': "
                                  "renew it or set status: expired", "expired-signed"))
    return warnings


def _contradictions(network: Network) -> list[Problem]:
    """Fields that say opposite things about one record: each was silently ignored before."""
    found = []
    for partner in network.partners:
        kind = network.network_of(partner)
        if kind == "focal" and partner.network:
            found.append(_warn(partner.where("network"),
                               f"'{partner.id}' is the focal partner (network.focal): it is the centre of the "
                               f"network, in neither ring; remove `network: {partner.network}`", "focal-network"))
        if kind == "ovn":
            written = [f"`{name}`" for name in ("ivn_criteria", "strategy") if getattr(partner, name)]
            if written:
                found.append(_warn(partner.where("ivn_criteria" if partner.ivn_criteria else "strategy"),
                                   f"OVN partner '{partner.id}' has {' and '.join(written)}, which describe "
                                   "inner-network partners: move it to the IVN (network: ivn) or remove "
                                   f"{'them' if len(written) > 1 else 'it'}", "ovn-ivn-fields"))
        if kind == "ivn" and partner.ovn_type:
            found.append(_warn(partner.where("ovn_type"),
                               f"IVN partner '{partner.id}' has `ovn_type: {partner.ovn_type}`, which classifies "
                               "outer-network partners: remove it, or move the partner to the OVN "
                               "(network: ovn)", "ivn-ovn-type"))
    for flows, what in ((network.exchanges, "relationship"), (network.funding, "funding flow")):
        for flow in flows:
            if flow.source_id == flow.target_id:
                found.append(_warn(flow.where("to"),
                                   f"{what} from '{flow.source_id}' to itself: an exchange needs two "
                                   "different partners; fix `from` or `to`", "self-exchange"))
    return found


def check_data(data_dir: Path, *, checks: dict[str, str] | None = None, window_months: int = WINDOW_MONTHS,
               **options: Any) -> LoadResult:
    """Load the data folder and add the warnings: what `partnerbook check` and every build run.

    `checks` (id → ignore | warn | error) is the author's choice per check; validate it first
    with `problems.check_level_errors(checks, KNOWN_CHECKS)`. `window_months` is the
    `funding_window_months` option: the money findings are judged on the build's window."""
    result = load_network(data_dir, **options)
    levels = dict(checks or {})
    if result.network is not None:
        if elephant.records_maintainers(result.network):  # FOSS data: the elephant factor warns unless set
            levels = DEFAULT_LEVELS | levels
        result.problems.extend(network_warnings(result.network))
        raised = [check for check in FINDING_CHECKS if levels.get(check) in ("warn", "error")]
        if raised == ["elephant-factor"]:  # the default: that finding alone, without the whole report
            money = compute_money(result.network, window_months)
            found = [elephant.finding(result.network, money)]
            result.problems.extend(finding_problems(found, levels, result.network.info.source))
        elif raised:
            # Only then is the health report needed here; the build computes it again for its page.
            report = health_report(result.network, money=compute_money(result.network, window_months),
                                   levels=checks)
            result.problems.extend(finding_problems(report["findings"], levels, result.network.info.source))
    if checks:
        result.problems[:] = apply_check_levels(result.problems, checks)
        if result.network is not None and any(p.is_error for p in result.problems):
            result.network = None  # a warning raised to an error stops the build like any error
    return result
