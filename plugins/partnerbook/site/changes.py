"""What changed, in words: one sentence per change, grouped per section, in the reader's language.

The same sentences make the `changes/` page (names link to their pages), the note on each
changed partner's page, and `partnerbook diff`'s text and Markdown output (names as plain text).
A `Wording` says how a name and a user's text are written in the output at hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..analysis.changes import SECTIONS, Change, Changes
from ..i18n.labels import label
from ..i18n.language import _, format_amount, format_date, format_percent, ngettext, pgettext
from .templating import md_escape

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def plain(text: str) -> str:
    """A user's text on a terminal: control characters never reach it."""
    return _CONTROL.sub(" ", str(text))


@dataclass(frozen=True)
class Wording:
    # (kind, id, name) → how the name shows: a link on the site, the name itself on a terminal
    name: Callable[[str, str, str], str] = lambda kind, item_id, name: plain(name)
    text: Callable[[str], str] = plain  # any other text the data holds (a deliverable)


def section_title(section: str) -> str:
    return {"partners": _("Partners"), "exchanges": _("Exchanges"), "agreements": _("Agreements"),
            "money": _("Money"), "decisions": _("Decisions"), "health": _("Health")}[section]


def title(changes: Changes, old_label: str, old_date: dt.date | None) -> str:
    if old_date is not None:
        return _("What changed since %(revision)s, %(date)s", revision=old_label, date=format_date(old_date))
    return _("What changed since %(revision)s", revision=old_label)


def window_note(changes: Changes) -> str:
    (old_first, old_last), (new_first, new_last) = changes.old.window, changes.new.window
    return _("Money is compared on the same window definition in both versions: the %(months)s months up to each "
             "version's `as_of`, %(old_first)s to %(old_last)s before and %(new_first)s to %(new_last)s now.",
             months=changes.new.money.window_months, old_first=format_date(old_first),
             old_last=format_date(old_last), new_first=format_date(new_first), new_last=format_date(new_last))


def _place(network: str, ovn_type: str | None) -> str:
    place = label("network", network)
    return _("%(network)s (%(type)s)", network=place, type=label("ovn_type", ovn_type)) if ovn_type and \
        network == "ovn" else place


def _level(participation: dict | None) -> str:
    if participation is None:
        return _("not listed")
    actual, desired = participation["actual"], participation["desired"]
    if actual == desired:
        return label("level", actual)
    return _("%(actual)s, wants %(desired)s", actual=label("level", actual), desired=label("level", desired))


def _signed(amount: float, currency: str) -> str:
    return ("+" if amount > 0 else "") + format_amount(amount, currency)


