"""The model as DOT, built with pydot: the value network, ego networks, funding and power.

Nothing from the data reaches DOT unquoted: names and tooltips go through
`quote`, ids are safe by construction, and partner nodes link to
`pb:partner:<id>` placeholders that each page makes relative.
"""

from __future__ import annotations

import re

import pydot

from .model import Network
from .templating import format_amount

FONT = "Helvetica,Arial,sans-serif"


def quote(value: str) -> str:
    """A DOT string literal that shows `value` and nothing else.

    Backslashes are doubled (Graphviz would expand \\N, \\G, \\l…) and quotes
    escaped; pydot leaves an already quoted string as it is.
    """
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r", "").replace("\n", "\\n")
    return f'"{text}"'


def quote_tooltip(value: str) -> str:
    """Like `quote`, for tooltips: Graphviz 2.43 expands \\N there even after an escaped
    backslash, so an invisible word joiner keeps the backslash away from the letter."""
    return quote(_TOOLTIP_ESCAPES.sub("\\\\\u2060", str(value)))


_TOOLTIP_ESCAPES = re.compile(r"\\(?=[NGETHLnlr])")


def wrap(text: str, width: int = 22) -> str:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")


def _graph(name: str, engine: str, rankdir: str = "LR") -> pydot.Dot:
    graph = pydot.Dot(quote(name), graph_type="digraph")
    attributes = {"bgcolor": "transparent", "fontname": quote(FONT), "outputorder": "edgesfirst",
                  "class": quote("pb-graph")}
    if engine == "dot":
        attributes.update(rankdir=rankdir, nodesep="0.25", ranksep="0.6")
    else:
        attributes.update(overlap="prism", splines="false")
    for key, value in attributes.items():
        graph.set(key, value)
    graph.set_node_defaults(fontname=quote(FONT), fontsize="11", shape="box", style=quote("rounded,filled"),
                            margin=quote("0.12,0.06"))
    graph.set_edge_defaults(arrowsize="0.6")
    return graph


def _partner_node(network: Network, partner_id: str, *, emphasis: bool = False) -> pydot.Node:
    partner = network.partner(partner_id)
    kind = network.network_of(partner)
    classes = ["pb-partner", f"pb-{kind}"]
    if partner.ovn_type:
        classes.append(f"pb-type-{partner.ovn_type}")
    if not partner.active_on(network.as_of):
        classes.append("pb-past")
    if emphasis:
        classes.append("pb-emphasis")
    where = {"focal": "focal organisation", "ivn": "inner value network", "ovn": "outer value network"}[kind]
    return pydot.Node(
        quote(partner_id), label=quote(wrap(partner.name)), URL=quote(f"pb:partner:{partner_id}"),
        tooltip=quote_tooltip(f"{partner.name} — {partner.kind}, {where}"), **{"class": quote(" ".join(classes))},
        shape="ellipse" if kind == "focal" else "box",
    )


