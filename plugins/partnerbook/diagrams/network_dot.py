"""The value network as DOT: rings of partners, or an overview of groups.

Positions come from `layout.ring_layout`; Graphviz (`neato -n2`) keeps them
and only routes the edges, so every drawing of the same data is the same
picture: the centre (the focal organisation, or the partner of an ego
diagram), the inner value network on the inner ring, the outer network on
the outer ring grouped by type. Edges are curved, not obstacle-routed:
`splines=true` costs ~30× at 100 nodes (see perf-facts).
"""

from __future__ import annotations

from collections.abc import Sequence

import pydot

from ..analysis.index import NetworkIndex
from ..data.model import Exchange, Network, Partner
from ..data.schema import OVN_TYPES
from ..i18n.labels import label
from ..i18n.language import _, format_number, ngettext, pgettext
from .dot import FONT, _partner_node, css_class, quote, quote_tooltip, shorten, wrap
from .groups import Group, GroupLink
from .layout import Box, order_by_shared_roles, ring_layout

ENGINE = "neato-n2"  # neato that keeps the given positions (`-n2`): see diagrams.engine_arguments


def _rings_graph(name: str) -> pydot.Dot:
    graph = pydot.Dot(quote(shorten(name, 200)), graph_type="digraph")
    for key, value in {"bgcolor": "transparent", "fontname": quote(FONT), "outputorder": "edgesfirst",
                       "class": quote("pb-graph pb-rings"), "splines": "curved", "pad": "0.2"}.items():
        graph.set(key, value)
    graph.set_node_defaults(fontname=quote(FONT), fontsize="11", shape="box", style=quote("rounded,filled"),
                            margin=quote("0.12,0.06"))
    graph.set_edge_defaults(arrowsize="0.6")
    return graph


def _place(graph: pydot.Dot, centre: Box | None, inner: list[Box], outer: list[Box]) -> dict[str, tuple]:
    """Pins every node of the graph where the ring layout puts it; draws the inner network's disc."""
    rings = ring_layout(centre, inner, outer)
    if inner and outer:
        # The inner network's disc, between the two rings; drawn under everything (`_background`).
        deepest = max(max(b.width, b.height) / 2 for b in outer)
        r = (rings.radii[0] + max(max(b.width, b.height) / 2 for b in inner) + rings.radii[1] - deepest) / 2
        graph.set("_background", quote(f"c 7 -#999999 C 7 -#eeeeee E 0 0 {r:.1f} {r:.1f} "))
    for node in graph.get_nodes():
        name = node.get_name().strip('"')
        if name in rings.positions:
            x, y = rings.positions[name]
            node.set("pos", quote(f"{x:.1f},{y:.1f}!"))
    return rings.positions


def rings_dot(network: Network, only: str | None = None, keep: set[str] | None = None,
              focus: str | None = None, title: str = "", index: NetworkIndex | None = None) -> str:
    """The value network (or the ego network of `focus`: `keep` are its counterparts) as rings.

    With an `index` only the kept partners' own exchanges are looked at, which
    keeps 1,000 ego diagrams cheap."""
    graph = _rings_graph(title or network.info.name)
    candidates: Sequence[Partner]
    exchanges: Sequence[Exchange]
    if keep is not None and index is not None:
        candidates = [network.partner(pid) for pid in sorted(keep, key=index.position.__getitem__)]
        exchanges = [e for p in candidates for e in index.exchanges_to(p.id, keep)]
        exchanges.sort(key=lambda e: index.exchange_position[id(e)])
    else:
        candidates, exchanges = network.partners, network.exchanges
    partners = [p for p in candidates if p.active_on(network.as_of) and (keep is None or p.id in keep)]
    if only:
        partners = [p for p in partners if (network.network_of(p) in ("focal", "ivn")) == (only == "ivn")]
    centre_id = focus or network.info.focal
    boxes = {p.id: Box(p.id, wrap(p.name)) for p in partners}
    inner_ids = [p.id for p in partners if p.id != centre_id and network.network_of(p) in ("focal", "ivn")]
    by_id = {p.id: p for p in partners}
    inner_ids = order_by_shared_roles([(pid, by_id[pid].roles) for pid in inner_ids], [r.id for r in network.roles])
    type_rank = {t: i for i, t in enumerate(OVN_TYPES)}
    outer = [p for p in partners if p.id != centre_id and network.network_of(p) == "ovn"]
    outer.sort(key=lambda p: type_rank.get(p.ovn_type or "other", len(type_rank)))  # stable: data order within a type
    for p in partners:
        graph.add_node(_partner_node(network, p.id, emphasis=p.id == focus))
    _place(graph, boxes.get(centre_id), [boxes[pid] for pid in inner_ids], [boxes[p.id] for p in outer])
    shown = set(by_id)
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for e in exchanges:
        if e.source_id in shown and e.target_id in shown and e.active_on(network.as_of):
            grouped.setdefault((e.source_id, e.target_id, e.nature), []).append(shorten(e.deliverable, 80))
    for (source, target, nature), deliverables in grouped.items():
        names = f"{shorten(by_id[source].name, 80)} → {shorten(by_id[target].name, 80)}"
        graph.add_edge(pydot.Edge(
            quote(source), quote(target), tooltip=quote_tooltip(_("%(names)s (%(nature)s): %(deliverables)s",
                                                                  names=names, nature=label("nature", nature),
                                                                  deliverables="; ".join(deliverables))),
            style="solid" if nature == "tangible" else "dashed",
            **css_class(f"pb-exchange pb-{nature}"),
        ))
    return graph.to_string()