def sentence(change: Change, changes: Changes, wording: Wording) -> str:
    """One change in words."""
    def name(kind: str, item_id: str) -> str:
        return wording.name(kind, item_id, changes.name(kind, item_id))

    k, d, subject = change.kind, change.detail, change.subject
    if k == "partner-added":
        return _("Added: %(name)s, %(place)s.", name=name("partner", subject),
                 place=_place(change.after, d.get("ovn_type")))
    if k == "partner-removed":
        return _("Removed: %(name)s, %(place)s.", name=name("partner", subject),
                 place=_place(change.before, d.get("ovn_type")))
    if k == "partner-renamed":
        return _("Renamed: %(old)s is now %(name)s.", old=wording.text(change.before), name=name("partner", subject))
    if k == "partner-moved":
        return _("%(name)s moved from %(before)s to %(after)s.", name=name("partner", subject),
                 before=_place(change.before["network"], change.before["ovn_type"]),
                 after=_place(change.after["network"], change.after["ovn_type"]))
    if k in ("role-gained", "role-lost"):
        roles = ", ".join(name("role", r) for r in d["items"])
        if k == "role-gained":
            return ngettext("%(name)s gained the role %(roles)s.", "%(name)s gained the roles %(roles)s.",
                            len(d["items"]), name=name("partner", subject), roles=roles)
        return ngettext("%(name)s lost the role %(roles)s.", "%(name)s lost the roles %(roles)s.",
                        len(d["items"]), name=name("partner", subject), roles=roles)
    if k in ("criterion-gained", "criterion-lost"):
        criteria = ", ".join(label("ivn_criterion", c) for c in d["items"])
        if k == "criterion-gained":
            return ngettext("%(name)s now meets the IVN criterion %(criteria)s.",
                            "%(name)s now meets the IVN criteria %(criteria)s.", len(d["items"]),
                            name=name("partner", subject), criteria=criteria)
        return ngettext("%(name)s no longer meets the IVN criterion %(criteria)s.",
                        "%(name)s no longer meets the IVN criteria %(criteria)s.", len(d["items"]),
                        name=name("partner", subject), criteria=criteria)
    if k in ("exchange-added", "exchange-removed"):
        values = {"source": name("partner", d["from"]), "target": name("partner", d["to"]),
                  "deliverable": wording.text(d["deliverable"]), "nature": label("nature", d["nature"])}
        text = (_("New exchange: %(source)s → %(target)s, %(deliverable)s (%(nature)s).", **values)
                if k == "exchange-added" else
                _("Exchange removed: %(source)s → %(target)s, %(deliverable)s (%(nature)s).", **values))
        return text if d["count"] == 1 else text + f" ×{d['count']}"
    if k == "agreement-added":
        return _("New agreement: %(title)s (%(status)s), between %(parties)s.", title=name("agreement", subject),
                 status=label("status", change.after) or _("no status"),
                 parties=", ".join(name("partner", p) for p in change.partners))
    if k == "agreement-removed":
        return _("Agreement removed: %(title)s (it was %(status)s).", title=name("agreement", subject),
                 status=label("status", change.before) or _("no status"))
    if k == "agreement-status":
        return _("%(title)s: status %(before)s → %(after)s.", title=name("agreement", subject),
                 before=label("status", change.before) or _("no status"),
                 after=label("status", change.after) or _("no status"))
    if k in ("scorecard-up", "scorecard-down"):
        values = {"title": name("agreement", subject), "before": format_percent(change.before),
                  "after": format_percent(change.after)}
        return (_("%(title)s: scorecard completeness up from %(before)s to %(after)s.", **values) if k == "scorecard-up"
                else _("%(title)s: scorecard completeness down from %(before)s to %(after)s.", **values))
    if k == "money-totals":
        c = subject
        return _("%(currency)s: income %(income_before)s → %(income_after)s (%(income_difference)s); spending "
                 "%(spending_before)s → %(spending_after)s (%(spending_difference)s).", currency=c,
                 income_before=format_amount(change.before["income"], c),
                 income_after=format_amount(change.after["income"], c),
                 income_difference=_signed(d["income"], c),
                 spending_before=format_amount(change.before["spending"], c),
                 spending_after=format_amount(change.after["spending"], c),
                 spending_difference=_signed(d["spending"], c))
    if k in ("funder-gained", "funder-lost", "recipient-gained", "recipient-lost"):
        values = {"name": name("partner", subject),
                  "amount": format_amount(change.after or change.before, d["currency"])}
        if k == "funder-gained":
            return _("New funder: %(name)s, %(amount)s in the window.", **values)
        if k == "funder-lost":
            return _("No longer a funder: %(name)s, %(amount)s in the earlier window.", **values)
        if k == "recipient-gained":
            return _("New recipient: %(name)s, %(amount)s in the window.", **values)
        return _("No longer a recipient: %(name)s, %(amount)s in the earlier window.", **values)
    if k == "counterpart-change":
        c = d["currency"]
        values = {"name": name("partner", subject), "before": format_amount(change.before, c),
                  "after": format_amount(change.after, c), "difference": _signed(d["difference"], c)}
        return (_("Income from %(name)s: %(before)s → %(after)s (%(difference)s).", **values)
                if d["direction"] == "income" else
                _("Spending with %(name)s: %(before)s → %(after)s (%(difference)s).", **values))
    if k == "decision-added":
        return _("New decision: %(decision)s.", decision=name("decision", subject))
    if k == "decision-removed":
        return _("Decision removed: %(decision)s.", decision=name("decision", subject))
    if k == "participation-changed":
        return _("%(decision)s: %(name)s %(before)s → %(after)s.", decision=name("decision", subject),
                 name=name("partner", d["partner"]), before=_level(change.before), after=_level(change.after))
    if k in ("say-gained", "say-lost"):
        values = {"decision": name("decision", subject), "name": name("partner", d["partner"]),
                  "level": label("level", change.after) if change.after else _("not listed")}
        return (_("%(name)s gained a say in %(decision)s (%(level)s).", **values) if k == "say-gained" else
                _("%(name)s lost its say in %(decision)s (now %(level)s).", **values))
    if k == "finding-appeared":
        return _("New finding: %(title)s (%(level)s).", title=d["title"], level=label("finding_level", d["level"]))
    if k == "finding-resolved":
        return _("Resolved: %(title)s.", title=d["title"])
    if k in ("finding-item-appeared", "finding-item-resolved"):
        item = d["item"]
        named = name(item["kind"], item["id"])
        if d.get("other"):
            named += " → " + name(d["other"]["kind"], d["other"]["id"])
        return (_("%(title)s: now names %(item)s.", title=d["title"], item=named) if k == "finding-item-appeared"
                else _("%(title)s: no longer names %(item)s.", title=d["title"], item=named))
    if k == "impact-rank":
        before = str(change.before) if change.before else pgettext("impact rank", "unranked")
        after = str(change.after) if change.after else pgettext("impact rank", "unranked")
        return _("%(name)s: impact rank %(before)s → %(after)s.", name=name("partner", subject), before=before,
                 after=after)
    raise ValueError(f"no words for the change {k}")  # a kind added to analysis/changes.py without words


def sections(changes: Changes, wording: Wording) -> list[tuple[str, str, list[str]]]:
    """(section id, its title, its sentences) of each section with changes."""
    out = []
    for section in SECTIONS:
        lines = [sentence(change, changes, wording) for change in changes.of_section(section)]
        if section == "money" and lines:
            lines.insert(0, window_note(changes))
        if lines:
            out.append((section, section_title(section), lines))
    return out


def changed_since(revision: str, date: dt.date | None, link: str) -> str:
    """The opening of the note on a changed partner's page (Markdown, linking to the changes page)."""
    text = (_("Changed since %(revision)s, %(date)s:", revision=revision, date=format_date(date)) if date else
            _("Changed since %(revision)s:", revision=revision))
    return f"**[{md_escape(text)}]({link})**"


def nothing_changed() -> str:
    return _("Nothing changed in the data.")