def _exchange_edges(graph: pydot.Dot, network: Network, keep: set[str], exchanges=None) -> int:
    """One edge per (from, to, nature): parallel exchanges are listed in the tooltip."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for e in network.exchanges if exchanges is None else exchanges:
        if e.source_id in keep and e.target_id in keep and e.active_on(network.as_of):
            grouped.setdefault((e.source_id, e.target_id, e.nature), []).append(e.deliverable)
    for (source, target, nature), deliverables in grouped.items():
        names = f"{network.partner(source).name} → {network.partner(target).name}"
        graph.add_edge(pydot.Edge(
            quote(source), quote(target), tooltip=quote_tooltip(f"{names} ({nature}): " + "; ".join(deliverables)),
            style="solid" if nature == "tangible" else "dashed",
            **{"class": quote(f"pb-exchange pb-{nature}")},
        ))
    return len(grouped)


def network_dot(network: Network, engine: str, only: str | None = None, keep: set[str] | None = None,
                focus: str | None = None, title: str = "", index=None) -> str:
    """The value network: IVN (with the focal organisation) in a cluster, OVN around it by type.

    `keep` limits it to some partners (an ego network); with an `index` only
    their own exchanges are looked at, which keeps 1,000 ego diagrams cheap.
    """
    graph = _graph(title or network.info.name, engine)
    if keep is not None and index is not None:
        candidates = [network.partner(pid) for pid in sorted(keep, key=index.position.__getitem__)]
        exchanges = [e for pid in keep for e in index.exchanges_out.get(pid, ()) if e.target_id in keep]
        exchanges.sort(key=lambda e: index.exchange_position[id(e)])
    else:
        candidates, exchanges = network.partners, None
    partners = [p for p in candidates if p.active_on(network.as_of) and (keep is None or p.id in keep)]
    if only:
        partners = [p for p in partners if (network.network_of(p) in ("focal", "ivn")) == (only == "ivn")]
    ids = {p.id for p in partners}
    clusters = engine in ("dot", "fdp")
    inner = pydot.Cluster("ivn", label=quote("Inner value network"), **{"class": quote("pb-cluster pb-cluster-ivn")})
    outer: dict[str, pydot.Cluster] = {}
    for p in partners:
        node = _partner_node(network, p.id, emphasis=p.id == focus)
        kind = network.network_of(p)
        if not clusters:
            graph.add_node(node)
        elif kind in ("focal", "ivn"):
            inner.add_node(node)
        else:
            ovn_type = p.ovn_type or "other"
            if ovn_type not in outer:
                outer[ovn_type] = pydot.Cluster(
                    f"ovn_{len(outer)}", label=quote(ovn_type.capitalize()),
                    **{"class": quote(f"pb-cluster pb-cluster-ovn pb-type-{ovn_type}")})
            outer[ovn_type].add_node(node)
    if clusters:
        if inner.get_nodes():
            graph.add_subgraph(inner)
        for cluster in outer.values():
            graph.add_subgraph(cluster)
    _exchange_edges(graph, network, ids, exchanges)
    return graph.to_string()


def funding_dot(network: Network, engine: str, keep: set[str] | None = None) -> str:
    graph = _graph(f"Funding flows of {network.info.name}", engine)
    flows = [f for f in network.funding if f.active_on(network.as_of)
             and (keep is None or f.source_id in keep or f.target_id in keep)]
    largest: dict[str, float] = {}
    for f in flows:
        largest[f.currency] = max(largest.get(f.currency, 0.0), f.amount)
    for partner_id in dict.fromkeys([f.source_id for f in flows] + [f.target_id for f in flows]):
        graph.add_node(_partner_node(network, partner_id))
    for f in flows:
        width = 1 + 5 * (f.amount / largest[f.currency] if largest[f.currency] else 0)
        label = format_amount(f.amount, f.currency)
        graph.add_edge(pydot.Edge(
            quote(f.source_id), quote(f.target_id), label=quote(label), penwidth=f"{width:.2f}",
            tooltip=quote_tooltip(f"{network.partner(f.source_id).name} → {network.partner(f.target_id).name}: "
                          f"{label}" + (f" ({f.instrument})" if f.instrument else "") + (" — core" if f.core else "")),
            **{"class": quote("pb-flow" + (" pb-core" if f.core else ""))},
        ))
    return graph.to_string()


def power_dot(network: Network, engine: str, keep: set[str] | None = None) -> str:
    """Who takes part in which decision, and how strongly (excluded partners are left out)."""
    graph = _graph(f"Who decides what in {network.info.name}", engine)
    widths = {"informed": "1", "consulted": "1.5", "co-decides": "2.5", "decides": "4"}
    for decision in network.decisions:
        graph.add_node(pydot.Node(
            quote(f"decision:{decision.id}"), label=quote(wrap(decision.name)), shape="note",
            URL=quote(f"pb:decision:{decision.id}"), tooltip=quote_tooltip(decision.name),
            **{"class": quote("pb-decision-node")}))
        for partner_id, level in decision.participation.items():
            if level.actual == "excluded" or (keep is not None and partner_id not in keep):
                continue
            if graph.get_node(quote(partner_id)) == []:
                graph.add_node(_partner_node(network, partner_id))
            graph.add_edge(pydot.Edge(
                quote(partner_id), quote(f"decision:{decision.id}"), label=quote(level.actual),
                penwidth=widths[level.actual],
                tooltip=quote_tooltip(f"{network.partner(partner_id).name}: {level.actual}"
                              + (f" (wants: {level.desired})" if level.gap else "")),
                **{"class": quote(f"pb-level pb-level-{level.actual}" + (" pb-gap" if level.gap else ""))}))
    return graph.to_string()


def agreements_dot(network: Network, engine: str, keep: set[str] | None = None) -> str:
    """Agreements and their parties; the line style says the agreement's status."""
    graph = _graph(f"Agreements of {network.info.name}", engine)
    styles = {"signed": "solid", "negotiating": "dashed", "draft": "dotted"}
    for agreement in network.agreements:
        if keep is not None and not keep.intersection(agreement.parties):
            continue
        status = agreement.status or "unknown"
        graph.add_node(pydot.Node(
            quote(f"agreement:{agreement.id}"), label=quote(wrap(agreement.title)), shape="note",
            URL=quote(f"pb:agreement:{agreement.id}"), tooltip=quote_tooltip(f"{agreement.title} ({status})"),
            **{"class": quote(f"pb-agreement-node pb-status-{status}")}))
        for party in dict.fromkeys(agreement.parties):
            if graph.get_node(quote(party)) == []:
                graph.add_node(_partner_node(network, party))
            graph.add_edge(pydot.Edge(
                quote(party), quote(f"agreement:{agreement.id}"), arrowhead="none",
                style=styles.get(status, "dotted"),
                **{"class": quote(f"pb-party pb-status-{status}")}))
    return graph.to_string()
