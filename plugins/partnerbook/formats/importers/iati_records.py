"""What `iati_xml` read → data-file records: organisations merged into partners, activities into
projects, payments into funding, commitments into agreements, and IVN/OVN proposed."""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

import babel

from ...analysis.names import suspect_reason
from ...data.schema import COLLECTIONS
from .common import IdMaker, Imported, ImportFailed, Summary, short_name
from .iati_codes import ORGANISATION_TYPES, ROLES, TRANSACTION_TYPES
from .iati_merge import Merger
from .iati_xml import UNSPECIFIED, Org, Reader, normalise


def _choose_name(names: Counter) -> tuple[str, list[str], int]:
    """The partner's name, its aliases, and how many names were truncated copies of another."""
    norms = {name: normalise(name) for name in names}
    all_norms = set(norms.values())
    truncated = {name for name, norm in norms.items()
                 if any(other != norm and other.startswith(norm) for other in all_norms)}
    full = [n for n in names if n not in truncated] or list(names)
    chosen = max(full, key=lambda n: (names[n], len(n), n))
    aliases, seen = [], {norms[chosen]}
    for name in sorted(full):
        if norms[name] not in seen:
            seen.add(norms[name])
            aliases.append(name)
    return chosen, aliases, len(truncated)


def build(reader: Reader, merger: Merger, focal: str | None, sources: list[str], how: str = "--focal") -> Imported:
    summary = reader.summary
    groups: dict[str, list[str]] = {}
    for key in sorted(reader.orgs):
        groups.setdefault(merger.find(key), []).append(key)

    # Which organisations the data keeps: in a project, or in a transaction between two partners.
    transactions = [t for t in reader.transactions if merger.find(t.provider) != merger.find(t.receiver)]
    for t in reader.transactions:
        if merger.find(t.provider) == merger.find(t.receiver):
            summary.add("skipped", "transactions within one organisation (provider is the receiver)", t.where)
    used = {merger.find(k) for a in reader.activities for k in a.participants}
    used |= {merger.find(t.provider) for t in transactions} | {merger.find(t.receiver) for t in transactions}
    for root in sorted(set(groups) - used):
        summary.add("skipped", "organisations named only in skipped transactions or as a source of funds: left "
                               "out (a source of funds is named in the payment's purpose)",
                    f"'{next(iter(reader.orgs[root].names), root)}'")

    partners = _partner_records(reader.orgs, groups, used, summary)
    partner_of = {root: record["id"] for root, record in partners.items()}
    name_of = {record["id"]: record["name"] for record in partners.values()}

    def pid(key: str) -> str:
        return partner_of[merger.find(key)]

    def display_name(key: str) -> str:
        root = merger.find(key)
        if root in partners:
            return partners[root]["name"]
        names: Counter = Counter()
        for member in groups[root]:
            names.update(reader.orgs[member].names)
        return max(names, key=lambda n: (names[n], n)) if names else root

    def planned(t) -> bool:
        cutoff = reader.cutoffs[t.file] if t.file < len(reader.cutoffs) else None
        return bool(cutoff) and t.date > cutoff

    focal_id = _focal(reader, merger, partners, focal, summary, how)
    projects, project_origins = _project_records(reader, pid, summary)
    funding, funding_origins, agreements, agreement_origins, pairs = _money_records(
        reader, transactions, pid, projects, name_of, summary, display_name, planned)

    relationships = []
    relationship_origins = []
    for (source, target), kinds in sorted(pairs.items()):
        said = " and ".join(f"{n} {what}{'s' if n != 1 else ''}" for what, n in sorted(kinds.items()))
        relationships.append({"from": source, "to": target, "deliverable": "Funding", "nature": "tangible",
                              "kind": "funding", "description": f"From IATI transactions: {said}."})
        relationship_origins.append(f"IATI transactions {source} → {target}")
    summary.add("mapped", "relationships (one per pair that exchanges money)", n=len(relationships))

    _propose_networks(partners, focal_id, projects, funding, agreements, summary)
    _advise_checks(summary)

    # as_of: the latest transaction the files report as done (on or before the day each file was
    # generated); a later one is a plan, which the money counts as committed, never as paid.
    done = [t.date for t in transactions if not planned(t)]
    info = {"name": f"{name_of[focal_id]}: partners from IATI", "focal": focal_id}
    if done:
        info["as_of"] = max(done)
        summary.lines.append(f"as_of: {info['as_of']} (the latest transaction on or before the day the file was "
                             "generated; change it in network.yml)")
    info["description"] = (f"Imported from IATI activity data ({', '.join(sources)}) with `partnerbook import iati`. "
                           "Networks (IVN/OVN) are proposed from the money and projects each partner shares "
                           "with the focal organisation: review them.")
    data = {"network": info, "partners": list(partners.values()), "relationships": relationships,
            "agreements": agreements, "funding": funding, "projects": projects}
    origins = {"network": [sources[0]], "partners": [f"organisation '{p['name']}'" for p in partners.values()],
               "relationships": relationship_origins, "agreements": agreement_origins,
               "funding": funding_origins, "projects": project_origins}
    return Imported(data, origins, summary, sources)


