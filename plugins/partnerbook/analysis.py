"""networkx views of the model, and the metrics the health report is made of.

Every metric is a pure function of a `Network` (or of plain numbers), so the
tests can feed it small hand-made networks whose answer is known.
"""

from __future__ import annotations

import networkx as nx

from .model import Network


def current_partner_ids(network: Network) -> set[str]:
    return {p.id for p in network.partners if p.active_on(network.as_of)}


def exchange_graph(network: Network, *, multi: bool = False, current_only: bool = False) -> nx.DiGraph:
    """Partners as nodes, value exchanges as directed edges."""
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
