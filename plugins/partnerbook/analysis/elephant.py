"""The CHAOSS elephant factor: the fewest organisations that together hold at least half of a whole.

CHAOSS defines it on commits; a handbook applies it to three wholes it records:
- the focal organisation's income in the funding window, per currency (money.py's counterparts);
- a project's maintainers (`maintainers`, `independent_maintainers`, `unknown_maintainers`);
- the decision seats: (decision, partner) pairs where the partner actually decides or co-decides.

Individuals count one each: a maintainer who works for no organisation, or one whose employer is
not known (reported apart as unknown), is a holder of one. A partner of kind `group` stands for
many people the data does not count (an importer's "individual contributors"): when half cannot
be reached without it, the factor is only known to exceed the organisations counted before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..data.model import Network, Project
from ..i18n import language
from ..i18n.message import Text, later
from ..i18n.message import gettext_later as _
from ..i18n.message import ngettext_later as ngettext
from .findings import Finding, Item
from .money import Money

# The finding is kept (data cache, server rebuilds) and shown later, maybe in another language:
# its text is a message id and arguments, translated when shown (i18n/message.py).
format_number, format_percent = later(language.format_number), later(language.format_percent)

CHAOSS_URL = "https://chaoss.community/kb/metric-elephant-factor/"
DECIDING = ("decides", "co-decides")
INDEPENDENT, UNKNOWN = "independent", "unknown"  # holders that are one person, not a partner


@dataclass(frozen=True)
class Holder:
    """One part of a whole: a partner (`partner` its id), or one person (`kind` independent | unknown)."""

    kind: str  # partner | group | independent | unknown
    size: float
    partner: str | None = None


@dataclass(frozen=True)
class Elephant:
    """The elephant factor of one whole."""

    whole: str  # income | project | decisions
    subject: str  # the currency, the project id, or "" for the decision seats
    total: float
    holders: tuple[Holder, ...]  # largest first
    factor: int  # the holders counted to reach half; with `reached` False, the factor exceeds it
    reached: bool = True

    @property
    def counted(self) -> tuple[Holder, ...]:
        return self.holders[: self.factor]

    @property
    def elephants(self) -> tuple[str, ...]:
        """Partner ids among the holders counted."""
        return tuple(h.partner for h in self.counted if h.partner)

    @property
    def unknown(self) -> int:
        return sum(1 for h in self.holders if h.kind == UNKNOWN)

    @property
    def independent(self) -> int:
        return sum(1 for h in self.holders if h.kind == INDEPENDENT)

    @property
    def flagged(self) -> bool:
        """One organisation holds half or more (a lone independent maintainer is one person, not an elephant)."""
        return self.reached and self.factor == 1 and self.holders[0].partner is not None


def factor(holders: list[Holder], whole: str, subject: str) -> Elephant | None:
    """Greedy from the largest holder: the fewest holders reaching half of the whole (None when it is empty)."""
    total = sum(h.size for h in holders)
    if total <= 0:
        return None
    ordered = tuple(sorted(holders, key=lambda h: (-h.size, h.kind == "group", h.partner or "")))
    covered, count = 0.0, 0
    for holder in ordered:
        if holder.kind == "group":  # many people of unknown number: the factor is more than `count`
            return Elephant(whole, subject, total, ordered, count, reached=False)
        covered += holder.size
        count += 1
        if covered >= total / 2 - 1e-9 * total:
            return Elephant(whole, subject, total, ordered, count)
    return Elephant(whole, subject, total, ordered, count)


def _partner_holder(network: Network, partner_id: str, size: float) -> Holder:
    kind = "group" if network.partner(partner_id).kind == "group" else "partner"
    return Holder(kind, size, partner_id)


def income(network: Network, money: Money) -> dict[str, Elephant]:
    """Per currency: the focal organisation's income in the window, by counterpart."""
    out = {}
    for currency, totals in sorted(money.summary.totals.get("income", {}).items()):
        holders = [_partner_holder(network, c.partner, c.window) for c in totals.counterparts if c.window > 0]
        result = factor(holders, "income", currency)
        if result is not None:
            out[currency] = result
    return out


def has_maintainers(project: Project) -> bool:
    return bool(project.maintainers) or bool(project.independent_maintainers) or bool(project.unknown_maintainers)


def records_maintainers(network: Network) -> bool:
    """FOSS data: some project counts its maintainers (then `elephant-factor` warns unless set)."""
    return any(has_maintainers(p) for p in network.projects)


