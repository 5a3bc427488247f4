"""A small inline SVG bar chart of income and spending per year, in one currency.

The year table beside it says the same in numbers (its text equivalent). Every
text that reaches the SVG is escaped.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..i18n.language import _, format_amount, pgettext

ROW = 15  # px per bar
GAP = 9  # px between years
LABEL = 44  # px for the year
BARS = 380  # px for the longest bar
WIDTH = LABEL + BARS + 150  # room for the amount after the bar


def _bar(y: int, happened: float, committed: float, scale: float, kind: str, currency: str, label: str) -> str:
    solid = happened * scale
    light = committed * scale
    parts = [f'<rect class="pb-bar pb-bar-{kind}" x="{LABEL}" y="{y}" width="{solid:.1f}" height="{ROW - 3}"/>']
    if committed:
        parts.append(f'<rect class="pb-bar pb-bar-{kind} pb-bar-committed" x="{LABEL + solid:.1f}" y="{y}" '
                     f'width="{light:.1f}" height="{ROW - 3}"/>')
    if committed:
        text = _("%(label)s %(amount)s + %(committed)s committed", label=label, amount=format_amount(happened),
                 committed=format_amount(committed))
    else:
        text = _("%(label)s %(amount)s", label=label, amount=format_amount(happened))
    parts.append(f'<text class="pb-bar-label" x="{LABEL + solid + light + 4:.1f}" y="{y + ROW - 5}">'
                 f"{escape(text)}</text>")
    return "".join(parts)


def year_chart(currency: str, rows: list[tuple[int, float, float, float, float]], whose: str) -> Markup:
    """rows: (year, income happened, income committed, spending happened, spending committed)."""
    largest = max([r[1] + r[2] for r in rows] + [r[3] + r[4] for r in rows] + [0.0])
    scale = BARS / largest if largest else 0.0
    height = len(rows) * (2 * ROW + GAP) + 4
    title = _("Income and spending of %(name)s per year, %(currency)s (light: committed after the snapshot date)",
              name=whose, currency=currency)
    out = [f'<svg class="pb-year-chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" '
           f'height="{height}" viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}">',
           f"<title>{escape(title)}</title>"]
    for i, (year, income, income_later, spending, spending_later) in enumerate(rows):
        y = i * (2 * ROW + GAP) + 2
        out.append(f'<text class="pb-year-label" x="0" y="{y + ROW + 4}">{year}</text>')
        out.append(_bar(y, income, income_later, scale, "income", currency, pgettext("year chart: income bar", "in")))
        out.append(_bar(y + ROW, spending, spending_later, scale, "spending", currency,
                        pgettext("year chart: spending bar", "out")))
    out.append("</svg>")
    return Markup("".join(out))
