"""The data behind each view, handed to its HTML template (`view-<name>.html.j2`)."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections import Counter, defaultdict

import jinja2
from markupsafe import Markup

from ..analysis import elephant
from ..analysis.money import format_share, timing_text
from ..analysis.scorecard import RATING_SYMBOLS, scorecard_cells, scorecard_columns, scorecard_gaps
from ..base.suggestions import did_you_mean
from ..data.model import unknown_elements
from ..data.schema import IVN_CRITERIA, LEVELS, OVN_TYPES, RATINGS
from ..diagrams.figures import diagram_figure
from ..i18n.labels import label
from ..i18n.language import pgettext
from .money_chart import year_chart
from .paging import PARTNER_SECTIONS, SECTION_ROWS, impact_rows, section_src
from .templating import render_markdown
from .views import DIAGRAM_KINDS, VIEWS, is_network, is_partner


class ViewError(jinja2.TemplateRuntimeError):
    """A template asked for a view that does not exist, or gave it an option it does not take.

    A Jinja error, so the build reports it with the template's file and line."""


def render(page, name: str, *, network: str | None = None, focus: str | None = None, **extra) -> Markup:
    check_view_call(page.renderer.network, name, dict(network=network, focus=focus, **extra))
    if name.startswith("impact") and page.renderer.withheld.impact_hidden:
        return Markup("")  # `impact: hidden` (editions.py): a prose block shows nothing in the public edition
    builder = BUILDERS[name]
    context = builder(page, network=network, focus=focus, **extra)
    return page.render_html(f"view-{name}.html.j2", **context)


# A view in prose shows this many rows of a long list, then links to the full list: the starter's guide
# pages, each with a view of the whole network, reached 1.2 MB at 2,300 partners.
PROSE_ROWS = 100


def _capped(page, items: list, section: str) -> tuple[list, dict | None]:
    """In prose, the first PROSE_ROWS items and what `capped.html.j2` says of the rest."""
    if not page.prose or len(items) <= PROSE_ROWS:
        return items, None
    return items[:PROSE_ROWS], {"more": len(items) - PROSE_ROWS, "href": page.href(section)}


def _partners(page, network, focus):
    index = page.renderer.index
    partners = index.partners_of(network)
    if focus:
        keep = index.neighbours(focus)
        partners = [p for p in partners if p.id in keep]
    return partners


def _partners_view(page, network, focus, part: int = 0, **_):
    """Partners grouped focal / IVN / OVN; on the partners page (`part`) one part of a long list."""
    n = page.renderer.network
    partners = _partners(page, network, focus)
    totals = Counter(n.network_of(p) for p in partners)
    pager = page.pager("partners", part) if not (network or focus) else None
    continued = set()
    if pager:
        continued = {n.network_of(p) for p in partners[: pager["first"] - 1]}  # groups begun on earlier pages
        partners = partners[pager["first"] - 1: pager["last"]]
    partners, capped = _capped(page, partners, "partners")
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


def _matrix_view(page, network, focus, part: int = 0, **_):
    """Partners × roles, IVN and OVN apart; on the roles page (`part`) one part of a long list."""
    n = page.renderer.network
    partners = _partners(page, network, focus)
    inner = lambda p: n.network_of(p) in ("focal", "ivn")  # noqa: E731
    totals = {"ivn": sum(1 for p in partners if inner(p))}
    totals["ovn"] = len(partners) - totals["ivn"]
    pager = page.pager("roles", part) if not (network or focus) else None
    if pager:
        partners = partners[pager["first"] - 1: pager["last"]]
    partners, capped = _capped(page, partners, "roles")
    tables = []
    for kind, title in (("ivn", label("network", "ivn")), ("ovn", label("network", "ovn"))):
        rows = [p for p in partners if inner(p) == (kind == "ivn")]
        if rows:
            tables.append((kind, title, rows))
    return {"tables": tables, **_filter_options(n, partners, focus), "roles": n.roles, "totals": totals,
            "pager": pager, "capped": capped}