def project(network: Network, item: Project) -> Elephant | None:
    """A project's maintainers: each organisation by the maintainers it employs, each individual as one."""
    if not has_maintainers(item):
        return None
    holders = [_partner_holder(network, pid, n) for pid, n in item.maintainers.items() if n > 0]
    holders += [Holder(INDEPENDENT, 1)] * (item.independent_maintainers or 0)
    holders += [Holder(UNKNOWN, 1)] * (item.unknown_maintainers or 0)
    return factor(holders, "project", item.id)


def projects(network: Network) -> dict[str, Elephant]:
    out = {}
    for item in network.projects:
        result = project(network, item)
        if result is not None:
            out[item.id] = result
    return out


def decisions(network: Network) -> Elephant | None:
    """The decision seats: one per decision a partner actually decides or co-decides."""
    seats: dict[str, int] = {}
    for decision in network.decisions:
        for partner_id, level in decision.participation.items():
            if level.actual in DECIDING:
                seats[partner_id] = seats.get(partner_id, 0) + 1
    return factor([_partner_holder(network, pid, n) for pid, n in seats.items()], "decisions", "")


def held_alone(network: Network, partner_id: str, by_project: dict[str, Elephant]) -> list[tuple[str, float]]:
    """(project id, share) of the projects where this partner alone employs half or more of the maintainers."""
    out = []
    for project_id, result in by_project.items():
        for holder in result.holders:
            if holder.partner == partner_id and holder.size >= result.total / 2:
                out.append((project_id, holder.size / result.total))
    return sorted(out, key=lambda item: (-item[1], item[0]))


def flagged(network: Network, money: Money) -> list[Elephant]:
    """Every whole whose factor is 1, the largest whole first (income before maintainers before seats
    at equal size, since its figures are money, not people)."""
    wholes = list(income(network, money).values()) + list(projects(network).values())
    seats = decisions(network)
    if seats is not None:
        wholes.append(seats)
    order = {"income": 0, "project": 1, "decisions": 2}
    return sorted((w for w in wholes if w.flagged), key=lambda w: (order[w.whole], -w.total, w.subject))


def explanation() -> Text:
    """The one line that says what the number means, wherever it is shown."""
    return _("The elephant factor is the fewest organisations that together hold at least half of a whole "
             "(CHAOSS): 1 means one organisation could take half of it away.")


def _item(network: Network, whole: Elephant) -> Item:
    top = whole.counted[0]
    share = format_percent(top.size / whole.total)
    if whole.whole == "income":
        return Item("partner", top.partner or "", _("— %(share)s of the %(currency)s income in the window",
                                                     share=share, currency=whole.subject))
    if whole.whole == "project":
        return Item("partner", top.partner or "",
                    ngettext("— %(num)s of %(total)s maintainer of", "— %(num)s of %(total)s maintainers of",
                             int(top.size), total=format_number(int(whole.total))),
                    ("project", whole.subject))
    return Item("partner", top.partner or "",
                ngettext("— %(num)s of %(total)s decision seat", "— %(num)s of %(total)s decision seats",
                         int(top.size), total=format_number(int(whole.total))))


def finding(network: Network, money: Money) -> Finding:
    """`elephant-factor`: every whole (income per currency, a project's maintainers, the decision seats)
    where one organisation holds half or more; warns by default in a handbook that records maintainers."""
    title = _("Elephant factor")
    why = explanation()
    has_any = bool(income(network, money)) or bool(projects(network)) or decisions(network) is not None
    if not has_any:
        return Finding("elephant-factor", title, "n/a",
                       _("No income in the window, no project maintainers and no decision seats: "
                         "elephant factor not computed."), why, more=CHAOSS_URL)
    wholes = flagged(network, money)
    summary = ngettext("%(num)s whole where one organisation holds half or more (elephant factor 1).",
                       "%(num)s wholes where one organisation holds half or more (elephant factor 1).",
                       len(wholes))
    items = [_item(network, w) for w in wholes]
    action: Text = ""
    if items:
        first = network.partner(items[0].id).name
        action = ngettext("%(partner)s alone holds half or more of %(num)s whole: elephant factor 1.",
                          "%(partner)s alone holds half or more of %(num)s wholes: elephant factor 1.",
                          sum(1 for i in items if i.id == items[0].id), partner=first)
    return Finding("elephant-factor", title, "attention" if wholes else "ok", summary, why, items,
                   action=action, more=CHAOSS_URL)
