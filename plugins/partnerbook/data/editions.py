"""Public and internal editions of one handbook (spec section 2, Editions).

The public edition is made here, once, right after the data is loaded and checked: internal
records are dropped together with everything that refers to them, internal fields are
blanked, and the result is an ordinary `Network`. Everything downstream (analysis, pages,
diagrams, search, downloads, sheets) only ever sees that network, so nothing internal can
appear in a file the build writes, nor be derived from a figure: totals, shares, counts and
findings are computed from what is public. What crosses is how many records of each kind
were left out (`Withheld.counts`), so a page can say "3 funding flows are not shown in this
edition" without saying which; the ids of internal partners stay with the build, which needs
them to reject a prose link to a page the public edition does not have.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import model
from .schema import COLLECTIONS, NOUNS

EDITIONS = ("public", "internal")
# What the public edition shows of three things organisations commonly withhold (the shorthands).
AMOUNTS = ("shown", "hidden")  # hidden: no funding flow at all (no amount, total, share or HHI)
SHOWN_OR_HIDDEN = ("shown", "hidden")

# Model attribute of each collection (relationships are `exchanges` in the model).
_ATTRIBUTES = {"roles": "roles", "partners": "partners", "relationships": "exchanges",
               "agreements": "agreements", "funding": "funding", "projects": "projects",
               "decisions": "decisions"}
_RENAMED = {"from": "source_id", "to": "target_id"}
# Fields that cannot be internal: without them a record is no record (ids, references that
# make it, required values) or the network is drawn wrongly (a partner's ring).
_NOT_BLANKABLE = {("partners", "network"), ("funding", "amount")}


@dataclass(frozen=True)
class EditionOptions:
    """The plugin options that choose the edition and what it leaves out."""

    edition: str = "public"
    internal_fields: tuple[str, ...] = ()  # "collection.field"
    amounts: str = "shown"
    power: str = "shown"
    impact: str = "shown"

    @property
    def internal(self) -> bool:
        return self.edition == "internal"


@dataclass(frozen=True)
class Withheld:
    """What the public edition left out. `counts` (collection → records; "participation" for
    entries of decisions) may be shown; `partner_ids` may not: it is only for checking prose."""

    counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    partner_ids: frozenset[str] = frozenset()
    impact_hidden: bool = False

    def __bool__(self) -> bool:
        return any(self.counts.values())


def option_errors(options: EditionOptions) -> list[str]:
    """What is wrong with the edition options, one message each (empty when nothing)."""
    errors = []
    for name, value, allowed in (("edition", options.edition, EDITIONS), ("amounts", options.amounts, AMOUNTS),
                                 ("power", options.power, SHOWN_OR_HIDDEN),
                                 ("impact", options.impact, SHOWN_OR_HIDDEN)):
        if value not in allowed:
            errors.append(f"`{name}` is '{value}'; expected one of: {', '.join(allowed)}")
    for entry in options.internal_fields:
        collection, _dot, name = str(entry).partition(".")
        specs = {spec.name: spec for spec in COLLECTIONS.get(collection, ())}
        if collection not in COLLECTIONS or name not in specs:
            known = ", ".join(COLLECTIONS)
            errors.append(f"`internal_fields`: '{entry}' is not collection.field (collections: {known}; "
                          f"fields as in the data files, e.g. agreements.notes)")
        elif specs[name].required or name in ("id", "visibility") or (collection, name) in _NOT_BLANKABLE:
            hint = " (use `amounts: hidden`)" if (collection, name) == ("funding", "amount") else \
                f" (mark the {NOUNS[collection]} `visibility: internal` instead)"
            errors.append(f"`internal_fields`: {NOUNS[collection]} field '{name}' cannot be internal: "
                          f"without it there is no {NOUNS[collection]}{hint}")
    return errors


def edition_network(network: model.Network, options: EditionOptions) -> tuple[model.Network, Withheld]:
    """The network this edition shows, and what it left out. The internal edition is the
    network as loaded; the options have passed `option_errors`."""
    if options.internal:
        return network, Withheld()
    counts: dict[str, int] = {}

    def keep(collection: str, records: tuple, also: Callable[[Any], bool] = lambda record: True) -> tuple:
        kept = tuple(r for r in records if r.visibility != "internal" and also(r))
        counts[collection] = counts.get(collection, 0) + len(records) - len(kept)
        return kept

    partners = keep("partners", network.partners)  # never the focal one: the loader rejects that
    public = {p.id for p in partners}
    hidden_partners = frozenset(network.partner_by_id) - public
    roles = keep("roles", network.roles)
    role_ids = {r.id for r in roles}
    agreements = keep("agreements", network.agreements, lambda a: set(a.parties) <= public)
    agreement_ids = {a.id for a in agreements}

    def between_public(flow: model.Exchange | model.Funding) -> bool:
        return flow.source_id in public and flow.target_id in public

    exchanges = keep("relationships", network.exchanges, between_public)
    funding = () if options.amounts == "hidden" else keep("funding", network.funding, between_public)
    if options.amounts == "hidden":
        counts["funding"] = len(network.funding)
    projects = keep("projects", network.projects, lambda p: bool(set(p.partners) & public))
    decisions = () if options.power == "hidden" else keep("decisions", network.decisions)
    if options.power == "hidden":
        counts["decisions"] = len(network.decisions)

    blank = _blanked_fields(options.internal_fields)
    partners = tuple(_public_record("partners", p, blank, roles=tuple(r for r in p.roles if r in role_ids))
                     for p in partners)
    exchanges = tuple(_public_record("relationships", e, blank, agreement=_ref(e.agreement, agreement_ids))
                      for e in exchanges)
    funding = tuple(_public_record("funding", f, blank, agreement=_ref(f.agreement, agreement_ids)) for f in funding)
    agreements = tuple(_public_record("agreements", a, blank) for a in agreements)
    projects = tuple(_public_record("projects", p, blank, partners=MappingProxyType(
        {pid: role for pid, role in p.partners.items() if pid in public})) for p in projects)
    participation_left_out = 0
    public_decisions = []
    for decision in decisions:
        entries = {pid: level for pid, level in decision.participation.items()
                   if pid in public and level.visibility != "internal"}
        participation_left_out += len(decision.participation) - len(entries)
        public_decisions.append(_public_record("decisions", decision, blank, participation=MappingProxyType(entries)))
    counts["participation"] = participation_left_out
    roles = tuple(_public_record("roles", r, blank) for r in roles)
    edition = dataclasses.replace(
        network, roles=roles, partners=partners, exchanges=exchanges, agreements=agreements, funding=funding,
        projects=projects, decisions=tuple(public_decisions))
    return edition, Withheld(MappingProxyType({k: v for k, v in counts.items() if v}), hidden_partners,
                             impact_hidden=options.impact == "hidden")


def _ref(agreement_id: str | None, public_ids: set[str]) -> str | None:
    return agreement_id if agreement_id in public_ids else None


def _blanked_fields(internal_fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """collection → {model attribute: the value it gets in the public edition (its default)}."""
    blank: dict[str, dict[str, Any]] = {}
    defaults = {"roles": model.Role, "partners": model.Partner, "relationships": model.Exchange,
                "agreements": model.Agreement, "funding": model.Funding, "projects": model.Project,
                "decisions": model.Decision}
    for entry in internal_fields:
        collection, _dot, name = entry.partition(".")
        attribute = _RENAMED.get(name, name)
        spec = {f.name: f for f in dataclasses.fields(defaults[collection])}[attribute]
        value = spec.default_factory() if spec.default_factory is not dataclasses.MISSING else spec.default
        blank.setdefault(collection, {})[attribute] = value
        if (collection, attribute) == ("agreements", "scorecard"):
            blank[collection]["scored"] = False  # a scorecard withheld is "not scored", never 0%
    return blank


def _public_record(collection: str, record: Any, blank: dict[str, dict[str, Any]], **changes: Any) -> Any:
    changes = {**changes, **blank.get(collection, {})}
    return dataclasses.replace(record, **changes) if changes else record