def _roles_view(page, network, focus, limit: int = 0, **_):
    """Each role and its members; with a `limit`, the first members of a crowded role (the role
    matrix, which the roles page holds, marks every one)."""
    n = page.renderer.network
    return {"roles": n.roles, "members": page.renderer.index.partners_in_role, "limit": limit or None}


def _exchanges_view(page, network, focus, limit: int = 40, part: int = 0, **_):
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


def _agreements_view(page, network, focus, detail: bool = False, part: int = 0, **_):
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
    agreements, capped = _capped(page, agreements, "agreements")
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


def _funding_view(page, network, focus, limit: int = 25, section: str = "all", **_):
    """The money of the focal organisation (money.py): income, spending and flows elsewhere, never
    added together; per year, per counterpart; arrangements active on as_of and undated flows apart.
    Tables show the `limit` largest rows and count the rest, so the page stays small at 2,000 payments."""
    money = page.renderer.money
    n = page.renderer.network
    flows = money.flows
    if focus:
        flows = [fm for fm in flows if focus in (fm.flow.source_id, fm.flow.target_id)]
    if network:
        keep = {p.id for p in page.renderer.index.partners_of(network)}
        flows = [fm for fm in flows if fm.flow.source_id in keep or fm.flow.target_id in keep]
    summary = money.summary if flows is money.flows else money.summarise(flows)
    focal = n.info.focal
    currencies = sorted({c for d in summary.totals.values() for c in d})
    years = {}
    for currency in currencies:
        income = summary.get("income", currency)
        spending = summary.get("spending", currency)
        keys = sorted(set(income.years if income else ()) | set(spending.years if spending else ()))
        rows = [(y, *(income.years.get(y, [0.0, 0.0]) if income else (0.0, 0.0)),
                 *(spending.years.get(y, [0.0, 0.0]) if spending else (0.0, 0.0))) for y in keys]
        if rows:
            years[currency] = (rows, year_chart(currency, rows, n.focal.name))
    active = sorted((fm for fm in flows if fm.active and fm.direction != "internal"),
                    key=lambda fm: (fm.direction, fm.flow.currency, -fm.flow.amount, fm.flow.source_id))
    undated = [fm for fm in flows if fm.undated]
    # Flows elsewhere, the `limit` largest of each currency (the diagram draws a few of each).
    elsewhere, seen = [], dict[str, int]()
    for e in summary.edges:
        if focal not in (e[0], e[1]):
            seen[e[2]] = seen.get(e[2], 0) + 1
            if seen[e[2]] <= limit:
                elsewhere.append(e)
    return {
        "summary": summary, "money": money, "currencies": currencies, "years": years, "limit": limit,
        "active": active, "undated": undated, "elsewhere": elsewhere, "share": format_share,
        "timing": timing_text, "filtered": flows is not money.flows, "section": section,
        "commitments": [] if flows is not money.flows else money.commitments,
        "elsewhere_count": sum(seen.values()),
        "plans": n.info.plans, "reported": n.info.reported,
        "computed_years": {(year, currency): (row[1], row[3]) for currency, (rows, _chart) in years.items()
                           for row in rows for year in (row[0],)},
    }


def _power_view(page, network, focus, anchors: bool = False, limit: int = 40, **_):
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


def _canvas_view(page, network, focus, **_):
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


def _partner_view(page, network, focus, section: str = "facts", part: int = 0, **_):
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
    if section in PARTNER_SECTIONS and section != "funding":  # the payments: _partner_money
        rows[section], pager, more = _partner_section(page, partner.id, section, rows[section], part)
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
        **(_partner_money(page, partner.id, part) if section == "funding" else {}),
        "decisions": index.decisions_of[partner.id],
        "projects": rows["projects"],
        "held_alone": elephant.held_alone(n, partner.id, page.renderer.elephants["projects"])
        if section == "projects" else [],
        "backlinks": page.renderer.backlinks.get(partner.id, []),
        "state": partner.state_on(n.as_of),
        "section": section,
        "history": rows["history"],
    }


