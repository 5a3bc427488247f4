"""The health findings about money: funding concentration, commitments and the hollow core.

They read the build's one `Money` (money.py), so the health report says what the
funding page and the partner pages say. Each returns plain dicts that
`health.py` turns into findings: {key, title, level, summary, why, items:
[(kind, id, detail), …]}.
"""

from __future__ import annotations

import datetime as dt

from ..data.model import Network
from ..i18n import labels, language
from ..i18n.message import Text, later
from ..i18n.message import gettext_later as _
from ..i18n.message import ngettext_later as ngettext
from . import graphs as analysis
from . import money as money_text
from .money import Money, end_text, ended
from .money_timing import FlowMoney

# Findings are kept and shown later, maybe in another language: their text is a message id
# and arguments (i18n/message.py), translated when shown.
format_amount, format_date, format_number, format_payment = (
    later(language.format_amount), later(language.format_date), later(language.format_number),
    later(language.format_payment))
label, timing_text, format_share = later(labels.label), later(money_text.timing_text), later(money_text.format_share)


def _span(first: dt.date, last: dt.date) -> Text:
    return _("%(first)s – %(last)s", first=format_date(first), last=format_date(last))


def concentration(network: Network, money: Money) -> list[dict]:
    """Per currency: how much of the focal organisation's income in the window its largest funder gives."""
    focal = network.focal
    window = _span(*money.window)
    income = money.summary.totals.get("income", {})
    findings = []
    for currency, totals in income.items():
        top = totals.largest
        if top is None:
            continue
        shares = [c.share_window or 0.0 for c in totals.counterparts if c.window]  # numbers: the window is not empty
        index_value = totals.hhi_window
        if top.share_window is None or index_value is None:  # no income in the window: never with a largest
            continue
        elephants = analysis.elephant_factor(shares)
        findings.append({
            "key": f"funding-{currency}", "title": _("Funding concentration (%(currency)s)", currency=currency),
            "level": "risk" if top.share_window >= 0.75 else "attention" if index_value >= 2500 else "info",
            "summary": ngettext(
                "%(funder)s gives %(share)s of %(name)s's %(currency)s income in the window %(window)s "
                "(%(amount)s from %(num)s source); HHI %(hhi)s of %(most)s; elephant factor %(elephants)s "
                "(funders covering half the money).",
                "%(funder)s gives %(share)s of %(name)s's %(currency)s income in the window %(window)s "
                "(%(amount)s from %(num)s sources); HHI %(hhi)s of %(most)s; elephant factor %(elephants)s "
                "(funders covering half the money).", len(shares),
                funder=network.partner(top.partner).name, share=format_share(top.share_window), name=focal.name,
                currency=currency,
                window=window, amount=format_amount(totals.window, currency), hhi=format_number(round(index_value)),
                most=format_number(10000), elephants=format_number(elephants)),
            "why": _("Income from one source makes the network's plans hostage to "
                     "that source's priorities and calendar."),
            "items": [("partner", c.partner, _("— %(amount)s · %(share)s", amount=format_amount(c.window, currency),
                                               share=format_share(c.share_window)))
                      for c in totals.counterparts if c.window],
        })
    if not findings:
        undated = sum(t.undated_count for t in income.values())
        findings.append({
            "key": "funding", "title": _("Funding concentration"), "level": "info",
            "summary": (ngettext("No income of %(name)s in the window %(window)s: concentration not computed "
                                 "(%(num)s undated income flow is in no window).",
                                 "No income of %(name)s in the window %(window)s: concentration not computed "
                                 "(%(num)s undated income flows are in no window).", undated,
                                 name=focal.name, window=window) if undated else
                        _("No income of %(name)s in the window %(window)s: concentration not computed.",
                          name=focal.name, window=window)),
            "why": _("Concentration is measured on the money received in the window the funding page shows."),
            "items": [],
        })
    return findings


