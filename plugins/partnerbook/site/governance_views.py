"""The views of how the network is governed: its agreements (and their scorecards) and its
decisions (who takes part in each, and how much)."""

from __future__ import annotations

from collections import defaultdict

from ..analysis.scorecard import RATING_SYMBOLS, scorecard_cells, scorecard_columns, scorecard_gaps
from ..data.model import unknown_elements
from ..data.schema import LEVELS, RATINGS
from .paging import capped_in_prose


def agreements_view(page, network, focus, detail: bool = False, part: int = 0, **_):
    n = page.renderer.network
    index = page.renderer.index
    agreements = list(n.agreements)
    if focus:
        agreements = [a for a in agreements if focus in a.parties]
    if network:
        keep = {p.id for p in index.partners_of(network)}
        agreements = [a for a in agreements if any(party in keep for party in a.parties)]
    pager = page.pager("agreements", part) if not (network or focus) else None
    if pager:  # the agreements page, one part of a long list (paging.py)
        agreements = agreements[pager["first"] - 1: pager["last"]]
    agreements, capped = capped_in_prose(page, agreements, "agreements")
    groups: dict[str, list[str]] = defaultdict(list)
    for element in n.scorecard_elements:
        groups[element.split(".")[0]].append(element)
    return {
        "agreements": agreements, "completeness": index.completeness, "detail": detail, "pager": pager,
        "capped": capped,
        "element_groups": dict(groups), "ratings": RATINGS,
        "scorecard": scorecard_columns(n.scorecard_elements), "symbols": RATING_SYMBOLS,
        "unknown": {a.id: unknown_elements(a, n.scorecard_elements) for a in agreements},
        "gaps": {a.id: scorecard_gaps(a, n.scorecard_elements) for a in agreements if detail and a.scored},
        "cells": {a.id: scorecard_cells(a, n.scorecard_elements) for a in agreements if detail and a.scored},
    }


def power_view(page, network, focus, anchors: bool = False, limit: int = 40, **_):
    """Decisions × partners; with more than `limit` partners involved, a row per participation
    (the grid would grow with decisions × partners, mostly empty cells)."""
    n = page.renderer.network
    decisions = [d for d in n.decisions if not focus or focus in d.participation]
    involved = {pid for d in decisions for pid in d.participation}
    partners = [p for p in page.renderer.index.partners_of(network) if p.id in involved]
    order = {p.id: i for i, p in enumerate(partners)}
    rows = [(d, pid, d.participation[pid]) for d in decisions
            for pid in sorted((pid for pid in d.participation if pid in order), key=order.__getitem__)]
    return {"decisions": decisions, "partners": partners, "levels": LEVELS, "anchors": anchors,
            "as_grid": len(partners) <= limit, "rows": rows}

