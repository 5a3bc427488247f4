"""The views of money: the focal organisation's funding, and one partner's money."""

from __future__ import annotations

import datetime as dt

from ..analysis.money import format_share, timing_text
from ..i18n.language import pgettext
from .money_chart import year_chart
from .paging import SECTION_ROWS, partner_section_rows


def funding_view(page, network, focus, limit: int = 25, section: str = "all", **_):
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


def partner_money(page, partner_id: str, part: int = 0) -> dict:
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
    payments, pager, capped = partner_section_rows(page, partner_id, "funding", listed, part)
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

