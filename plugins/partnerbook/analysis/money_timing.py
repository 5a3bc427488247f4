"""Funding flows in time: each flow as dated amounts and a direction; a flow's timing in words.

The timing rules (content/guide/data-format.md, `funding`) turn each flow into dated amounts
("slices"):

- `date`            → the whole amount on that day;
- `since` + `until` → the amount spread evenly over the calendar months of the
                      period (the first month's share on `since`, the others on
                      the first day of their month);
- `per` + `since`   → the amount on `since` and every month / quarter / year
                      after it, up to `until`; with no `until`, an ongoing
                      recurring amount is expected to go on for the committed
                      horizon (the 12 months after `as_of`) and no further;
- `since` alone     → the whole amount on `since` (the month it starts);
- none              → undated: in no window, totalled apart.

A date written as a month or a year counts on its first day. Each flow has a
direction seen from the focal organisation — *income* (to it), *spending* (by
it), *elsewhere* (neither end is the focal organisation) or *internal* (from
it to itself, counted nowhere) — and totals are only ever made within one
direction and one currency (money.py).
"""


from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from ..data.model import Funding
from ..i18n.language import _, format_date

COMMITTED_MONTHS = 12
FAR_MONTHS = 12 * 30  # the per-year table looks this far ahead at most
_STEP = {"month": 1, "quarter": 3, "year": 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class FlowMoney:
    """One funding flow: its direction seen from the focal organisation and its dated amounts."""

    flow: Funding
    direction: str  # income | spending | elsewhere | internal
    slices: tuple[tuple[dt.date, float], ...]  # empty when undated
    active: bool  # an arrangement whose period covers as_of (a payment never is)
    undated: bool = False  # no date at all: in no window, totalled apart

    @property
    def counterpart(self) -> str:
        """The partner on the other side from the focal organisation (the giver for flows elsewhere)."""
        return self.flow.target_id if self.direction == "spending" else self.flow.source_id


def _slices(flow: Funding, as_of: dt.date) -> tuple[tuple[dt.date, float], ...]:
    timing = flow.timing
    if timing == "payment":
        assert flow.date is not None  # the timing says which dates a flow has (model.Funding.timing)
        return ((flow.date.first, flow.amount),)
    if timing == "one-off":
        assert flow.since is not None
        return ((flow.since.first, flow.amount),)
    # Months further ahead than FAR_MONTHS are never drawn as slices (an `until: 9999` stays cheap);
    # a period's monthly share still divides its amount by all of its months.
    far = add_months(as_of, FAR_MONTHS)
    if timing == "period":
        assert flow.since is not None and flow.until is not None
        start, end = flow.since.first, flow.until.last
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        share = flow.amount / months
        first_of = dt.date(start.year, start.month, 1)
        shown = min(months, max(0, (far.year - start.year) * 12 + far.month - start.month + 1))
        return tuple((start if k == 0 else add_months(first_of, k), share) for k in range(shown))
    if timing == "recurring":
        assert flow.since is not None  # load.py refuses a recurring amount without `since`
        end = min(flow.until.last if flow.until else add_months(as_of, COMMITTED_MONTHS), far)
        out: list[tuple[dt.date, float]] = []
        k, step = 0, _STEP[flow.per or ""]  # a recurring flow has its `per`
        while True:
            day = add_months(flow.since.first, k * step)
            if day > end:
                return tuple(out)
            out.append((day, flow.amount))
            k += 1
    return ()


def _direction(flow: Funding, focal: str) -> str:
    if flow.source_id == focal and flow.target_id == focal:
        return "internal"
    if flow.target_id == focal:
        return "income"
    if flow.source_id == focal:
        return "spending"
    return "elsewhere"


def ended(fm: FlowMoney) -> dt.date | None:
    """The last day money of this flow counts (or its `until` when undated); None when ongoing."""
    f = fm.flow
    if f.until is not None:
        return f.until.last
    if fm.flow.timing == "recurring":
        return None
    return fm.slices[-1][0] if fm.slices else None


def end_text(fm: FlowMoney) -> str:
    """How the data wrote the end of a flow: its `until`, `date` or `since`."""
    f = fm.flow
    return str(f.until or f.date or f.since or "")


def timing_text(flow: Funding) -> str:
    """The flow's timing in words, e.g. 'Mar 10, 2025', 'Jan 2024 – Dec 2027', 'per year since Mar 2024'."""
    timing = flow.timing
    if timing == "payment":
        return format_date(flow.date)
    if timing == "period":
        return _("%(first)s – %(last)s", first=format_date(flow.since), last=format_date(flow.until))
    if timing == "recurring":
        values = dict(since=format_date(flow.since), until=format_date(flow.until))
        # 'per year': the period is a word of the sentence, so each period is a message of its own
        if flow.until:
            return {"month": _("per month since %(since)s until %(until)s", **values),
                    "quarter": _("per quarter since %(since)s until %(until)s", **values),
                    "year": _("per year since %(since)s until %(until)s", **values)}.get(
                        flow.per or "", _("per %(per)s since %(since)s until %(until)s", per=flow.per, **values))
        return {"month": _("per month since %(since)s", **values),
                "quarter": _("per quarter since %(since)s", **values),
                "year": _("per year since %(since)s", **values)}.get(
                    flow.per or "", _("per %(per)s since %(since)s", per=flow.per, **values))
    if timing == "one-off":
        return _("from %(since)s", since=format_date(flow.since))
    if flow.until:
        return _("undated (until %(until)s)", until=format_date(flow.until))
    return _("undated")