def _partner_records(orgs: dict[str, Org], groups: dict[str, list[str]], used: set[str],
                     summary: Summary) -> dict[str, dict]:
    """Merged organisation (its root key) → partner record; ids in a stable order."""
    ids = IdMaker()
    partners: dict[str, dict] = {}
    for root in sorted(used, key=lambda r: (not r.startswith("ref:"), r)):
        members = [orgs[k] for k in groups[root]]
        names: Counter[str] = Counter()
        types: Counter[str] = Counter()
        for member in members:
            names.update(member.names)
            types.update(member.types)
        ref_list = sorted({max(m.refs, key=lambda r: (m.refs[r], r)) for m in members if m.refs})
        if not names:
            names[ref_list[0] if ref_list else root] = 1
        chosen, aliases, truncated = _choose_name(names)
        if truncated:
            summary.add("noted", "organisations also named by a cut-off copy of their name (not kept as aliases)",
                        f"'{chosen[:50]}'")
        if aliases:
            summary.add("merged", "other names of one organisation, kept as aliases", f"'{aliases[0]}' = '{chosen}'",
                        n=len(aliases))
        name, cut = short_name(chosen)
        record: dict[str, Any] = {"id": ids.make(_id_text(name), root, "org"), "name": name}
        type_code = max(types, key=lambda t: (types[t], t)) if types else ""
        kind = ORGANISATION_TYPES.get(type_code, (None, "organisation"))[1]
        if kind != "organisation":
            record["kind"] = kind
        if aliases:
            record["aliases"] = aliases
        if ref_list:
            record["identifiers"] = [f"iati:{ref}" for ref in ref_list]
        if type_code in ORGANISATION_TYPES:
            record["summary"] = f"IATI organisation type: {ORGANISATION_TYPES[type_code][0]}"
        reason = suspect_reason(chosen)
        if reason and root not in UNSPECIFIED:
            summary.add("noted", "names that are no name (role words, placeholders, sentences): `check` warns "
                                 "(suspect-name)", f"'{short_name(chosen, 50)[0]}' ({reason.split(',')[0]})")
        if root in UNSPECIFIED:
            record["summary"] = ("Stands for the " + ("providers" if root.endswith(":in") else "receivers")
                                 + " that IATI transactions do not name (nor the activity, by a single participant)")
            record["_unspecified"] = "funder" if root.endswith(":in") else "supplier"
        if cut:
            record["description"] = f"Full name: {' '.join(chosen.split())}"
            summary.add("noted", "names longer than 80 characters: shortened, the full name in description",
                        f"'{chosen[:40]}…'")
        partners[root] = record
    summary.add("mapped", "partners (organisations after merging)", n=len(partners))
    return partners


def _project_records(reader: Reader, pid, summary: Summary) -> tuple[list[dict], list[str]]:
    """One project per activity, its participants with their roles."""
    project_ids = IdMaker()
    projects, origins = [], []
    role_order = [*ROLES.values(), "reporting", "participating"]
    for activity in reader.activities:
        roles: dict[str, set] = {}
        for key, names in activity.participants.items():
            roles.setdefault(pid(key), set()).update(names)
        title, cut = short_name(activity.title, 150)
        text = activity.description
        if cut:
            text = f"{activity.title}\n\n{text}" if text else activity.title
        record = {"id": project_ids.make(activity.ident, activity.ident, "activity"), "title": title,
                  "partners": {p: ", ".join(sorted(r, key=role_order.index)) for p, r in sorted(roles.items())}}
        if activity.since:
            record["since"] = activity.since
        if activity.until:
            record["until"] = activity.until
        description = f"IATI activity `{activity.ident}`."
        record["description"] = f"{text}\n\n{description}" if text else description
        projects.append(record)
        origins.append(activity.where)
    summary.add("mapped", "projects (one per activity)", n=len(projects))
    return projects, origins