def _partner_section(page, partner_id: str, section: str, rows: list,
                     part: int) -> tuple[list, dict | None, dict | None]:
    """A long section of a partner's page (paging.SECTION_ROWS): on the partner page (`part` 0) its first
    rows, the latest for the history, and what `capped.html.j2` says of the rest; on the section's own
    page one part of every row. Returns (rows shown, pager, capped)."""
    paged = page.renderer.paging.get((section, partner_id))
    if paged is None:
        return rows, None, None
    if part:
        pager = page.pager((section, partner_id), part)
        return rows[pager["first"] - 1: pager["last"]], pager if paged.parts > 1 else None, None
    more = {"more": len(rows) - SECTION_ROWS, "href": page.page_href(paged.srcs[0])}
    return (rows[-SECTION_ROWS:] if section == "history" else rows[:SECTION_ROWS]), None, more


def _partner_money(page, partner_id: str, part: int = 0) -> dict:
    """A partner's money: with the focal organisation per currency and year (money.py), its flows
    elsewhere per year, and its payments, newest first (the SECTION_ROWS latest; the years count them
    all, the section's own page lists them all)."""
    money = page.renderer.money
    flows = money.flows_of(partner_id)
    elsewhere: dict[tuple, float] = {}
    gives_to, receives_from = pgettext("money elsewhere", "gives to"), pgettext("money elsewhere", "receives from")
    for fm in flows:
        if fm.direction != "elsewhere" or fm.undated:
            continue
        gives = fm.flow.source_id == partner_id
        other = fm.flow.target_id if gives else fm.flow.source_id
        for day, amount in fm.slices:
            key = (day.year, fm.flow.currency, gives_to if gives else receives_from, other)
            elsewhere[key] = elsewhere.get(key, 0.0) + amount
    listed = sorted(flows, key=lambda fm: (fm.slices[0][0] if fm.slices else dt.date.max, fm.flow.amount),
                    reverse=True)
    payments, pager, capped = _partner_section(page, partner_id, "funding", listed, part)
    rows = sorted(elsewhere.items())
    elsewhere_capped = None
    if capped and len(rows) > SECTION_ROWS:  # the partner page: the latest years; the section's page all
        elsewhere_capped = {"more": len(rows) - SECTION_ROWS, "href": capped["href"]}
        rows = rows[-SECTION_ROWS:]
    first_part = part <= 1  # the tables per year go once, above the first payments
    return {
        "money": money, "with_focal": money.with_partner(partner_id) if first_part else {}, "share": format_share,
        "elsewhere": rows if first_part else [], "elsewhere_capped": elsewhere_capped, "payments": payments,
        "more_payments": 0 if part else len(listed) - len(payments),  # on its own page, the pager counts
        "pager": pager, "capped": capped,
        "timing": timing_text, "focal_summary": money.summary if partner_id == money.focal and first_part else None,
    }


def _diagram_view(page, network, focus, kind: str = "network", table: bool = True, **_):
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


def _projects_view(page, network, focus, part: int = 0, **_):
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


def _elephant_view(page, network, focus, whole: str = "income", **_):
    """The elephant factor of one kind of whole: `income` (per currency), `projects` (each project's
    maintainers, smallest factor first) or `decisions` (the decision seats)."""
    if whole not in ("income", "projects", "decisions"):
        raise ViewError(f"view 'elephant': whole is '{whole}'; expected income, projects or decisions")
    found = page.renderer.elephants[whole]
    if whole == "projects":
        n = page.renderer.network
        results = sorted(found.values(), key=lambda e: (not e.reached, e.factor, -e.total, e.subject))
        results = [(n.project(e.subject), e) for e in results]
    elif whole == "income":
        results = list(found.values())
    else:
        results = [found] if found is not None else []
    return {"whole": whole, "results": results, "explanation": elephant.explanation(),
            "chaoss": elephant.CHAOSS_URL}


def _health_view(page, network, focus, full: bool = False, **_):
    """The findings; `full` (the page of every item) lists all items of each, not the first few."""
    return {"report": page.renderer.health, "full": full}


def _money_window(renderer) -> tuple[str, str]:
    first, last = renderer.money.window
    return first.isoformat(), last.isoformat()


