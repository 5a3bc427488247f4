"""The views of the network and its partners: the partner lists, the role matrix, the exchanges,
the canvas, the diagram, the projects, the description, and one partner's page."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..analysis import elephant
from ..data.schema import IVN_CRITERIA, OVN_TYPES
from ..diagrams.figures import diagram_figure
from ..i18n.labels import label
from .money_views import partner_money
from .paging import PARTNER_SECTIONS, capped_in_prose, partner_section_rows
from .templating import render_markdown


def _partners(page, network, focus):
    index = page.renderer.index
    partners = index.partners_of(network)
    if focus:
        keep = index.neighbours(focus)
        partners = [p for p in partners if p.id in keep]
    return partners


def partners_view(page, network, focus, part: int = 0, **_):
    """Partners grouped focal / IVN / OVN; on the partners page (`part`) one part of a long list."""
    n, index = page.renderer.network, page.renderer.index
    pager = page.pager("partners", part) if not (network or focus) else None
    continued: set[str] = set()
    if pager:  # one part of the list: its partners, the counts and the groups begun on earlier pages
        partners = index.partners_part(network, pager["first"], pager["last"])
        totals = Counter(index.network_counts(network))
        continued = set(index.networks_before(network, pager["first"]))
    else:
        partners = _partners(page, network, focus)
        totals = Counter(n.network_of(p) for p in partners)
    partners, capped = capped_in_prose(page, partners, "partners")
    groups = [
        ("focal", label("network_heading", "focal"), [p for p in partners if n.network_of(p) == "focal"]),
        ("ivn", label("network_heading", "ivn"), [p for p in partners if n.network_of(p) == "ivn"]),
        ("ovn", label("network_heading", "ovn"), [p for p in partners if n.network_of(p) == "ovn"]),
    ]
    return {"groups": [g for g in groups if g[2]], "totals": totals, "pager": pager, "continued": continued,
            "capped": capped,
            **_filter_options(n, partners, focus)}


def _filter_options(n, partners, focus) -> dict:
    """What `partner-filter.html.j2` offers: the kinds, roles and tags the partners shown have."""
    return {
        "kinds": sorted({p.kind for p in partners}),
        "roles": [r for r in n.roles if any(r.id in p.roles for p in partners)],
        "tags": sorted({t for p in partners for t in p.tags}, key=str.casefold),
        "filterable": not focus,
    }


def matrix_view(page, network, focus, part: int = 0, **_):
    """Partners × roles, IVN and OVN apart; on the roles page (`part`) one part of a long list."""
    n, index = page.renderer.network, page.renderer.index
    inner = lambda p: n.network_of(p) in ("focal", "ivn")  # noqa: E731
    pager = page.pager("roles", part) if not (network or focus) else None
    if pager:  # one part of the list: its partners and the counts (as on the partners page)
        counts = index.network_counts(network)
        partners = index.partners_part(network, pager["first"], pager["last"])
        totals = {"ivn": counts.get("focal", 0) + counts.get("ivn", 0)}
        totals["ovn"] = sum(counts.values()) - totals["ivn"]
    else:
        partners = _partners(page, network, focus)
        totals = {"ivn": sum(1 for p in partners if inner(p))}
        totals["ovn"] = len(partners) - totals["ivn"]
    partners, capped = capped_in_prose(page, partners, "roles")
    tables = []
    for kind, title in (("ivn", label("network", "ivn")), ("ovn", label("network", "ovn"))):
        rows = [p for p in partners if inner(p) == (kind == "ivn")]
        if rows:
            tables.append((kind, title, rows))
    return {"tables": tables, **_filter_options(n, partners, focus), "roles": n.roles, "totals": totals,
            "pager": pager, "capped": capped}


def roles_view(page, network, focus, limit: int = 0, **_):
    """Each role and its members; with a `limit`, the first members of a crowded role (the role
    matrix, which the roles page holds, marks every one)."""
    n = page.renderer.network
    return {"roles": n.roles, "members": page.renderer.index.partners_in_role, "limit": limit or None}


def exchanges_view(page, network, focus, limit: int = 40, part: int = 0, **_):
    """Partner × partner counts of tangible / intangible exchanges; a list when too wide for a grid."""
    n = page.renderer.network
    partners = _partners(page, network, focus)
    ids = {p.id for p in partners}
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: {"tangible": 0, "intangible": 0})
    for e in n.exchanges:
        if e.source_id in ids and e.target_id in ids:
            cells[(e.source_id, e.target_id)][e.nature] += 1
    in_pairs = {partner_id for pair in cells for partner_id in pair}
    pairs = sorted(cells.items(), key=lambda item: (n.partner(item[0][0]).name, n.partner(item[0][1]).name))
    pager = page.pager("network", part) if not (network or focus) else None
    if pager:  # the network page's long list of pairs, one part of it (paging.py)
        pairs = pairs[pager["first"] - 1: pager["last"]]
    return {
        # The grid lists every partner, as the diagram beside it draws them all; the
        # list of pairs names those in no exchange apart.
        "partners": partners,
        "alone": [p for p in partners if p.id not in in_pairs] if part <= 1 else [],
        "cells": cells,
        "as_grid": len(partners) <= limit and not pager, "pager": pager,
        "counts": {
            "ivn": sum(1 for p in n.partners if n.network_of(p) == "ivn"),
            "ovn": sum(1 for p in n.partners if n.network_of(p) == "ovn"),
            "tangible": sum(1 for e in n.exchanges if e.nature == "tangible"),
            "intangible": sum(1 for e in n.exchanges if e.nature == "intangible"),
        },
        "pairs": pairs,
    }


def canvas_view(page, network, focus, **_):
    n = page.renderer.network
    index = page.renderer.index
    inner = [p for p in index.partners_of("ivn") if p.active_on(n.as_of)] if network != "ovn" else []
    outer: dict[str, list] = {}
    if network != "ivn":
        for ovn_type in OVN_TYPES:
            members = [p for p in index.partners_of("ovn") if (p.ovn_type or "other") == ovn_type
                       and p.active_on(n.as_of)]
            if members:
                outer[ovn_type] = members
    # On the canvas page itself the block prints as one landscape sheet (partnerbook-print.css).
    sheet = page.src_uri == page.renderer.paths.section("canvas")
    return {"inner": inner, "outer": outer, "sheet": sheet}


def partner_view(page, network, focus, section: str = "facts", part: int = 0, **_):
    n = page.renderer.network
    index = page.renderer.index
    partner = n.partner(focus)
    out, received = index.exchanges_out[partner.id], index.exchanges_in[partner.id]
    pager = page.pager(("relationships", partner.id), part) if section == "relationships" else None
    if pager:  # a hub's relationships, one part of them (paging.py): deliveries first, as in one table
        start, stop = pager["first"] - 1, pager["last"]
        given = len(out)
        out, received = out[start:stop], received[max(0, start - given): max(0, stop - given)]
    rows = {"agreements": index.agreements_of[partner.id], "projects": index.projects_of[partner.id],
            "history": index.history(partner.id) if section == "history" else []}
    more = None
    if section in PARTNER_SECTIONS and section != "funding":  # the payments: partner_money
        rows[section], pager, more = partner_section_rows(page, partner.id, section, rows[section], part)
    return {
        "partner": partner,
        "kind": n.network_of(partner),
        "criteria": IVN_CRITERIA,
        "out": out,
        "in": received,
        "pager": pager,
        "agreements": rows["agreements"],
        "capped": more,
        "completeness": index.completeness,
        **(partner_money(page, partner.id, part) if section == "funding" else {}),
        "decisions": index.decisions_of[partner.id],
        "projects": rows["projects"],
        "held_alone": elephant.held_alone(n, partner.id, page.renderer.elephants["projects"])
        if section == "projects" else [],
        "backlinks": page.renderer.backlinks.get(partner.id, []),
        "state": partner.state_on(n.as_of),
        "section": section,
        "history": rows["history"],
    }


def diagram_view(page, network, focus, kind: str = "network", table: bool = True, **_):
    """A diagram; on prose pages (`table`) with the value exchanges it draws as a table,
    its text equivalent. Generated pages pass table=False: their own tables say the same."""
    figure = diagram_figure(page, kind=kind, network=network, focus=focus)
    figure["exchanges"] = None
    if table and kind == "network":
        n = page.renderer.network
        shown = [p for p in _partners(page, network, focus) if p.active_on(n.as_of)]
        ids = {p.id for p in shown}
        figure["exchanges"] = [e for e in n.exchanges if e.active_on(n.as_of)
                               and e.source_id in ids and e.target_id in ids]
        linked = {e.source_id for e in figure["exchanges"]} | {e.target_id for e in figure["exchanges"]}
        figure["alone"] = [p for p in shown if p.id not in linked]
    return figure


def projects_view(page, network, focus, part: int = 0, **_):
    """Every project (or those of one partner, `focus`), with its partners and their roles; on the
    projects page (`part`) one part of a long list."""
    n = page.renderer.network
    projects = page.renderer.index.projects_of[focus] if focus else list(n.projects)
    if network:
        keep = {p.id for p in _partners(page, network, None)}
        projects = [p for p in projects if keep & set(p.partners)]
    pager = page.pager("projects", part) if not (network or focus) else None
    if pager:
        projects = projects[pager["first"] - 1: pager["last"]]
    return {"projects": projects, "pager": pager, "elephants": page.renderer.elephants["projects"],
            "explanation": elephant.explanation(), "chaoss": elephant.CHAOSS_URL}


def description_view(page, network, focus, folded: bool = False, **_):
    return {"html": render_markdown(page.renderer.network.info.description), "folded": folded}

