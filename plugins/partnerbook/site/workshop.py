"""Workshop sheets: printable one-page worksheets for the group sessions the guide describes.

For each partner a Value Network sheet, for each agreement a scorecard sheet,
for each decision a power sheet, a blank one of each, and the index page that
reaches them. The index is a page of the site; each sheet is a page of its own,
a whole HTML document the host writes as it is, without its theme: it opens as
the paper it prints on, with a link back to the index. So the host neither
converts nor themes it (534 sheets at 1,000 partners were a third of MkDocs'
pages), and search leaves it out (it repeats what the partner, agreement and
power pages say).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from markupsafe import Markup

from ..base.urls import ASSET_DIR, relative_url
from ..data.schema import IVN_CRITERIA, LEVELS, OVN_TYPES, RATINGS
from ..i18n.language import N_, _, active

INDEX_TEMPLATE = "workshop.md.j2"
SHEET_PAGE_TEMPLATE = "sheet-page.html.j2"  # the document around a sheet
SHEET_STYLESHEETS = ("partnerbook.css", "partnerbook-print.css")
SHEET_TITLES = {
    "value-network": N_("Value Network sheet"),
    "scorecard": N_("Scorecard sheet"),
    "power": N_("Power sheet"),
}

# What each IVN criterion asks, in the words of the Value Network Tool.
CRITERION_QUESTIONS = {
    "develops": N_("They directly develop part of the product"),
    "agreement": N_("A signed MOU, agreement or contract binds us"),
    "function": N_("They perform a function we would otherwise hold ourselves"),
    "joint-planning": N_("We plan and set strategy together"),
}

# What each default scorecard element asks; replaced elements (config) show their id only.
ELEMENT_QUESTIONS = {
    "who.partners": N_("Names every partner"),
    "who.representatives": N_("Names the people who represent each partner"),
    "why.vision": N_("States the shared vision"),
    "why.shared-objectives": N_("States the objectives held together"),
    "why.partner-objectives": N_("States each partner's own objectives"),
    "why.principles": N_("States the principles we work by"),
    "what.activities": N_("Lists the activities"),
    "what.work-plan": N_("Has a work plan"),
    "what.resources": N_("Says what resources each partner commits"),
    "what.roles": N_("Says who does what"),
    "what.indicators": N_("Says how success is measured"),
    "what.sustainability": N_("Says how the work continues after the money"),
    "how.governance": N_("Sets out governance"),
    "how.decision-making": N_("Says how decisions are taken"),
    "how.communication": N_("Says how partners communicate"),
    "how.conflict-resolution": N_("Says how conflicts are resolved"),
    "how.ip-and-data": N_("Says who owns intellectual property and data"),
    "when.duration": N_("States the duration"),
    "when.review": N_("Says when it is reviewed"),
    "when.exit": N_("Says how a partner leaves"),
}

# Room to write on a sheet, and where it turns dense (smaller type, tighter rows) to stay on one
# page, as measured in Chromium on A4 and Letter (tests/browser/test_print.py): lines under provides and
# receives, partner rows of a power sheet (up to 6 of them blank), scorecard elements.
LIST_ROWS, LIST_DENSE = 6, 9
POWER_ROWS, POWER_BLANK = 22, 6
BLANK_POWER_ROWS = 16
SCORECARD_DENSE = 24
# Above this many partners only inner-network partners get a Value Network sheet of their own
# (option `workshop_partner_limit`).
SHEET_PARTNER_LIMIT = 500


def sheet_partners(network, partner_limit: int) -> list:
    """Partners that get a Value Network sheet: all but the focal one; in a network of more than
    `partner_limit` partners only the inner ones (a sheet per outer partner would add a page per
    partner to the build for sessions that work with tens of them; the blank sheet serves those)."""
    others = [p for p in network.partners if p.id != network.info.focal]
    if len(network.partners) <= partner_limit:
        return others
    return [p for p in others if network.network_of(p) == "ivn"]


def sheet_agreements(network) -> list:
    """Agreements that get a scorecard sheet: those the focal organisation is party to. A workshop
    scores the focal organisation's own partnering agreements; an imported network holds thousands
    between others (2,084 IATI commitments), each a page no session would use."""
    return [a for a in network.agreements if network.info.focal in a.parties]


def workshop_pages(renderer, skip: Callable[[str], bool], partner_limit: int = SHEET_PARTNER_LIMIT
                   ) -> Iterator[tuple[str, bool, Callable[[], str], bool]]:
    """(src_uri, in_nav, render, standalone) of the workshop index, the blank sheets and every item's
    sheet (pages.PageJob)."""
    paths = renderer.paths
    network = renderer.network
    partners = sheet_partners(network, partner_limit)
    index_src = paths.workshop()
    if not skip(index_src):
        def render_index() -> str:
            page = _page(renderer, index_src)
            context = _index_context(page, {p.id for p in partners}, partner_limit)
            sheets = page.park(page.render_html("view-workshop.html.j2", **context), late=True)
            return page.render_page(INDEX_TEMPLATE, sheets=sheets)
        yield index_src, True, render_index, False
    items = [("value-network", None), ("scorecard", None), ("power", None)]
    items += [("value-network", p) for p in partners]
    items += [("scorecard", a) for a in sheet_agreements(network)]
    items += [("power", d) for d in network.decisions]
    for kind, item in items:
        src = paths.sheet(kind, item.id if item is not None else None)
        if not skip(src):
            yield src, False, functools.partial(_render_sheet, renderer, src, index_src, kind, item), True


def _render_sheet(renderer, src: str, index_src: str, kind: str, item) -> str:
    """The sheet's whole HTML document; its links are URLs whatever the host (no host reads it)."""
    page = renderer.page(src)
    page.standalone = True
    context = _SHEETS[kind](page, item)
    html = page.render_html(f"sheet-{kind}.html.j2", kind=kind, item=item, box=box,
                            index_url=page.page_href(index_src), **context)
    title = (_("%(sheet)s: %(name)s", sheet=_(SHEET_TITLES[kind]), name=_name(item)) if item is not None
             else _("%(sheet)s (blank)", sheet=_(SHEET_TITLES[kind])))
    return "<!DOCTYPE html>\n" + str(page.render_html(
        SHEET_PAGE_TEMPLATE, title=title, sheet=html, language=active().code,
        stylesheets=[page.file_href(ASSET_DIR + name) for name in SHEET_STYLESHEETS])) + "\n"


