"""The health findings about money: funding concentration, commitments and the hollow core.

They read the build's one `Money` (money.py), so the health report says what the
funding page and the partner pages say. Each returns plain dicts that
`health.py` turns into findings: {key, title, level, summary, why, items:
[(kind, id, detail), …]}.
"""

from __future__ import annotations

from . import analysis
from .model import Network
from .money import Money, end_text, ended, timing_text
from .i18n import format_amount
from .templating import plural


def _span(first, last) -> str:
    return f"{first.isoformat()} – {last.isoformat()}"


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
        shares = [c.share_window for c in totals.counterparts if c.window]
        index_value = totals.hhi_window
        elephants = analysis.elephant_factor(shares)
        findings.append({
            "key": f"funding-{currency}", "title": f"Funding concentration ({currency})",
            "level": "risk" if top.share_window >= 0.75 else "attention" if index_value >= 2500 else "info",
            "summary": (f"{network.partner(top.partner).name} gives {top.share_text} of {focal.name}'s "
                        f"{currency} income in the window {window} ({format_amount(totals.window, currency)} "
                        f"from {plural(len(shares), 'source')}); HHI {index_value:,.0f} of 10,000; elephant factor "
                        f"{elephants} (funders covering half the money)."),
            "why": "Income from one source makes the network's plans hostage to that source's priorities and calendar.",
            "items": [("partner", c.partner, f"— {format_amount(c.window, currency)} · {c.share_text}")
                      for c in totals.counterparts if c.window],
        })
    if not findings:
        undated = sum(t.undated_count for t in income.values())
        findings.append({
            "key": "funding", "title": "Funding concentration", "level": "info",
            "summary": (f"No income of {focal.name} in the window {window}: concentration not computed"
                        + (f" ({plural(undated, 'undated income flow')} {'is' if undated == 1 else 'are'} in no window)." if undated else ".")),
            "why": "Concentration is measured on the money received in the window the funding page shows.",
            "items": [],
        })
    return findings


def commitments(network: Network, money: Money) -> list[dict]:
    """Per currency: what the focal organisation will pay in the committed months against the income expected."""
    focal = network.focal
    months = _span(*money.committed_window)
    out = []
    for c in money.commitments:
        if not c.flagged:
            level, summary = "ok", (
                f"{focal.name} will pay {format_amount(c.spending, c.currency)} in {months} and expects "
                f"{format_amount(c.income, c.currency)} of {c.currency} income in the same months.")
        elif not c.income:
            last = _last_income(money, c.currency)
            level, summary = "risk", (
                f"{focal.name} keeps {plural(len(c.arrangements), c.currency + ' spending arrangement')} "
                f"({format_amount(c.spending, c.currency)} due in {months}) but expects no {c.currency} income "
                "in those months" + (f"; its last {c.currency} income counted on {last}" if last else "") + ".")
        else:
            level, summary = "risk", (
                f"{focal.name} commits {format_amount(c.spending, c.currency)} in {months} but expects only "
                f"{format_amount(c.income, c.currency)} of {c.currency} income in the same months.")
        out.append({
            "key": f"commitments-{c.currency}", "title": f"Commitments ({c.currency})", "level": level,
            "summary": summary,
            "why": "Money promised to partners has to come from somewhere: a commitment without income to match "
                   "is paid from reserves, or broken.",
            "items": [("partner", fm.flow.target_id, _arrangement(network, fm, coming)) for fm, coming in c.arrangements],
        })
    if not out:
        out.append({
            "key": "commitments", "title": "Commitments", "level": "ok",
            "summary": f"{focal.name} has no active spending arrangement or payment due in {months}: nothing to cover.",
            "why": "Money promised to partners has to come from somewhere.",
            "items": [],
        })
    return out


def _arrangement(network: Network, fm, coming: float) -> str:
    f = fm.flow
    what = network.agreement(f.agreement).title if f.agreement else (f.purpose or f.instrument or "funding")
    return (f"— {what}: {format_amount(f.amount, f.currency)} {timing_text(f)}"
            f"{f' ({f.instrument})' if f.instrument else ''}; {format_amount(coming, f.currency)} due")


def _last_income(money: Money, currency: str) -> str | None:
    days = [day for fm in money.flows if fm.direction == "income" and fm.flow.currency == currency
            for day, _ in fm.slices if day <= money.as_of]
    return max(days).isoformat() if days else None


def hollow_core(network: Network, money: Money) -> dict:
    """Core work partners build on, and whether funding marked `core` pays for it in the window."""
    builders = analysis.core_builders(network)
    window = _span(*money.window)
    if not builders:
        return {"key": "hollow-core", "title": "Hollow core", "level": "ok",
                "summary": "No partner builds on a shared core (code from the focal organisation or a "
                           "component-platform strategy): hollow core not checked.",
                "why": "Open-source cores decay when every grant pays for products on top and nobody pays for the base.",
                "items": []}
    current, past = money.core_flows()
    last = max(past, key=ended) if past else None
    ended_text = f"; the last core flow ended {end_text(last)}" if last else ""
    return {
        "key": "hollow-core", "title": "Hollow core", "level": "ok" if current else "risk",
        "summary": (f"{plural(len(current), 'funding flow')} marked core {'pays' if len(current) == 1 else 'pay'} "
                    f"for the shared core that {plural(len(builders), 'partner')} "
                    f"{'builds' if len(builders) == 1 else 'build'} on (window {window})." if current else
                    f"{plural(len(builders), 'partner')} {'builds' if len(builders) == 1 else 'build'} on the "
                    "shared core, but no funding flow marked `core` "
                    f"pays for its maintenance in the window {window}{ended_text}."),
        "why": "Open-source cores decay when every grant pays for products on top and nobody pays for the base.",
        "items": [("partner", pid, "") for pid in builders],
    }

