"""Groups of partners for the overview of a large network: the focal organisation,
inner-network partners by kind, outer-network partners by type.

Above `overview_threshold` partners a node per partner cannot be read (1,000
labels in a page's width are 4 px high), so the network page draws these
groups instead, with the exchanges between them counted, and lists each
group's members. Kind (not role) groups the inner network because every
partner has exactly one kind, while roles overlap and may be missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..data.model import Exchange, Network, Partner
from ..data.schema import OVN_TYPES, PARTNER_KINDS
from ..i18n.labels import label
from ..i18n.language import _


@dataclass
class Group:
    id: str  # "focal", "ivn-<kind>", "ovn-<type>": an anchor on the network page
    network: str  # "focal" | "ivn" | "ovn"
    name: str
    members: list[Partner] = field(default_factory=list)
    link: str | None = None  # the partner at the centre of an ego overview: its own page (`pb:partner:<id>`)


@dataclass
class GroupLink:
    """Exchanges between two groups, either direction, counted by nature."""

    first: str
    second: str
    tangible: int = 0
    intangible: int = 0

    @property
    def total(self) -> int:
        return self.tangible + self.intangible


def group_of(network: Network, partner: Partner) -> str:
    kind = network.network_of(partner)
    if kind == "focal":
        return "focal"
    if kind == "ivn":
        return f"ivn-{partner.kind}"
    return f"ovn-{partner.ovn_type or 'other'}"


def _rank(group_id: str) -> tuple:
    head, _dash, tail = group_id.partition("-")
    order = PARTNER_KINDS if head == "ivn" else OVN_TYPES
    return ({"focal": 0, "ivn": 1, "ovn": 2}[head], order.index(tail) if tail in order else len(order), tail)


def partner_groups(network: Network, partners: list[Partner]) -> list[Group]:
    """The groups of `partners` (each in data order), focal first, then IVN by kind, OVN by type."""
    groups: dict[str, Group] = {}
    for p in partners:
        gid = group_of(network, p)
        if gid not in groups:
            kind = network.network_of(p)
            if kind == "focal":
                name = p.name
            elif kind == "ivn":
                name = _("IVN: %(kind)s", kind=label("kind", p.kind))
            else:
                name = _("OVN: %(type)s", type=label("ovn_type", p.ovn_type or "other"))
            groups[gid] = Group(gid, kind, name)
        groups[gid].members.append(p)
    return [groups[gid] for gid in sorted(groups, key=_rank)]


def group_links(network: Network, groups: list[Group], exchanges: Iterable[Exchange]
                ) -> tuple[list[GroupLink], dict[str, GroupLink]]:
    """Links between groups (in group order) and, per group, the exchanges within it."""
    where = {p.id: g.id for g in groups for p in g.members}
    order = {g.id: i for i, g in enumerate(groups)}
    between: dict[tuple[str, str], GroupLink] = {}
    within: dict[str, GroupLink] = {}
    for e in exchanges:
        a, b = where.get(e.source_id), where.get(e.target_id)
        if a is None or b is None:
            continue
        if a == b:
            link = within.setdefault(a, GroupLink(a, a))
        else:
            first, second = sorted((a, b), key=order.__getitem__)
            link = between.setdefault((first, second), GroupLink(first, second))
        if e.nature == "tangible":
            link.tangible += 1
        else:
            link.intangible += 1
    ordered = sorted(between.values(), key=lambda link: (order[link.first], order[link.second]))
    return ordered, within
