"""`partnerbook import iati`: IATI activity XML (2.01–2.03), one or many files, read as a stream.

- Organisations come from reporting-, participating-, provider- and receiver-org. They are one
  partner when they share an identifier (`ref`), or when a name without identifier is the name
  (or the start of a name the publisher cut short) of exactly one other organisation.
- Each activity is a `project`, its participants with their IATI roles.
- Money: incoming funds, disbursements and expenditure are `funding` payments (`date`), from
  provider to receiver. Commitments are promises, not money moved: adding them to payments
  would count the same money twice, so each (activity, provider, receiver) commitment is an
  `agreement` (type grant, signed on the first commitment's date, the amounts in its notes),
  and the payments of the same activity between the same two refer to it.
- Focal organisation: --focal, or the most frequent (primary) reporting organisation. IVN/OVN is
  proposed from the money and projects the focal organisation shares with each partner.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..records import _CURRENCIES
from ..schema import COLLECTIONS  # the ISO 4217 codes the loader accepts
from .common import IdMaker, Imported, ImportFailed, Summary, short_name
from .iati_codes import NO_REF, ORGANISATION_TYPES, ROLES, TRANSACTION_LETTERS, TRANSACTION_TYPES

_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
MIN_TRUNCATED = 20  # a name-only organisation this long or longer may be the cut-off start of a longer name


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# IATI elements have no namespace (extensions do, and are not read): ElementTree's own
# find/findall, in C, match them; a profile of 3,000 activities spent a third of its time in
# a Python loop over children.
def _children(elem, name: str):
    return elem.findall(name)


def _child(elem, name: str):
    return elem.find(name)


def _narrative(elem, lang: str) -> str:
    """The English narrative (or the activity's own language), else the first one."""
    if elem is None:
        return ""
    narratives = [((n.get(_LANG) or lang or "").lower(), " ".join((n.text or "").split()))
                  for n in _children(elem, "narrative")]
    narratives = [(lg, text) for lg, text in narratives if text]
    if not narratives:  # IATI 1.x: the text sits in the element itself
        return " ".join((elem.text or "").split())
    for lg, text in narratives:
        if lg.startswith("en"):
            return text
    return narratives[0][1]


def normalise(name: str) -> str:
    """A name for matching: case, accents, punctuation and spacing do not count."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _date(text: str | None) -> str | None:
    if not text or not _ISO_DATE.match(text.strip()):
        return None
    day = text.strip()[:10]
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return None
    return day


@dataclass
class _Org:
    """One organisation as the files name it (one `ref`, or one normalised name without ref)."""

    key: str
    names: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    refs: Counter = field(default_factory=Counter)  # spellings of the ref
    reports: int = 0  # activities it reports as primary reporter
    secondary: int = 0


@dataclass
class _Activity:
    ident: str
    title: str
    description: str
    since: str | None
    until: str | None
    reporter: str | None
    participants: dict[str, set]  # org key → role names
    where: str


@dataclass
class _Transaction:
    activity: int
    code: str
    amount: float
    currency: str
    date: str
    provider: str
    receiver: str
    reporter: str | None
    where: str


class _Reader:
    def __init__(self) -> None:
        self.summary = Summary()
        self.orgs: dict[str, _Org] = {}
        self.activities: list[_Activity] = []
        self.transactions: list[_Transaction] = []
        self.seen_activities: set[str] = set()
        self.latest_update: str | None = None

    # -- organisations as written ----------------------------------------------------------

    def org(self, elem, where: str) -> str | None:
        """The key of the organisation an *-org element names, or None when it names none."""
        if elem is None:
            return None
        raw_ref = " ".join((elem.get("ref") or "").split())
        name = _narrative(elem, "")
        kind = (elem.get("type") or "").strip()
        ref = raw_ref if raw_ref.lower() not in NO_REF else ""
        if ref and " " in ref:
            self.summary.add("noted", "identifiers with spaces (spaces removed)", raw_ref)
            ref = ref.replace(" ", "")
        if raw_ref and not ref:
            self.summary.add("noted", "placeholder identifiers ignored (N/A, 0, …)", f"ref=\"{raw_ref}\" ({where})")
        if ref:
            key = "ref:" + ref.upper()
        elif name and normalise(name):
            key = "name:" + normalise(name)
        else:
            return None
        org = self.orgs.get(key)
        if org is None:
            org = self.orgs[key] = _Org(key)
        if name:
            org.names[name] += 1
        if ref:
            org.refs[ref] += 1
        if kind:
            org.types[kind] += 1
        return key

    # -- one activity ----------------------------------------------------------------------

    def activity(self, elem, file_name: str, file_updated: str | None) -> None:
        lang = elem.get(_LANG) or elem.get("lang") or ""
        ident = " ".join((_child(elem, "iati-identifier").text or "").split()) \
            if _child(elem, "iati-identifier") is not None else ""
        where = f"{file_name}: activity {ident or '(no iati-identifier)'}"
        if not ident:
            self.summary.add("skipped", "activities without an iati-identifier", where)
            return
        if ident in self.seen_activities:
            self.summary.add("skipped", "activities met twice (same iati-identifier): the first kept", where)
            return
        self.seen_activities.add(ident)
        updated = _date(elem.get("last-updated-datetime")) or file_updated
        reporting = _child(elem, "reporting-org")
        reporter = self.org(reporting, where)
        secondary = reporting is not None and (reporting.get("secondary-reporter") or "").strip().lower() in ("1", "true")
        if reporter is None:
            self.summary.add("noted", "activities without a reporting organisation", where)
        elif secondary:
            self.orgs[reporter].secondary += 1
            self.summary.add("noted", "activities from secondary reporters (not counted for the focal choice)",
                             where)
        else:
            self.orgs[reporter].reports += 1

        participants: dict[str, set] = {}
        for participant in _children(elem, "participating-org"):
            key = self.org(participant, where)
            if key is None:
                self.summary.add("skipped", "participating organisations with neither name nor identifier", where)
                continue
            code = (participant.get("role") or "").strip()
            role = ROLES.get(code) or (code.lower() if code.lower() in ROLES.values() else "participating")
            participants.setdefault(key, set()).add(role)
        if reporter is not None and reporter not in participants:
            participants[reporter] = {"reporting"}

        dates = {d.get("type"): _date(d.get("iso-date")) for d in _children(elem, "activity-date")}
        since = dates.get("2") or dates.get("1")
        until = dates.get("4") or dates.get("3")
        if since and until and until < since:
            self.summary.add("noted", "activities ending before they start: end date left out", where)
            until = None
        descriptions = _children(elem, "description")
        general = [d for d in descriptions if d.get("type") in (None, "1")] or descriptions
        title = _narrative(_child(elem, "title"), lang) or ident
        index = len(self.activities)
        self.activities.append(_Activity(ident, title, _narrative(general[0], lang) if general else "",
                                         since, until, reporter, participants, where))

        implementing = [k for k, roles in participants.items() if "implementing" in roles]
        accountable = [k for k, roles in participants.items() if "accountable" in roles]
        default_currency = (elem.get("default-currency") or "").strip().upper()
        for number, transaction in enumerate(_children(elem, "transaction"), start=1):
            self.transaction(transaction, index, f"{where}, transaction {number}", reporter,
                             accountable if secondary else [], implementing or accountable,
                             default_currency, updated)

    def _amount(self, value, where: str) -> float | None:
        text = " ".join((value.text or "").split()) if value is not None else ""
        if _NUMBER.match(text):
            return float(text)
        if _THOUSANDS.match(text):
            self.summary.add("noted", "amounts written with thousands separators", f"{text} ({where})")
            return float(text.replace(",", ""))
        if value is not None and not text:
            for attribute, written in value.attrib.items():
                if attribute not in ("value-date",) and _NUMBER.match(written.strip()):
                    self.summary.add("noted", "amounts found in an attribute instead of the element text",
                                     f"value/@{attribute}={written} ({where})")
                    return float(written)
        self.summary.add("skipped", "transactions with an unreadable or missing amount",
                         f"'{text[:20]}' ({where})")
        return None

    def transaction(self, elem, activity: int, where: str, reporter, accountable, implementers,
                    default_currency: str, updated: str | None) -> None:
        type_elem = _child(elem, "transaction-type")
        code = (type_elem.get("code") or "").strip() if type_elem is not None else ""
        code = TRANSACTION_LETTERS.get(code.upper(), code)
        if code not in TRANSACTION_TYPES or TRANSACTION_TYPES[code][2] is None:
            name = TRANSACTION_TYPES.get(code, (f"code '{code}'",))[0]
            self.summary.add("skipped", "transactions of types that are neither payments nor commitments",
                             f"{name} ({where})")
            return
        type_name, direction, _ = TRANSACTION_TYPES[code]
        value = _child(elem, "value")
        amount = self._amount(value, where)
        if amount is None:
            return
        if amount < 0:
            self.summary.add("skipped", "transactions with a negative amount (corrections)", f"{amount:g} ({where})")
            return
        if amount == 0:
            self.summary.add("skipped", "transactions with a zero amount", where)
            return
        currency = ((value.get("currency") if value is not None else "") or "").strip().upper()
        if currency not in _CURRENCIES:
            currency = default_currency if not currency or _NUMBER.match(currency) else currency
        if currency not in _CURRENCIES:
            self.summary.add("skipped", "transactions without a known currency", f"'{currency}' ({where})")
            return
        date_elem = _child(elem, "transaction-date")
        date = _date(date_elem.get("iso-date")) if date_elem is not None else None
        if date is None and value is not None and _date(value.get("value-date")):
            date = _date(value.get("value-date"))
            self.summary.add("noted", "transactions dated by their value-date (no transaction-date)", where)
        if date is None:
            self.summary.add("skipped", "transactions without a readable date", where)
            return
        if updated and date > updated:
            self.summary.add("noted", "transactions dated after their file's last update (kept)",
                             f"{date} > {updated} ({where})")
        provider = self.org(_child(elem, "provider-org"), where)
        receiver = self.org(_child(elem, "receiver-org"), where)
        if direction == "in":
            receiver = receiver or reporter
            if provider is None:
                self.summary.add("skipped", "incoming transactions that name no provider", where)
                return
        else:
            if provider is None:
                provider = accountable[0] if len(accountable) == 1 else reporter
            if receiver is None:
                others = [k for k in implementers if k != provider]
                if len(others) != 1:
                    self.summary.add("skipped", "outgoing transactions that name no receiver", where)
                    return
                receiver = others[0]
                self.summary.add("noted", "receivers taken from the activity's implementing or accountable "
                                          "organisation (the transaction names none)", where)
        if provider is None or receiver is None:
            self.summary.add("skipped", "transactions whose provider or receiver is unknown", where)
            return
        self.transactions.append(_Transaction(activity, code, amount, currency, date, provider, receiver,
                                              reporter, where))

    # -- one file --------------------------------------------------------------------------

    def read_file(self, path: Path, problems: list[str]) -> None:
        try:
            root = self._root(path, problems)
            if root is None:
                return
            file_updated = _date(root.get("generated-datetime"))
            count = 0
            # End events only (half the events of start+end); each activity is cleared once read,
            # so memory stays flat however long the file.
            for _, elem in ET.iterparse(path, events=("end",)):
                if elem.tag == "iati-activity":
                    count += 1
                    self.activity(elem, path.name, file_updated)
                    elem.clear()
        except ET.ParseError as exc:
            line, column = exc.position
            problems.append(f"{path}:{line}: not well-formed XML (column {column + 1}): "
                            f"{str(exc).split(':')[0]}")
            return
        except FileNotFoundError:
            problems.append(f"{path}: no such file")
            return
        except IsADirectoryError:
            problems.append(f"{path}: is a folder; give the XML files (e.g. {path}/*.xml)")
            return
        except OSError as exc:
            problems.append(f"{path}: cannot read it: {exc.strerror}")
            return
        if count == 0:
            problems.append(f"{path}: holds no <iati-activity>")
        if file_updated and (self.latest_update is None or file_updated > self.latest_update):
            self.latest_update = file_updated

    def _root(self, path: Path, problems: list[str]):
        """The root element's start tag (read from the first bytes only), or None with the problem."""
        with path.open("rb") as handle:
            _, root = next(iter(ET.iterparse(handle, events=("start",))))
        tag = _local(root.tag)
        if tag == "iati-organisations":
            problems.append(f"{path}: an IATI organisation file; `import iati` reads activity "
                            "files (<iati-activities>)")
            return None
        if tag not in ("iati-activities", "iati-activity"):
            problems.append(f"{path}:1: <{tag}> is not an IATI activity file "
                            "(its root element is <iati-activities>)")
            return None
        version = (root.get("version") or "").strip()
        if version and version not in ("2.01", "2.02", "2.03"):
            self.summary.add("noted", "files of a version other than 2.01–2.03 (read as 2.0x)",
                             f"{path.name}: {version}")
        return root


class _Merger:
    """Organisation keys → one partner each (union-find)."""

    def __init__(self, orgs: dict[str, _Org], summary: Summary):
        self.parent = {key: key for key in orgs}
        self.orgs = orgs
        self.summary = summary

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, name_key: str, ref_root: str) -> None:
        self.parent[self.find(name_key)] = self.find(ref_root)

    def merge(self) -> None:
        orgs, summary = self.orgs, self.summary
        by_norm: dict[str, set[str]] = {}  # normalised name → ref keys using it
        for key, org in orgs.items():
            if key.startswith("ref:"):
                for name in org.names:
                    by_norm.setdefault(normalise(name), set()).add(key)
                if len(org.refs) > 1:
                    summary.add("merged", "identifiers written in several ways (case)", " / ".join(sorted(org.refs)))
        name_keys = sorted(k for k in orgs if k.startswith("name:"))
        for key in name_keys:
            norm = key[5:]
            refs = by_norm.get(norm, set())
            if len(refs) == 1:
                ref_key = next(iter(refs))
                self.union(key, ref_key)
                summary.add("merged", "organisations named without identifier, matched by name to one with it",
                            f"'{next(iter(orgs[key].names))}' → {ref_key[4:]}")
            elif len(refs) > 1:
                summary.add("noted", "names used by organisations with different identifiers: kept apart",
                            f"'{norm}' ({', '.join(sorted(r[4:] for r in refs))})")
        # A name-only organisation whose name is the start of exactly one other organisation's name
        # was cut short by its publisher (IATI tools cut at 40, 50 or 60 characters).
        names = sorted({normalise(n) for org in orgs.values() for n in org.names})
        owners: dict[str, set[str]] = {}
        for key, org in orgs.items():
            for name in org.names:
                owners.setdefault(normalise(name), set()).add(key)
        for key in name_keys:
            norm = key[5:]
            if self.find(key) != key or len(norm) < MIN_TRUNCATED:
                continue
            roots = set()
            start = bisect.bisect_right(names, norm)
            for other in names[start:]:
                if not other.startswith(norm):
                    break
                if norm[-1].isdigit() and other[len(norm)].isdigit():
                    continue  # 'Partner 1' is not 'Partner 10' cut short
                roots |= {self.find(k) for k in owners[other]}
            roots.discard(key)
            if len(roots) == 1:
                target = roots.pop()
                self.parent[key] = target
                summary.add("merged", "names cut short by their publisher, matched to the full name",
                            f"'{next(iter(orgs[key].names))}'")


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