def _page(renderer, src_uri: str):
    page = renderer.page(src_uri)
    page.late_views = True
    return page


def _name(item: object) -> str:
    return str(getattr(item, "name", None) or getattr(item, "title", ""))


def _sheet_url(page, kind: str, item_id: str | None = None) -> str:
    return relative_url(page.src_uri, page.renderer.paths.sheet(kind, item_id), page.renderer.use_directory_urls)


def _index_context(page, with_sheet: set[str], partner_limit: int) -> dict:
    network = page.renderer.network
    index = page.renderer.index
    partners = [(group, [(p, _sheet_url(page, "value-network", p.id)) for p in index.partners_of(group)
                         if p.id in with_sheet])
                for group in ("ivn", "ovn")]
    return {
        "partner_limit": partner_limit,
        "without_sheet": len(network.partners) - 1 - len(with_sheet),
        "blanks": [(_(SHEET_TITLES[kind]), _sheet_url(page, kind)) for kind in SHEET_TITLES],
        "partner_groups": [(group, rows) for group, rows in partners if rows],
        "agreements": [(a, _sheet_url(page, "scorecard", a.id)) for a in sheet_agreements(network)],
        "decisions": [(d, _sheet_url(page, "power", d.id)) for d in network.decisions],
    }


def _value_network_sheet(page, partner) -> dict:
    network = page.renderer.network
    kind = network.network_of(partner) if partner is not None else None
    filled = max(len(partner.provides), len(partner.receives)) if partner is not None else 0
    return {
        "partner": partner,
        "in_network": kind,
        "criteria": [(c, _(CRITERION_QUESTIONS[c])) for c in IVN_CRITERIA],
        "ovn_types": OVN_TYPES,
        "roles": network.roles,
        "blank_lines": max(1, LIST_ROWS - filled),
        "dense": filled > LIST_DENSE,
    }


def _scorecard_sheet(page, agreement) -> dict:
    network = page.renderer.network
    groups: dict[str, list[tuple[str, str]]] = {}
    for element in network.scorecard_elements:
        groups.setdefault(element.split(".")[0], []).append(
            (element, _(ELEMENT_QUESTIONS[element]) if element in ELEMENT_QUESTIONS else ""))
    return {
        "agreement": agreement,
        "element_groups": groups,
        "ratings": RATINGS,
        "completeness": page.renderer.index.completeness.get(agreement.id) if agreement is not None else None,
        "dense": len(network.scorecard_elements) > SCORECARD_DENSE,
    }


def _power_sheet(page, decision) -> dict:
    network = page.renderer.network
    rows = []
    if decision is not None:
        order = page.renderer.index.position  # the data's order, read for these partners only (reads.py)
        rows = [(network.partner(pid), decision.participation[pid])
                for pid in sorted(decision.participation, key=order.__getitem__)]
    blank = max(2, min(POWER_BLANK, POWER_ROWS - len(rows))) if decision is not None else BLANK_POWER_ROWS
    return {
        "decision": decision,
        "levels": LEVELS,
        "rows": rows,
        "blank_rows": blank,
        "dense": len(rows) + blank > POWER_ROWS,
    }


_SHEETS = {"value-network": _value_network_sheet, "scorecard": _scorecard_sheet, "power": _power_sheet}


def box(marked: bool) -> Markup:
    """A box to tick by hand; a marked one says so to screen readers too."""
    if marked:
        return Markup('<span class="pb-box pb-box-on" role="img" aria-label="%s"></span>') % _("marked today")
    return Markup('<span class="pb-box" role="img" aria-label="%s"></span>') % _("not marked")