def _money_records(reader: Reader, transactions, pid, projects, name_of, summary: Summary, display_name, planned):
    """Payments → funding (the same payment reported by both sides once); commitments → one
    agreement per activity, provider and receiver; and which pairs exchange money."""
    agreements: dict[tuple, dict] = {}
    agreement_ids = IdMaker()
    funding, funding_origins, agreement_origins = [], [], []
    seen_payment: dict[tuple, str | None] = {}
    pairs: dict[tuple[str, str], Counter] = {}
    for t in transactions:
        source, target = pid(t.provider), pid(t.receiver)
        type_name, _, what = TRANSACTION_TYPES[t.code]
        activity = reader.activities[t.activity]
        project = projects[t.activity]["id"]
        if what == "commitment" and (t.provider in UNSPECIFIED or t.receiver in UNSPECIFIED):
            # An agreement needs two parties; a commitment to no one named stays in the IATI data.
            summary.add("skipped", "commitments whose counterpart is not named: no agreement (no party to it)",
                        t.where)
            continue
        pairs.setdefault((source, target), Counter())[what] += 1
        if what == "commitment":
            key = (t.activity, source, target)
            agreement = agreements.get(key)
            if agreement is None:
                agreement = agreements[key] = {
                    "id": agreement_ids.make(f"{project}-commitment", f"{project}/{source}/{target}", "commitment"),
                    "title": f"Commitment to {name_of[target]} in {activity.ident}",
                    "type": "grant", "parties": [source, target], "status": "signed", "signed": t.date,
                    "_amounts": Counter(), "_lines": []}
                agreement_origins.append(t.where)
            agreement["signed"] = min(agreement["signed"], t.date)
            agreement["_amounts"][t.currency] += t.amount
            agreement["_lines"].append(f"- {_money(t.amount, t.currency)} on {t.date} ({type_name})")
            summary.add("mapped", "commitments (kept apart from payments, as agreements)")
            continue
        dedupe = (source, target, t.amount, t.currency, t.date)
        if dedupe in seen_payment and seen_payment[dedupe] != t.reporter:
            summary.add("merged", "payments reported by both sides (counted once)", t.where)
            continue
        seen_payment.setdefault(dedupe, t.reporter)
        amount = int(t.amount) if t.amount.is_integer() else t.amount
        purpose = f"{type_name}, {activity.ident}"
        if t.source_of_funds is not None:
            purpose += f"; funds from {display_name(t.source_of_funds)}"
        if planned(t):
            purpose += "; planned (dated after the file was generated)"
            summary.add("noted", "payments dated after their file was generated: plans, counted as committed "
                                 "money, never as paid", f"{t.date} ({t.where})")
        funding.append({"from": source, "to": target, "amount": amount, "currency": t.currency, "date": t.date,
                        "purpose": purpose, "_key": (t.activity, source, target)})
        funding_origins.append(t.where)
        summary.add("mapped", f"payments: {type_name}")
    agreement_list = []
    for agreement in agreements.values():
        totals = ", ".join(_money(v, c) for c, v in sorted(agreement.pop("_amounts").items()))
        lines = agreement.pop("_lines")
        agreement["notes"] = f"Committed in IATI: {totals}.\n\n" + "\n".join(lines[:20]) + \
            (f"\n- … and {len(lines) - 20} more" if len(lines) > 20 else "")
        agreement_list.append(agreement)
    for entry in funding:
        agreement = agreements.get(entry.pop("_key"))
        if agreement is not None:
            entry["agreement"] = agreement["id"]
    return funding, funding_origins, agreement_list, agreement_origins, pairs


_ABBREVIATION = re.compile(r"\(([A-Za-z][A-Za-z0-9&.\- ]{1,11})\)\s*$")


def _id_text(name: str) -> str:
    """What a partner's id is made from: a long name's own abbreviation, 'Catholic Agency For
    Overseas Development (CAFOD)' → cafod, else the name."""
    match = _ABBREVIATION.search(name)
    if match and len(name) > 30 and _is_initials(match.group(1), name[:match.start()]):
        return match.group(1)
    return name


def _is_initials(abbreviation: str, name: str) -> bool:
    """'CAFOD' of 'Catholic Agency For Overseas Development', 'BMZ' of the German ministry, but not
    'Tanzania' nor 'UK' of 'Help Age (Tanzania)': an abbreviation is in capitals and is no country."""
    letters = [ch for ch in abbreviation if ch.isalpha()]
    if len(letters) < 2 or not "".join(letters).isupper():
        return False
    return (abbreviation.upper() not in _countries() | {"UK", "EU", "USA"}
            and abbreviation.casefold() not in _countries())


@functools.cache
def _countries() -> frozenset[str]:
    """ISO 3166 codes (upper case) and English country names (case-folded), from Babel's CLDR data."""
    territories = babel.Locale("en").territories
    return frozenset({code for code in territories if isinstance(code, str) and code.isalpha()}
                     | {name.casefold() for name in territories.values()})


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}" if float(amount).is_integer() else f"{amount:,.2f} {currency}"