def read(sources: list[Path], focal: str | None) -> Imported:
    reader = _Reader()
    problems: list[str] = []
    for path in sources:
        reader.read_file(path, problems)
    if problems:
        raise ImportFailed(problems)
    summary = reader.summary
    summary.lines.append(f"read {len(sources)} file{'s' if len(sources) != 1 else ''}: "
                         f"{len(reader.activities)} activities, {len(reader.transactions)} transactions kept "
                         f"for payments and commitments")
    merger = _Merger(reader.orgs, summary)
    merger.merge()
    return _build(reader, merger, focal, [p.name for p in sources])


def _build(reader: _Reader, merger: _Merger, focal: str | None, sources: list[str]) -> Imported:
    summary = reader.summary
    orgs = reader.orgs
    groups: dict[str, list[str]] = {}
    for key in sorted(orgs):
        groups.setdefault(merger.find(key), []).append(key)

    # Which organisations the data keeps: in a project, or in a transaction between two partners.
    transactions = [t for t in reader.transactions if merger.find(t.provider) != merger.find(t.receiver)]
    for t in reader.transactions:
        if merger.find(t.provider) == merger.find(t.receiver):
            summary.add("skipped", "transactions within one organisation (provider is the receiver)", t.where)
    used = {merger.find(k) for a in reader.activities for k in a.participants}
    used |= {merger.find(t.provider) for t in transactions} | {merger.find(t.receiver) for t in transactions}
    for root in sorted(set(groups) - used):
        summary.add("skipped", "organisations named only in skipped transactions: left out",
                    f"'{next(iter(orgs[root].names), root)}'")

    ids = IdMaker()
    partner_of: dict[str, str] = {}
    partners: dict[str, dict] = {}
    for root in sorted(used, key=lambda r: (not r.startswith("ref:"), r)):
        members = [orgs[k] for k in groups[root]]
        names = Counter()
        types = Counter()
        refs = Counter()
        for member in members:
            names.update(member.names)
            types.update(member.types)
            refs.update(member.refs)
        ref_list = sorted({max((r for r in m.refs), key=lambda r: (m.refs[r], r)) for m in members if m.refs})
        if not names:
            names[ref_list[0] if ref_list else root] = 1
        chosen, aliases, truncated = _choose_name(names)
        if truncated:
            summary.add("noted", "organisations also named by a cut-off copy of their name (not kept as aliases)",
                        f"'{chosen[:50]}'")
        if len(aliases):
            summary.add("merged", "other names of one organisation, kept as aliases", f"'{aliases[0]}' = '{chosen}'",
                        n=len(aliases))
        name, cut = short_name(chosen)
        record = {"id": ids.make(_id_text(name), root, "org"), "name": name}
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
        if cut:
            record["description"] = f"Full name: {' '.join(chosen.split())}"
            summary.add("noted", "names longer than 80 characters: shortened, the full name in description",
                        f"'{chosen[:40]}…'")
        partner_of[root] = record["id"]
        partners[root] = record
    summary.add("mapped", "partners (organisations after merging)", n=len(partners))

    def pid(key: str) -> str:
        return partner_of[merger.find(key)]

    focal_id = _focal(reader, merger, partners, focal, summary)

    # Projects
    project_ids = IdMaker()
    projects = []
    project_origins = []
    role_order = list(ROLES.values()) + ["reporting", "participating"]
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
        project_origins.append(activity.where)
    summary.add("mapped", "projects (one per activity)", n=len(projects))

    # Commitments → agreements; payments → funding
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
        pairs.setdefault((source, target), Counter())[what] += 1
        if what == "commitment":
            key = (t.activity, source, target)
            agreement = agreements.get(key)
            if agreement is None:
                agreement = agreements[key] = {
                    "id": agreement_ids.make(f"{project}-commitment", f"{project}/{source}/{target}", "commitment"),
                    "title": f"Commitment to {partners_by_id(partners, target)} in {activity.ident}",
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
        funding.append({"from": source, "to": target, "amount": amount, "currency": t.currency, "date": t.date,
                        "purpose": f"{type_name}, {activity.ident}", "_key": (t.activity, source, target)})
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

    relationships = []
    relationship_origins = []
    for (source, target), kinds in sorted(pairs.items()):
        said = " and ".join(f"{n} {what}{'s' if n != 1 else ''}" for what, n in sorted(kinds.items()))
        relationships.append({"from": source, "to": target, "deliverable": "Funding", "nature": "tangible",
                              "kind": "funding", "description": f"From IATI transactions: {said}."})
        relationship_origins.append(f"IATI transactions {source} → {target}")
    summary.add("mapped", "relationships (one per pair that exchanges money)", n=len(relationships))

    _propose_networks(partners, focal_id, projects, funding, agreement_list, summary)

    dates = [f["date"] for f in funding]
    if reader.latest_update:
        dates = [d for d in dates if d <= reader.latest_update] or dates
    info = {"name": f"{partners_by_id(partners, focal_id)}: partners from IATI", "focal": focal_id}
    if dates:
        info["as_of"] = max(dates)
        summary.lines.append(f"as_of: {info['as_of']} (the latest payment; change it in network.yml)")
    info["description"] = (f"Imported from IATI activity data ({', '.join(sources)}) with `partnerbook import iati`. "
                           "Networks (IVN/OVN) are proposed from the money and projects each partner shares "
                           "with the focal organisation: review them.")
    data = {"network": info, "partners": list(partners.values()), "relationships": relationships,
            "agreements": agreement_list, "funding": funding, "projects": projects}
    origins = {"network": [sources[0]], "partners": [f"organisation '{p['name']}'" for p in partners.values()],
               "relationships": relationship_origins, "agreements": agreement_origins,
               "funding": funding_origins, "projects": project_origins}
    return Imported(data, origins, summary, sources)


_ABBREVIATION = re.compile(r"\(([A-Za-z][A-Za-z0-9&.\- ]{1,11})\)\s*$")


def _id_text(name: str) -> str:
    """What a partner's id is made from: a long name's own abbreviation, 'Catholic Agency For
    Overseas Development (CAFOD)' → cafod, else the name."""
    match = _ABBREVIATION.search(name)
    if match and len(name) > 30:
        return match.group(1)
    return name


def partners_by_id(partners: dict[str, dict], partner_id: str) -> str:
    for record in partners.values():
        if record["id"] == partner_id:
            return record["name"]
    return partner_id


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.0f} {currency}" if float(amount).is_integer() else f"{amount:,.2f} {currency}"


def _focal(reader: _Reader, merger: _Merger, partners: dict[str, dict], focal: str | None,
           summary: Summary) -> str:
    if focal:
        wanted, wanted_norm = focal.strip().upper(), normalise(focal)
        for root, record in partners.items():
            refs = [i.split(":", 1)[1].upper() for i in record.get("identifiers", [])]
            names = [normalise(n) for n in [record["name"], *record.get("aliases", [])]]
            if record["id"] == focal or wanted in refs or wanted_norm in names:
                summary.lines.append(f"focal: '{record['id']}' ({record['name']}), chosen with --focal")
                return record["id"]
        raise ImportFailed([f"--focal {focal}: no organisation in the files has that identifier, name or id"])
    reports = Counter()
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
        if partner_id == focal_id:
            continue
        if partner_id in funders:
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
