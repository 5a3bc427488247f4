"""IATI activity XML → the organisations, activities and transactions it names, as written.

Read as a stream (`iterparse`, each activity cleared once read); every oddity met is counted in
the summary rather than stopping the import. `iati_records.py` merges and maps what is read here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ...data.values import CURRENCIES  # the ISO 4217 codes the loader accepts
from .common import Summary
from .iati_codes import IDENTIFIER_SHAPE, ROLES, TRANSACTION_LETTERS, TRANSACTION_TYPES, junk_ref
from .iati_parties import parties

_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_IDENTIFIER = re.compile(IDENTIFIER_SHAPE)
# The counterparts a transaction does not name and the activity does not tell: one per direction,
# never the reporting organisation itself (which would turn its spending into its own income).
UNSPECIFIED = {"unspecified:in": "Unspecified funder", "unspecified:out": "Unspecified recipient"}
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


def iso_date(text: str | None) -> str | None:
    if not text or not _ISO_DATE.match(text.strip()):
        return None
    day = text.strip()[:10]
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return None
    return day


@dataclass
class Org:
    """One organisation as the files name it (one `ref`, or one normalised name without ref)."""

    key: str
    names: Counter = field(default_factory=Counter)
    types: Counter = field(default_factory=Counter)
    refs: Counter = field(default_factory=Counter)  # spellings of the ref
    reports: int = 0  # activities it reports as primary reporter
    secondary: int = 0
    weak_ref: str = ""  # a ref not of the identifier shape: used to merge only while its names agree


@dataclass
class Activity:
    ident: str
    title: str
    description: str
    since: str | None
    until: str | None
    reporter: str | None
    participants: dict[str, set]  # org key → role names
    where: str


@dataclass
class Transaction:
    activity: int
    code: str
    amount: float
    currency: str
    date: str
    provider: str  # the payer
    receiver: str  # the payee
    reporter: str | None
    where: str
    file: int  # which source file: its generated-datetime says what is a plan
    source_of_funds: str | None = None  # provider-org written on an outgoing transaction of another party


class Reader:
    def __init__(self, publishers: list[str] | None = None) -> None:
        self.summary = Summary()
        self.orgs: dict[str, Org] = {}
        self.activities: list[Activity] = []
        self.transactions: list[Transaction] = []
        self.seen_activities: set[str] = set()
        self.cutoffs: list[str | None] = []  # per file: the day it describes (generated, else last updated)
        self.publishers = list(publishers or [])
        self.publisher_hits: Counter = Counter()  # each --publisher → activities it matched
        self.reporters: Counter = Counter()  # 'Name (REF)' of every reporting organisation, for messages
        self._file_updated: str | None = None

    # -- organisations as written ----------------------------------------------------------

    def org(self, elem, where: str) -> str | None:
        """The key of the organisation an *-org element names, or None when it names none.

        A ref of the identifier shape keys the organisation (`ref:`); a junk ref (`;`, `N/A`, `0`)
        is counted and the name keys it (`name:`); any other ref keys it with its name (`weak:`),
        so that `Merger` can tell whether that ref names one organisation or several."""
        if elem is None:
            return None
        raw_ref = " ".join((elem.get("ref") or "").split())
        name = _narrative(elem, "")
        kind = (elem.get("type") or "").strip()
        ref = "" if junk_ref(raw_ref) else raw_ref
        if ref and " " in ref:
            self.summary.add("noted", "identifiers with spaces (spaces removed)", raw_ref)
            ref = ref.replace(" ", "")
        if raw_ref and not ref:
            self.summary.add("noted", "refs that are no organisation identifier (N/A, ';', '0', …): not used to "
                                      "merge", f"ref=\"{raw_ref}\" ({where})")
        norm = normalise(name) if name else ""
        if ref and _IDENTIFIER.match(ref):
            key = "ref:" + ref.upper()
        elif ref:
            key = f"weak:{ref.upper()}\x1f{norm}"
        elif norm:
            key = "name:" + norm
        else:
            return None
        org = self.orgs.get(key)
        if org is None:
            org = self.orgs[key] = Org(key)
            if key.startswith("weak:"):
                org.weak_ref = ref.upper()
        if name:
            org.names[name] += 1
        if ref:
            org.refs[ref] += 1
        if kind:
            org.types[kind] += 1
        return key

    def unspecified(self, direction: str) -> str:
        key = f"unspecified:{direction}"
        if key not in self.orgs:
            self.orgs[key] = Org(key, names=Counter({UNSPECIFIED[key]: 1}))
        return key

    def _published(self, reporting) -> bool:
        """Whether a --publisher names this reporting organisation (by identifier or name); True without one."""
        if reporting is None or not self.publishers:
            return not self.publishers
        ref = " ".join((reporting.get("ref") or "").split())
        name = _narrative(reporting, "")
        self.reporters[f"{name or '(no name)'} ({ref or 'no ref'})"] += 1
        for publisher in self.publishers:
            if (ref and publisher.strip().upper() == ref.upper()) or \
                    (name and normalise(publisher) == normalise(name)):
                self.publisher_hits[publisher] += 1
                return True
        return False

    # -- one activity ----------------------------------------------------------------------

    def activity(self, elem, file_name: str) -> None:
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
        reporting = _child(elem, "reporting-org")
        if not self._published(reporting):
            self.summary.add("skipped", "activities of other publishers (--publisher)")
            return
        self.seen_activities.add(ident)
        updated = iso_date(elem.get("last-updated-datetime"))
        if updated and (self._file_updated is None or updated > self._file_updated):
            self._file_updated = updated
        reporter = self.org(reporting, where)
        secondary = (reporting is not None
                     and (reporting.get("secondary-reporter") or "").strip().lower() in ("1", "true"))
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

        dates = {d.get("type"): iso_date(d.get("iso-date")) for d in _children(elem, "activity-date")}
        since = dates.get("2") or dates.get("1")
        until = dates.get("4") or dates.get("3")
        if since and until and until < since:
            self.summary.add("noted", "activities ending before they start: end date left out", where)
            until = None
        descriptions = _children(elem, "description")
        general = [d for d in descriptions if d.get("type") in (None, "1")] or descriptions
        title = _narrative(_child(elem, "title"), lang) or ident
        index = len(self.activities)
        self.activities.append(Activity(ident, title, _narrative(general[0], lang) if general else "",
                                         since, until, reporter, participants, where))

        # Whose money this is. A primary reporter reports its own transactions (IATI reporting-org:
        # "a primary source (reporting on its own activity as donor, implementing agency, etc)").
        # A secondary reporter "reproduces data on the activities of an organisation for which it is
        # not directly responsible": it is no party; the single extending organisation is, else no one.
        if secondary:
            extending = [k for k, roles in participants.items() if "extending" in roles and k != reporter]
            party = extending[0] if len(extending) == 1 else None
        else:
            party = reporter
        funders = [k for k, roles in participants.items() if "funding" in roles and k != party]
        implementers = [k for k, roles in participants.items() if "implementing" in roles and k != party]
        default_currency = (elem.get("default-currency") or "").strip().upper()
        for number, transaction in enumerate(_children(elem, "transaction"), start=1):
            self.transaction(transaction, index, f"{where}, transaction {number}", reporter, party,
                             funders, implementers, default_currency)

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

    def transaction(self, elem, activity: int, where: str, reporter, party, funders, implementers,
                    default_currency: str) -> None:
        type_elem = _child(elem, "transaction-type")
        code = (type_elem.get("code") or "").strip() if type_elem is not None else ""
        code = TRANSACTION_LETTERS.get(code.upper(), code)
        if code not in TRANSACTION_TYPES or TRANSACTION_TYPES[code][2] is None:
            name = TRANSACTION_TYPES.get(code, (f"code '{code}'",))[0]
            self.summary.add("skipped", "transactions of types that are neither payments nor commitments",
                             f"{name} ({where})")
            return
        direction = TRANSACTION_TYPES[code][1]
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
        if currency not in CURRENCIES:
            currency = default_currency if not currency or _NUMBER.match(currency) else currency
        if currency not in CURRENCIES:
            self.summary.add("skipped", "transactions without a known currency", f"'{currency}' ({where})")
            return
        date_elem = _child(elem, "transaction-date")
        date = iso_date(date_elem.get("iso-date")) if date_elem is not None else None
        if date is None and value is not None and iso_date(value.get("value-date")):
            date = iso_date(value.get("value-date"))
            self.summary.add("noted", "transactions dated by their value-date (no transaction-date)", where)
        if date is None:
            self.summary.add("skipped", "transactions without a readable date", where)
            return
        provider = self.org(_child(elem, "provider-org"), where)
        receiver = self.org(_child(elem, "receiver-org"), where)
        payer, payee, source = parties(self, direction, party, provider, receiver, funders, implementers, where)
        if payer is None or payee is None:
            self.summary.add("skipped", "transactions that name neither provider nor receiver (secondary "
                                        "reporter, no single extending organisation)", where)
            return
        self.transactions.append(Transaction(activity, code, amount, currency, date, payer, payee,
                                             reporter, where, len(self.cutoffs), source))

    # -- one file --------------------------------------------------------------------------

    def read_file(self, path: Path, problems: list[str]) -> None:
        try:
            root = self._root(path, problems)
            if root is None:
                return
            generated = iso_date(root.get("generated-datetime"))
            self._file_updated = None
            count = 0
            # End events only (half the events of start+end); each activity is cleared once read,
            # so memory stays flat however long the file.
            for _, elem in ET.iterparse(path, events=("end",)):
                if elem.tag == "iati-activity":
                    count += 1
                    self.activity(elem, path.name)
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
        # The day the file describes: its generated-datetime ("when this file was generated"), else
        # the newest last-updated-datetime of its activities. A transaction "always describes something
        # that has taken place" (Activity standard, Overview: Transactions): one dated later is a plan.
        self.cutoffs.append(generated or self._file_updated)

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
