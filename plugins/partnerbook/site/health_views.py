"""The views of what could go wrong: the health findings, what the network would lose without a
partner (impact, and its ranking), and who holds too much of a whole (the elephant factor)."""

from __future__ import annotations

from ..analysis import elephant
from .paging import SECTION_ROWS, impact_rows, section_src
from .views import ViewError


def elephant_view(page, network, focus, whole: str = "income", **_):
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


def health_view(page, network, focus, full: bool = False, **_):
    """The findings; `full` (the page of every item) lists all items of each, not the first few."""
    return {"report": page.renderer.health, "full": full}


def _money_window(renderer) -> tuple[str, str]:
    first, last = renderer.money.window
    return first.isoformat(), last.isoformat()


def impact_view(page, network, focus, full: bool = False, **_):
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


def impact_ranking_view(page, network, focus, part: int = 0, **_):
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