def _focal(reader: Reader, merger: Merger, partners: dict[str, dict], focal: str | None,
           summary: Summary, how: str = "--focal") -> str:
    if focal:
        wanted, wanted_norm = focal.strip().upper(), normalise(focal)
        for record in partners.values():
            refs = [i.split(":", 1)[1].upper() for i in record.get("identifiers", [])]
            names = [normalise(n) for n in [record["name"], *record.get("aliases", [])]]
            if record["id"] == focal or wanted in refs or wanted_norm in names:
                summary.lines.append(f"focal: '{record['id']}' ({record['name']}), chosen with {how}")
                return record["id"]
        raise ImportFailed([f"{how} {focal}: no organisation in the files has that identifier, name or id"])
    reports: Counter[str] = Counter()
    for key, org in reader.orgs.items():
        if org.reports:
            reports[merger.find(key)] += org.reports
    if not reports:  # only secondary reporters: take them
        for key, org in reader.orgs.items():
            reports[merger.find(key)] += org.secondary
    if not reports:
        raise ImportFailed(["no activity names its reporting organisation: give the focal one with --focal"])
    root = max(sorted(reports), key=lambda r: reports[r])
    record = partners[root]
    summary.lines.append(f"focal: '{record['id']}' ({record['name']}), the most frequent reporting organisation "
                         f"({reports[root]} of {len(reader.activities)} activities); choose another with --focal")
    return record["id"]


def _propose_networks(partners, focal_id, projects, funding, agreements, summary) -> None:
    """IVN: partners the focal organisation pays or shares a project with (they perform a function
    for it); OVN funder: those who fund it; OVN other: the rest."""
    funders = {f["from"] for f in funding if f["to"] == focal_id}
    funders |= {a["parties"][0] for a in agreements if a["parties"][1] == focal_id}
    paid = {f["to"] for f in funding if f["from"] == focal_id}
    agreed = {p for a in agreements if focal_id in a["parties"] for p in a["parties"]}
    shared = set()
    for project in projects:
        if focal_id in project["partners"]:
            for partner_id, role in project["partners"].items():
                if role == "funding":
                    funders.add(partner_id)
                elif role != "reporting":  # an organisation that only publishes the data does no work in it
                    shared.add(partner_id)
    for record in partners.values():
        partner_id = record["id"]
        unspecified = record.pop("_unspecified", None)
        if partner_id == focal_id:
            continue
        if unspecified:  # no organisation: never inner, whatever it is paid
            record["network"], record["ovn_type"] = "ovn", unspecified
        elif partner_id in funders and partner_id in agreed:
            # A signed agreement with the focal organisation is an IVN criterion (the `ovn-signed` check):
            # a funder whose commitment the focal organisation reports is proposed inner, so that the
            # handbook builds --strict; the summary says how to keep funders outer instead.
            record["network"], record["ivn_criteria"] = "ivn", ["agreement"]
            summary.add("noted", "proposed IVN partners, funders with a commitment to the focal organisation "
                                 "(to keep them in the OVN as funders, move them and set the check "
                                 "`ovn-signed: ignore`)", partner_id)
        elif partner_id in funders:
            record["network"], record["ovn_type"] = "ovn", "funder"
            summary.add("noted", "proposed OVN funders (they fund the focal organisation)", partner_id)
        elif partner_id in paid or partner_id in shared:
            record["network"] = "ivn"
            record["ivn_criteria"] = ["agreement", "function"] if partner_id in agreed else ["function"]
            summary.add("noted", "proposed IVN partners (paid by, or in a project with, the focal organisation)",
                        partner_id)
        else:
            record["network"], record["ovn_type"] = "ovn", "other"
            summary.add("noted", "proposed OVN partners, other (no money or project shared with the focal one)",
                        partner_id)
    order = [spec.name for spec in COLLECTIONS["partners"]]
    for root, record in partners.items():  # keys in the format's order, as an author would write them
        partners[root] = {key: record[key] for key in order if key in record}


def _advise_checks(summary: Summary) -> None:
    """The checks a user of this import may want to set (plugin `checks:` or `check --check ID=LEVEL`), and why."""
    advice = []
    suspect = summary.count("noted", "names that are no name (role words, placeholders, sentences): `check` warns "
                                     "(suspect-name)")
    if suspect:
        advice.append(f"suspect-name: {suspect} name{'s are' if suspect != 1 else ' is'} no name; correct them in "
                      "partners.yml, or set `suspect-name: ignore` to accept the data as published")
    funders = summary.count("noted", "proposed IVN partners, funders with a commitment to the focal organisation "
                                     "(to keep them in the OVN as funders, move them and set the check "
                                     "`ovn-signed: ignore`)")
    if funders:
        advice.append(f"ovn-signed: {funders} funder{'s' if funders != 1 else ''} with a commitment to the focal "
                      "organisation {} proposed IVN; to keep funders outer (network: ovn, ovn_type: funder), "
                      "set `ovn-signed: ignore`".replace("{}", "are" if funders != 1 else "is"))
    if advice:
        summary.lines.append("checks you may want to set:")
        summary.lines.extend(f"  {line}" for line in advice)