def _impact_view(page, network, focus, full: bool = False, **_):
    """What the network would lose without the `focus` partner (its page's #impact section): each list
    its first paging.SECTION_ROWS items and a link to the `full` lists on a page of their own."""
    renderer = page.renderer
    n = renderer.network
    found = renderer.impact.of(focus)
    long = not full and impact_rows(found) > SECTION_ROWS
    return {
        "partner": n.partner(focus), "impact": found, "is_focal": focus == n.info.focal,
        "money_known": renderer.impact.money_known, "window": _money_window(renderer),
        "rows": SECTION_ROWS if long else None,
        "full_href": page.page_href(section_src(renderer.paths, focus, "impact")) if long else None,
    }


def _impact_ranking_view(page, network, focus, part: int = 0, **_):
    """Every current partner but the focal organisation, the worst loss first; on the impact
    page (`part`) one part of a long list."""
    impacts = page.renderer.impact
    ranked = impacts.ranked()
    if network:
        keep = {p.id for p in page.renderer.index.partners_of(network)}
        ranked = [i for i in ranked if i.partner_id in keep]
    pager = page.pager("impact", part) if not network else None
    offset = 0
    if pager:
        offset = pager["first"] - 1
        ranked = ranked[offset: pager["last"]]
    return {"ranked": ranked, "money_known": impacts.money_known, "window": _money_window(page.renderer),
            "pager": pager, "offset": offset}


def _description_view(page, network, focus, folded: bool = False, **_):
    return {"html": render_markdown(page.renderer.network.info.description), "folded": folded}


BUILDERS = {
    "description": _description_view,
    "partners": _partners_view,
    "matrix": _matrix_view,
    "roles": _roles_view,
    "exchanges": _exchanges_view,
    "agreements": _agreements_view,
    "funding": _funding_view,
    "power": _power_view,
    "canvas": _canvas_view,
    "partner": _partner_view,
    "diagram": _diagram_view,
    "health": _health_view,
    "projects": _projects_view,
    "impact": _impact_view,
    "impact-ranking": _impact_ranking_view,
    "elephant": _elephant_view,
}


@functools.cache
def view_options(name: str) -> tuple[str, ...]:
    """Every option `view(name, ...)` takes in a template: its filters, then the builder's own keywords."""
    own = [option for option, parameter in inspect.signature(BUILDERS[name]).parameters.items()
           if option not in ("page", "network", "focus") and parameter.kind is parameter.POSITIONAL_OR_KEYWORD]
    return (*VIEWS[name].filters, *own)


def check_view_call(model, name: str, options: dict) -> None:
    """Raises ViewError naming what is wrong with `view(name, **options)`; None options count as not given."""
    if not isinstance(name, str) or name not in VIEWS:
        raise ViewError(f"unknown view '{name}'{did_you_mean(str(name), list(VIEWS))}; "
                        f"views are: {', '.join(VIEWS)}")
    known = view_options(name)
    for option, value in options.items():
        if value is None:
            continue
        if option not in known:
            raise ViewError(f"the {name} view has no option '{option}'{did_you_mean(option, known)}; "
                            f"its options are: {', '.join(known) or 'none'}")
    given = {option: value for option, value in options.items() if value is not None}
    if "network" in given and not is_network(given["network"]):
        raise ViewError(f"view '{name}': network is '{given['network']}'; expected ivn or ovn")
    if "focus" in given and not is_partner(given["focus"], model.partner_by_id):
        focus = str(given["focus"])
        raise ViewError(f"view '{name}': unknown partner '{focus}' in focus"
                        f"{did_you_mean(focus, sorted(model.partner_by_id))}")
    if VIEWS[name].needs_focus and "focus" not in given:
        raise ViewError(f"the {name} view needs focus=<partner id>")
    if name == "diagram" and given.get("kind", "network") not in DIAGRAM_KINDS:
        kind = str(given["kind"])
        raise ViewError(f"the diagram view has no kind '{kind}'{did_you_mean(kind, DIAGRAM_KINDS)}; "
                        f"kinds are: {', '.join(DIAGRAM_KINDS)}")