def overview_dot(groups: list[Group], links: list[GroupLink], within: dict[str, GroupLink], title: str) -> str:
    """A node per group (its size and the exchanges within it), an edge per pair of groups that
    exchange (counts tangible / intangible), in the same rings as the partners would be."""
    graph = _rings_graph(title)
    boxes = {}
    for g in groups:
        inside = within.get(g.id)
        count = (ngettext("%(num)s partner", "%(num)s partners", len(g.members)) if g.network != "focal"
                 else pgettext("group of the focal organisation", "focal"))
        text = (ngettext("%(name)s\n%(members)s, %(num)s exchange among them",
                         "%(name)s\n%(members)s, %(num)s exchanges among them", inside.total,
                         name=wrap(g.name), members=count) if inside else
                _("%(name)s\n%(count)s", name=wrap(g.name), count=count))
        if g.link:  # the centre of an ego overview is the partner itself, not a group
            text = wrap(g.name)
        boxes[g.id] = Box(g.id, text)
        classes = f"pb-group pb-{g.network}" + (f" pb-type-{g.id[4:]}" if g.network == "ovn" and not g.link else "")
        classes += " pb-emphasis" if g.link else ""
        graph.add_node(pydot.Node(
            quote(g.id), label=quote(text), URL=quote(g.link or f"pb:group:{g.id}"),
            tooltip=quote_tooltip(g.name if g.link else
                                  _("%(name)s: %(count)s — the list of members", name=g.name, count=count)),
            shape="ellipse" if g.network == "focal" else "box", **css_class(classes)))
    centre = next((boxes[g.id] for g in groups if g.network == "focal" or g.link), None)
    _place(graph, centre, [boxes[g.id] for g in groups if g.network == "ivn" and not g.link],
           [boxes[g.id] for g in groups if g.network == "ovn" and not g.link])
    largest = max((link.total for link in links), default=1)
    names = {g.id: g.name for g in groups}
    for link in drawn_links(groups, links):
        counts = f"{format_number(link.tangible)} / {format_number(link.intangible)}"
        graph.add_edge(pydot.Edge(
            quote(link.first), quote(link.second), dir="none", label=quote(counts), fontsize="9",
            fontname=quote(FONT), penwidth=f"{1 + 4 * link.total / largest:.2f}",
            tooltip=quote_tooltip(_("%(first)s — %(second)s: "
                                    "%(tangible)s tangible, %(intangible)s intangible exchanges",
                                    first=names[link.first], second=names[link.second],
                                    tangible=format_number(link.tangible), intangible=format_number(link.intangible))),
            **css_class("pb-group-link" + (" pb-intangible" if link.intangible > link.tangible else ""))))
    return graph.to_string()


def drawn_links(groups: list[Group], links: list[GroupLink]) -> list[GroupLink]:
    """The links an overview draws: every link of the focal organisation's group, and of the
    others only the strongest (two per group), so that the picture stays readable; the table
    beside it lists them all."""
    focal = {g.id for g in groups if g.network == "focal" or g.link}  # the centre: the focal one, or an ego's
    others = [link for link in links if not ({link.first, link.second} & focal)]
    strongest = {id(link) for link in sorted(others, key=lambda link: -link.total)[: 2 * len(groups)]}
    return [link for link in links if {link.first, link.second} & focal or id(link) in strongest]
