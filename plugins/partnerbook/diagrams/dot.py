"""The model as DOT, built with pydot: funding, power and agreements (the value network
itself is in network_dot.py), and the node and quoting rules all diagrams share.

Nothing from the data reaches DOT unquoted: names and tooltips go through
`quote`, ids are safe by construction, and partner nodes link to
`pb:partner:<id>` placeholders that each page makes relative.
"""

from __future__ import annotations

import re
from typing import Any

import pydot

from ..analysis.money import Money, compute_money
from ..data.model import Network
from ..i18n.labels import label
from ..i18n.language import _, format_amount, format_date, ngettext

FONT = "Helvetica,Arial,sans-serif"
LABEL_LINES = 3
TOOLTIP_CHARS = 600  # Graphviz refuses any quoted string past 16,384 bytes; tables carry the full text


def shorten(text: str, limit: int) -> str:
    """`text` with its whitespace collapsed, cut to `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def css_class(names: str) -> dict[str, Any]:
    """The `class` attribute of a node or an edge, quoted (a keyword argument Python cannot spell)."""
    return {"class": quote(names)}


def quote(value: str) -> str:
    """A DOT string literal that shows `value` and nothing else.

    Backslashes are doubled (Graphviz would expand \\N, \\G, \\l…) and quotes
    escaped; pydot leaves an already quoted string as it is.
    """
    text = shorten(value, TOOLTIP_CHARS) if len(str(value)) > TOOLTIP_CHARS else str(value)
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r", "").replace("\n", "\\n")
    return f'"{text}"'


def quote_tooltip(value: str) -> str:
    """Like `quote`, for tooltips: Graphviz 2.43 expands \\N there even after an escaped
    backslash, so an invisible word joiner keeps the backslash away from the letter."""
    return quote(_TOOLTIP_ESCAPES.sub("\\\\\u2060", str(value)))


_TOOLTIP_ESCAPES = re.compile(r"\\(?=[NGETHLnlr])")


def wrap(text: str, width: int = 22) -> str:
    """A node label: at most three lines of `width` characters; a longer word is broken."""
    words = [w[i:i + width] for w in shorten(text, 4 * width * LABEL_LINES).split() for i in range(0, len(w), width)]
    lines, current = [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    if len(lines) > LABEL_LINES:
        last = lines[LABEL_LINES - 1]
        lines = [*lines[:LABEL_LINES - 1], (last if len(last) < width else last[:width - 1]) + "…"]
    return "\n".join(lines)


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
    where = {"focal": _("focal organisation"), "ivn": _("inner value network"), "ovn": _("outer value network")}[kind]
    return pydot.Node(
        quote(partner_id), label=quote(wrap(partner.name)), URL=quote(f"pb:partner:{partner_id}"),
        tooltip=quote_tooltip(_("%(name)s — %(kind)s, %(where)s", name=partner.name,
                                                   kind=label("kind", partner.kind), where=where)),
        **css_class(" ".join(classes)),
        shape="ellipse" if kind == "focal" else "box",
    )


FUNDING_EDGES = 24  # per direction, shared among its currencies (≤ the 25 rows of the tables beside it)


FundingEdge = tuple[str, str, str, float, str]  # source, target, currency, amount, direction


def _funding_edges(network: Network, money: Money, keep: set[str] | None, limit: int
                   ) -> tuple[list[FundingEdge], dict[tuple[str, str], tuple[int, float]], str]:
    """(edges, others, span): edges (from, to, currency, amount, direction) of the window, or of all
    time when the window is empty; per direction about `limit` edges shared among its currencies, the
    largest of each; the rest of the funders and recipients summed into `others`
    {(direction, currency): (count, amount)}; smaller flows elsewhere are left to the tables."""
    flows = money.flows if keep is None else [
        fm for fm in money.flows if fm.flow.source_id in keep or fm.flow.target_id in keep]
    summary = money.summary if keep is None else money.summarise(flows)
    span = "all time" if summary.window_empty else "window"
    focal = network.info.focal

    def direction_of(source: str, target: str) -> str:
        return "income" if target == focal else "spending" if source == focal else "elsewhere"

    currencies: dict[str, set[str]] = {}
    for source, target, currency, _window, _all_time in summary.edges:
        currencies.setdefault(direction_of(source, target), set()).add(currency)
    # Amounts in different currencies cannot be ranked together: each currency gets its share of
    # the edges; flows elsewhere get fewer, they are context.
    allowed = {d: max(2 if d == "elsewhere" else 4, (limit // 3 if d == "elsewhere" else limit) // len(c))
               for d, c in currencies.items()}
    edges: list[FundingEdge] = []
    others: dict[tuple[str, str], tuple[int, float]] = {}
    counts: dict[tuple[str, str], int] = {}
    for source, target, currency, window, all_time in summary.edges:  # largest first within a currency
        amount = all_time if summary.window_empty else window
        if not amount or source == target:
            continue
        direction = direction_of(source, target)
        seen = counts.get((direction, currency), 0)
        counts[(direction, currency)] = seen + 1
        if seen < allowed[direction]:
            edges.append((source, target, currency, amount, direction))
        elif direction != "elsewhere":
            count, total = others.get((direction, currency), (0, 0.0))
            others[(direction, currency)] = (count + 1, total + amount)
    return edges, others, span


def funding_node_count(network: Network, money: Money, keep: set[str] | None = None,
                       limit: int = FUNDING_EDGES) -> int:
    edges, others, _span = _funding_edges(network, money, keep, limit)
    return len({e[0] for e in edges} | {e[1] for e in edges}) + len(others)


def funding_dot(network: Network, engine: str, keep: set[str] | None = None, money: Money | None = None,
                limit: int = FUNDING_EDGES) -> str:
    """One edge per (from, to, currency) with its total in the window (all time when the window is
    empty); width by amount within the currency; funders left of the focal organisation, recipients
    right, flows elsewhere fainter and left out of the ranking."""
    money = money or compute_money(network)
    graph = _graph(_("Funding flows of %(name)s", name=network.info.name), engine)
    edges, others, span = _funding_edges(network, money, keep, limit)
    first, last = money.window
    when = (_("in the window %(first)s – %(last)s", first=format_date(first), last=format_date(last))
            if span == "window" else _("all time"))
    directions = {"income": _("income"), "spending": _("spending"), "elsewhere": _("elsewhere")}
    largest: dict[str, float] = {}
    for _source, _target, currency, amount, _direction in edges:
        largest[currency] = max(largest.get(currency, 0.0), amount)
    for (_direction, currency), (_count, amount) in others.items():
        largest[currency] = max(largest.get(currency, 0.0), amount)
    for partner_id in dict.fromkeys([e[0] for e in edges] + [e[1] for e in edges]):
        graph.add_node(_partner_node(network, partner_id))

    def width(amount: float, currency: str) -> str:
        return f"{1 + 5 * (amount / largest[currency] if largest[currency] else 0):.2f}"

    for source, target, currency, amount, direction in edges:
        amount_text = format_amount(amount, currency)
        attributes: dict[str, Any] = {"class": quote(f"pb-flow pb-flow-{direction}")}
        if direction == "elsewhere":
            attributes.update(constraint="false", color=quote("#9e9e9e"), fontcolor=quote("#757575"))
        graph.add_edge(pydot.Edge(
            quote(source), quote(target), label=quote(amount_text), penwidth=width(amount, currency),
            tooltip=quote_tooltip(_("%(source)s → %(target)s: %(amount)s %(when)s (%(direction)s)",
                                    source=network.partner(source).name, target=network.partner(target).name,
                                    amount=amount_text, when=when, direction=directions[direction])),
            **attributes))
    focal = network.info.focal
    for (direction, currency), (count, amount) in sorted(others.items()):
        node = f"others-{direction}-{currency}"
        funders = direction == "income"
        graph.add_node(pydot.Node(quote(node), label=quote(
            ngettext("%(num)s other funder (%(currency)s)", "%(num)s other funders (%(currency)s)", count,
                     currency=currency) if funders else
            ngettext("%(num)s other recipient (%(currency)s)", "%(num)s other recipients (%(currency)s)", count,
                     currency=currency)),
                                  tooltip=quote_tooltip(
            ngettext("%(num)s other funder: see the tables on this page",
                     "%(num)s other funders: see the tables on this page", count) if funders else
            ngettext("%(num)s other recipient: see the tables on this page",
                     "%(num)s other recipients: see the tables on this page", count)),
                                  **css_class("pb-others")))
        source, target = (node, focal) if direction == "income" else (focal, node)
        graph.add_edge(pydot.Edge(
            quote(source), quote(target), label=quote(format_amount(amount, currency)),
            penwidth=width(amount, currency),
            tooltip=quote_tooltip(
                ngettext("%(num)s other funder: %(amount)s %(when)s", "%(num)s other funders: %(amount)s %(when)s",
                         count, amount=format_amount(amount, currency), when=when) if funders else
                ngettext("%(num)s other recipient: %(amount)s %(when)s",
                         "%(num)s other recipients: %(amount)s %(when)s",
                         count, amount=format_amount(amount, currency), when=when)),
            **css_class(f"pb-flow pb-flow-{direction} pb-flow-others")))
    return graph.to_string()


def power_dot(network: Network, engine: str, keep: set[str] | None = None) -> str:
    """Who takes part in which decision, and how strongly (excluded partners are left out)."""
    graph = _graph(_("Who decides what in %(name)s", name=network.info.name), engine)
    widths = {"informed": "1", "consulted": "1.5", "co-decides": "2.5", "decides": "4"}
    for decision in network.decisions:
        graph.add_node(pydot.Node(
            quote(f"decision:{decision.id}"), label=quote(wrap(decision.name)), shape="note",
            URL=quote(f"pb:decision:{decision.id}"), tooltip=quote_tooltip(decision.name),
            **css_class("pb-decision-node")))
        for partner_id, level in decision.participation.items():
            if level.actual == "excluded" or (keep is not None and partner_id not in keep):
                continue
            if graph.get_node(quote(partner_id)) == []:
                graph.add_node(_partner_node(network, partner_id))
            graph.add_edge(pydot.Edge(
                quote(partner_id), quote(f"decision:{decision.id}"), label=quote(label("level", level.actual)),
                penwidth=widths[level.actual],
                tooltip=quote_tooltip(
                    _("%(name)s: %(actual)s (wants: %(desired)s)", name=network.partner(partner_id).name,
                      actual=label("level", level.actual), desired=label("level", level.desired)) if level.gap else
                    _("%(name)s: %(actual)s", name=network.partner(partner_id).name,
                      actual=label("level", level.actual))),
                **css_class(f"pb-level pb-level-{level.actual}" + (" pb-gap" if level.gap else ""))))
    return graph.to_string()


def agreements_dot(network: Network, engine: str, keep: set[str] | None = None) -> str:
    """Agreements and their parties; the line style says the agreement's status."""
    graph = _graph(_("Agreements of %(name)s", name=network.info.name), engine)
    styles = {"signed": "solid", "negotiating": "dashed", "draft": "dotted"}
    for agreement in network.agreements:
        if keep is not None and not keep.intersection(agreement.parties):
            continue
        status = agreement.status or "unknown"
        graph.add_node(pydot.Node(
            quote(f"agreement:{agreement.id}"), label=quote(wrap(agreement.title)), shape="note",
            URL=quote(f"pb:agreement:{agreement.id}"),
            tooltip=quote_tooltip(_("%(title)s (%(status)s)", title=agreement.title, status=label("status", status))),
            **css_class(f"pb-agreement-node pb-status-{status}")))
        for party in dict.fromkeys(agreement.parties):
            if graph.get_node(quote(party)) == []:
                graph.add_node(_partner_node(network, party))
            graph.add_edge(pydot.Edge(
                quote(party), quote(f"agreement:{agreement.id}"), arrowhead="none",
                style=styles.get(status, "dotted"),
                **css_class(f"pb-party pb-status-{status}")))
    return graph.to_string()
