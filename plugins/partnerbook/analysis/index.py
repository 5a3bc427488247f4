"""Look-ups over the model that pages and views share, computed once per build."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from ..data.model import (
    Agreement,
    Decision,
    Exchange,
    Funding,
    FuzzyDate,
    Network,
    Partner,
    Project,
    scorecard_completeness,
)
from ..i18n.labels import label
from ..i18n.language import _, format_amount, format_date, format_number, format_payment, ngettext, pgettext


@dataclass
class NetworkIndex:
    network: Network
    exchanges_out: dict[str, list[Exchange]] = field(default_factory=lambda: defaultdict(list))
    exchanges_in: dict[str, list[Exchange]] = field(default_factory=lambda: defaultdict(list))
    agreements_of: dict[str, list[Agreement]] = field(default_factory=lambda: defaultdict(list))
    funding_out: dict[str, list[Funding]] = field(default_factory=lambda: defaultdict(list))
    funding_in: dict[str, list[Funding]] = field(default_factory=lambda: defaultdict(list))
    decisions_of: dict[str, list[Decision]] = field(default_factory=lambda: defaultdict(list))
    projects_of: dict[str, list[Project]] = field(default_factory=lambda: defaultdict(list))
    partners_in_role: dict[str, list[Partner]] = field(default_factory=lambda: defaultdict(list))
    completeness: dict[str, float | None] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)  # partner id → order in the data
    exchange_position: dict[int, int] = field(default_factory=dict)  # id(exchange) → order
    histories: dict[str, list[tuple]] = field(default_factory=dict)
    # partners_of(kind), sorted once: 1,000 ego diagrams each ask for it
    _ordered: dict[str | None, tuple[Partner, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        n = self.network
        self.position = {p.id: i for i, p in enumerate(n.partners)}
        self.exchange_position = {id(e): i for i, e in enumerate(n.exchanges)}
        for e in n.exchanges:
            self.exchanges_out[e.source_id].append(e)
            self.exchanges_in[e.target_id].append(e)
        for a in n.agreements:
            for party in dict.fromkeys(a.parties):
                self.agreements_of[party].append(a)
            self.completeness[a.id] = scorecard_completeness(a, n.scorecard_elements)
        for f in n.funding:
            self.funding_out[f.source_id].append(f)
            self.funding_in[f.target_id].append(f)
        for d in n.decisions:
            for partner_id in d.participation:
                self.decisions_of[partner_id].append(d)
        for project in n.projects:
            for partner_id in project.partners:
                self.projects_of[partner_id].append(project)
        for p in n.partners:
            for role_id in p.roles:
                self.partners_in_role[role_id].append(p)

    @functools.cached_property
    def record_texts(self) -> dict[int, str]:
        """id(partner or exchange) → its repr: what a diagram's key is made of (diagrams.network_inputs),
        written once per build rather than once per ego diagram that shows it."""
        return {id(item): repr(item) for item in (*self.network.partners, *self.network.exchanges)}

    @functools.cached_property
    def _exchanges_by_pair(self) -> dict[tuple[str, str], list[Exchange]]:
        pairs: dict[tuple[str, str], list[Exchange]] = defaultdict(list)
        for e in self.network.exchanges:
            pairs[(e.source_id, e.target_id)].append(e)
        return pairs

    def exchanges_to(self, source_id: str, targets: set[str]) -> list[Exchange]:
        """The exchanges from `source_id` to one of `targets`, in the data's order. An ego diagram
        asks this of each partner it shows, the focal organisation among them, whose own exchanges
        may be thousands: those are looked up pair by pair, not scanned once per diagram."""
        out = self.exchanges_out.get(source_id, ())
        if len(out) <= len(targets):
            return [e for e in out if e.target_id in targets]
        pairs = self._exchanges_by_pair
        found = [e for target in targets for e in pairs.get((source_id, target), ())]
        position = self.exchange_position
        return sorted(found, key=lambda e: position[id(e)]) if len(found) > 1 else found

    def ordered_partners(self) -> list[Partner]:
        """Focal first, then IVN, then OVN, each by name."""
        rank = {"focal": 0, "ivn": 1, "ovn": 2}
        return sorted(self.network.partners,
                      key=lambda p: (rank[self.network.network_of(p)], p.name.casefold()))

    def partners_of(self, network_kind: str | None) -> list[Partner]:
        """'ivn' includes the focal organisation: it is the centre of the inner network."""
        if network_kind not in self._ordered:
            partners = self.ordered_partners()
            if network_kind is not None:
                wanted = {"ivn": ("focal", "ivn"), "ovn": ("ovn",)}[network_kind]
                partners = [p for p in partners if self.network.network_of(p) in wanted]
            self._ordered[network_kind] = tuple(partners)
        return list(self._ordered[network_kind])

    # A part of a long list (paging.py) reads only its own partners, and the counts it shows: a
    # page that read the whole list would be made again whenever any partner changed (site/reads.py).
    def count_of(self, network_kind: str | None) -> int:
        return len(self.partners_of(network_kind))

    def network_counts(self, network_kind: str | None) -> dict[str, int]:
        """How many of `partners_of(network_kind)` are focal, ivn, ovn."""
        counts: dict[str, int] = {}
        for partner in self.partners_of(network_kind):
            kind = self.network.network_of(partner)
            counts[kind] = counts.get(kind, 0) + 1
        return dict(sorted(counts.items()))

    def partners_part(self, network_kind: str | None, first: int, last: int) -> list[Partner]:
        """The partners `first` to `last` (from 1) of `partners_of(network_kind)`."""
        return self.partners_of(network_kind)[first - 1: last]

    def networks_before(self, network_kind: str | None, first: int) -> list[str]:
        """The networks (focal, ivn, ovn) of the partners listed before the `first`."""
        return sorted({self.network.network_of(p) for p in self.partners_of(network_kind)[: first - 1]})

    def history(self, partner_id: str) -> list[tuple]:
        """`partner_history`, computed once: the page template and its view both ask."""
        if partner_id not in self.histories:
            self.histories[partner_id] = partner_history(self, partner_id)
        return self.histories[partner_id]

    def neighbours(self, partner_id: str) -> set[str]:
        out = {e.target_id for e in self.exchanges_out[partner_id]}
        return out | {e.source_id for e in self.exchanges_in[partner_id]} | {partner_id}


def partner_history(index: NetworkIndex, partner_id: str) -> list[tuple]:
    """Dated events of one partner, oldest first: (date, event, link kind, link id).

    Joining and leaving, agreements signed and expiring, exchanges and funding
    flows starting and ending; undated records have no place on a timeline.
    """
    network = index.network
    partner = network.partner(partner_id)
    events: list[tuple[FuzzyDate, str, str | None, str | None]] = []
    if partner.since:
        events.append((partner.since, pgettext("partner history", "joined the network"), None, None))
    if partner.until:
        events.append((partner.until, pgettext("partner history", "left the network"), None, None))
    for a in index.agreements_of[partner_id]:
        if a.signed:
            events.append((a.signed, pgettext("partner history: signed AGREEMENT", "signed"), "agreement", a.id))
        if a.expires:
            events.append((a.expires, pgettext("partner history: expiry of AGREEMENT", "expiry of"), "agreement", a.id))
    for e in index.exchanges_out[partner_id] + index.exchanges_in[partner_id]:
        other = e.target_id if e.source_id == partner_id else e.source_id
        if e.since:
            events.append((e.since, _("started: %(deliverable)s, with", deliverable=e.deliverable), "partner", other))
        if e.until:
            events.append((e.until, _("ended: %(deliverable)s, with", deliverable=e.deliverable), "partner", other))
    events += funding_events(network, partner_id, index.funding_out[partner_id] + index.funding_in[partner_id])
    return sorted(events, key=lambda event: (event[0].first, event[1]))


HISTORY_PAYMENTS = 10  # more payments than this with a partner read as one line per year
HISTORY_LINES = 40  # more yearly lines than this: one per year, direction and currency


def funding_events(network: Network, partner_id: str, flows: list[Funding]) -> list[tuple]:
    """History lines of one partner's funding: a line per payment when there are few, a line per year,
    direction, counterpart and currency otherwise; periods and recurring amounts begin and end."""
    events: list[tuple] = []
    payments = []
    for f in flows:
        other = f.target_id if f.source_id == partner_id else f.source_id
        pays = f.source_id == partner_id
        amount = format_payment(f.amount, f.currency)  # one flow: its cents
        instrument = label("instrument", f.instrument) if f.instrument else _("funding")
        ends = f.until is not None and f.until.last >= network.as_of
        if f.timing in ("payment", "one-off"):
            payments.append((f, other))
        elif f.timing == "period":
            what = _("%(instrument)s of %(amount)s", instrument=instrument, amount=amount)
            span = _("%(first)s – %(last)s", first=format_date(f.since), last=format_date(f.until))
            events.append((f.since, (_("%(what)s over %(span)s began, paid to", what=what, span=span) if pays else
                                     _("%(what)s over %(span)s began, paid by", what=what, span=span)),
                           "partner", other))
            events.append((f.until, _period_end(ends, pays, what=what), "partner", other))
        elif f.timing == "recurring":
            values = dict(amount=amount, per=label("period", f.per), instrument=instrument)
            events.append((f.since, (_("%(amount)s per %(per)s (%(instrument)s) began, paid to", **values) if pays
                                     else _("%(amount)s per %(per)s (%(instrument)s) began, paid by", **values)),
                           "partner", other))
            if f.until:
                what = _("%(amount)s per %(per)s", **values)
                events.append((f.until, _period_end(ends, pays, what=what), "partner", other))
    if len(payments) <= HISTORY_PAYMENTS:
        for f, other in payments:
            amount = format_payment(f.amount, f.currency)  # one flow: its cents
            events.append((f.date or f.since, (_("paid %(amount)s to", amount=amount) if f.source_id == partner_id
                                               else _("received %(amount)s from", amount=amount)),
                           "partner", other))
        return events
    years: dict[tuple, list] = {}
    for f, other in payments:
        when = f.date or f.since
        assert when is not None  # a payment has its date, a one-off its start
        day = when.first
        slot = years.setdefault((day.year, f.source_id == partner_id, other, f.currency), [0, 0.0])
        slot[0] += 1
        slot[1] += f.amount
    by_counterpart = len(years) <= HISTORY_LINES
    if not by_counterpart:  # many counterparts too (a focal organisation): a line per year and currency
        merged: dict[tuple, list] = {}
        for (year, paid, other, currency), (count, total) in years.items():
            slot = merged.setdefault((year, paid, None, currency), [0, 0.0, set()])
            slot[0] += count
            slot[1] += total
            slot[2].add(other)
        years = merged
    for (year, paid, other, currency), slot in years.items():
        when = FuzzyDate(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
        values = dict(amount=format_amount(slot[1], currency))
        if by_counterpart:
            text = (ngettext("paid %(num)s payment, %(amount)s in all, to",
                             "paid %(num)s payments, %(amount)s in all, to", slot[0], **values) if paid else
                    ngettext("received %(num)s payment, %(amount)s in all, from",
                             "received %(num)s payments, %(amount)s in all, from", slot[0], **values))
            events.append((when, text, "partner", other))
        else:
            values["partners"] = format_number(len(slot[2]))
            text = (ngettext("paid %(num)s payment, %(amount)s in all, to %(partners)s partners",
                             "paid %(num)s payments, %(amount)s in all, to %(partners)s partners", slot[0],
                             **values) if paid else
                    ngettext("received %(num)s payment, %(amount)s in all, from %(partners)s partners",
                             "received %(num)s payments, %(amount)s in all, from %(partners)s partners", slot[0],
                             **values))
            events.append((when, text, None, None))
    return events


def _period_end(ends: bool, pays: bool, *, what: str) -> str:
    """The line where a funding period or a recurring amount ends (or ended), paid to or by the partner."""
    if ends:
        return _("%(what)s ends, paid to", what=what) if pays else _("%(what)s ends, paid by", what=what)
    return _("%(what)s ended, paid to", what=what) if pays else _("%(what)s ended, paid by", what=what)