def commitments(network: Network, money: Money) -> list[dict]:
    """Per currency: what the focal organisation will pay in the committed months against the income expected."""
    focal = network.focal
    months = _span(*money.committed_window)
    out = []
    for c in money.commitments:
        values = dict(name=focal.name, months=months, currency=c.currency,
                      spending=format_amount(c.spending, c.currency), income=format_amount(c.income, c.currency))
        if not c.flagged:
            level, summary = "ok", _(
                "%(name)s will pay %(spending)s in %(months)s and expects %(income)s of %(currency)s income "
                "in the same months.", **values)
        elif not c.income:
            last = _last_income(money, c.currency)
            if last:
                summary = ngettext(
                    "%(name)s keeps %(num)s %(currency)s spending arrangement (%(spending)s due in %(months)s) "
                    "but expects no %(currency)s income in those months; its last %(currency)s income counted "
                    "on %(last)s.",
                    "%(name)s keeps %(num)s %(currency)s spending arrangements (%(spending)s due in %(months)s) "
                    "but expects no %(currency)s income in those months; its last %(currency)s income counted "
                    "on %(last)s.", len(c.arrangements), last=last, **values)
            else:
                summary = ngettext(
                    "%(name)s keeps %(num)s %(currency)s spending arrangement (%(spending)s due in %(months)s) "
                    "but expects no %(currency)s income in those months.",
                    "%(name)s keeps %(num)s %(currency)s spending arrangements (%(spending)s due in %(months)s) "
                    "but expects no %(currency)s income in those months.", len(c.arrangements), **values)
            level = "risk"
        else:
            level, summary = "risk", _(
                "%(name)s commits %(spending)s in %(months)s but expects only %(income)s of %(currency)s income "
                "in the same months.", **values)
        out.append({
            "key": f"commitments-{c.currency}", "title": _("Commitments (%(currency)s)", currency=c.currency),
            "level": level,
            "summary": summary,
            "why": _("Money promised to partners has to come from somewhere: a commitment without income to match "
                     "is paid from reserves, or broken."),
            "items": [("partner", fm.flow.target_id, _arrangement(network, fm, coming))
                      for fm, coming in c.arrangements],
        })
    if not out:
        out.append({
            "key": "commitments", "title": _("Commitments"), "level": "ok",
            "summary": _("%(name)s has no active spending arrangement or payment due in %(months)s: nothing to cover.",
                         name=focal.name, months=months),
            "why": _("Money promised to partners has to come from somewhere."),
            "items": [],
        })
    return out


def _arrangement(network: Network, fm: FlowMoney, coming: float) -> Text:
    f = fm.flow
    what = (network.agreement(f.agreement).title if f.agreement else
            (f.purpose or label("instrument", f.instrument) or _("funding")))
    values = dict(what=what, amount=format_payment(f.amount, f.currency), timing=timing_text(f),
                  due=format_amount(coming, f.currency))
    if f.instrument:
        return _("— %(what)s: %(amount)s %(timing)s (%(instrument)s); %(due)s due",
                 instrument=label("instrument", f.instrument), **values)
    return _("— %(what)s: %(amount)s %(timing)s; %(due)s due", **values)


def _last_income(money: Money, currency: str) -> Text | None:
    days = [day for fm in money.flows if fm.direction == "income" and fm.flow.currency == currency
            for day, _slice in fm.slices if day <= money.as_of]
    return format_date(max(days)) if days else None


def hollow_core(network: Network, money: Money) -> dict:
    """Core work partners build on, and whether funding marked core pays for it in the window."""
    builders = analysis.core_builders(network)
    window = _span(*money.window)
    why = _("Open-source cores decay when every grant pays for products on top and nobody pays for the base.")
    if not builders:
        return {"key": "hollow-core", "title": _("Hollow core"), "level": "ok",
                "summary": _("No partner builds on a shared core (code from the focal organisation or a "
                             "component-platform strategy): hollow core not checked."),
                "why": why,
                "items": []}
    current, past = money.core_flows()
    last = max(past, key=lambda fm: ended(fm) or dt.date.min) if past else None  # past flows have ended
    if current:
        # One sentence, two counts: the flows agree with their verb, the partners with theirs.
        partners = ngettext("%(num)s partner builds", "%(num)s partners build", len(builders))
        summary = ngettext("%(num)s funding flow marked core pays for the shared core that %(partners)s on "
                           "(window %(window)s).",
                           "%(num)s funding flows marked core pay for the shared core that %(partners)s on "
                           "(window %(window)s).", len(current), partners=partners, window=window)
    elif last:
        summary = ngettext("%(num)s partner builds on the shared core, but no funding flow marked core pays for "
                           "its maintenance in the window %(window)s; the last core flow ended %(ended)s.",
                           "%(num)s partners build on the shared core, but no funding flow marked core pays for "
                           "its maintenance in the window %(window)s; the last core flow ended %(ended)s.",
                           len(builders), window=window, ended=format_date(end_text(last)))
    else:
        summary = ngettext("%(num)s partner builds on the shared core, but no funding flow marked core pays for "
                           "its maintenance in the window %(window)s.",
                           "%(num)s partners build on the shared core, but no funding flow marked core pays for "
                           "its maintenance in the window %(window)s.", len(builders), window=window)
    return {
        "key": "hollow-core", "title": _("Hollow core"), "level": "ok" if current else "risk",
        "summary": summary,
        "why": why,
        "items": [("partner", pid, "") for pid in builders],
    }
