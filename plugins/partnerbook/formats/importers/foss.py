"""What the FOSS importers share: reading a CSV export, finding its columns by their common names,
telling an organisation from a person, and one partner per organisation however it is spelled.

"Red Hat", "RedHat" and "Red Hat, Inc." are one organisation: names are compared by their letters
and digits, case, accents, spaces and punctuation aside, without a trailing legal form (Inc, GmbH,
Ltd…). The spelling written most often becomes the partner's name; the others become `aliases`.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .common import IdMaker, ImportFailed, Summary, short_name

MAX_SOURCE_BYTES = 256 << 20  # a bigger export is refused before it is read (hostile files: bounded memory)
LEGAL_FORMS = {
    "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "co", "sa", "ag", "bv",
    "plc", "pvt", "srl", "oy", "ab", "kk", "pty", "spa", "sas", "se", "nv", "lp", "llp", "ug", "sarl",
}
# Words that say "no organisation": the person works for themselves (each counts as one).
INDEPENDENT_WORDS = ("independent", "individual", "unaffiliated", "freelance", "freelancer", "self",
                     "self employed", "selfemployed", "none", "personal", "hobbyist", "volunteer", "retired",
                     "student", "no company", "no employer", "private", "myself")
# Cells that say nothing about the employer: the maintainer's organisation is unknown.
UNKNOWN_WORDS = ("", "-", "_", "--", "?", "n/a", "na", "unknown", "tbd", "not specified", "not known", "other")


@functools.lru_cache(maxsize=65536)  # the same few hundred names recur thousands of times
def words_of(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", ascii_text)


@functools.lru_cache(maxsize=65536)  # the same few hundred names recur thousands of times
def org_key(name: str) -> str:
    """The key two spellings of one organisation share: 'Red Hat, Inc.' → 'redhat'."""
    key = "".join(id_words(name)) if words_of(name) else ""
    return key or name.strip().lower()  # a name in a script NFKD cannot fold (e.g. Chinese) keeps itself


@functools.lru_cache(maxsize=65536)  # the same few hundred names recur thousands of times
def id_words(name: str) -> list[str]:
    """The words an id is made of: the name without its trailing legal form ('Chainguard, Inc' → chainguard)."""
    words = words_of(name)
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return words or [name]


@functools.lru_cache(maxsize=65536)  # the same few hundred names recur thousands of times
def employer_kind(cell: str) -> str:
    """'organisation', 'independent' (works for no organisation) or 'unknown'."""
    text = " ".join(cell.split()).lower()
    if text in UNKNOWN_WORDS:
        return "unknown"
    plain = " ".join(words_of(text))
    if any(plain == w or plain.startswith(w + " ") for w in INDEPENDENT_WORDS):
        return "independent"
    return "organisation"


def header_key(text: str) -> str:
    return re.sub(r"[\s_?]+", "", text.strip().lstrip("\ufeff").lower())


def find_columns(header: list[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → column index, matching header cells case- and space-insensitively against each field's names."""
    keys = [header_key(h) for h in header]
    found = {}
    for name, options in wanted.items():
        for option in options:
            if header_key(option) in keys:
                found[name] = keys.index(header_key(option))
                break
    return found


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and (line, cells) of each non-empty row; bad files raise ImportFailed."""
    shown = str(path)
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ImportFailed([f"{shown}: larger than {MAX_SOURCE_BYTES >> 20} MiB; not read"])
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"{shown}: not UTF-8 (byte 0x{exc.object[exc.start]:02x}); save it as CSV UTF-8"]) from None
    except OSError as exc:
        raise ImportFailed([f"{shown}: cannot read it: {exc.strerror}"]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(keepends=True), delimiter=delimiter)
    header: list[str] | None = None
    rows = []
    try:
        for row in reader:
            if header is None:
                header = row
            elif any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise ImportFailed([f"{shown}:{reader.line_num}: not a CSV row: {exc}"]) from None
    if not header:
        raise ImportFailed([f"{shown}: empty: no header row"])
    return header, rows


def cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return " ".join(row[index].split()) if index is not None and index < len(row) else ""


def parse_day(text: str) -> str | None:
    """'2024-03-05', '2024-03-05T10:00:00Z', '2024-03-05 10:00:00 UTC' or '3/5/2024' → '2024-03-05'."""
    text = text.strip()
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if match:
        try:
            return dt.date(*map(int, match.groups())).isoformat()
        except ValueError:
            return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s.*)?", text)
    if match:
        try:
            return dt.date(int(match.group(3)), int(match.group(1)), int(match.group(2))).isoformat()
        except ValueError:
            return None
    return None


def parse_amount(text: str) -> float | None:
    """'$1,234.50', '-12.5', '1234' → a number (None when it is none)."""
    cleaned = re.sub(r"[^\d.\-]", "", text.replace(",", ""))
    try:
        return float(cleaned) if cleaned not in ("", "-", ".") else None
    except ValueError:
        return None


def amount_value(number: float) -> int | float:
    number = round(float(number), 2)
    return int(number) if number.is_integer() else number


@dataclass
class Existing:
    """What `--with DIR` needs of the handbook: its focal partner and its partners' names and identifiers."""

    focal: str
    partners: list[dict]


def handbook_data(folder: Path, output: Path) -> tuple[dict[str, str], Existing]:
    """`--with DIR`: the handbook's data files outside the import's own folder (relative path → text), and
    its focal partner and partners. Read as plain YAML, not checked: they may refer to partners the import
    is about to write again (a hand-written decisions file naming an imported company); the import is
    checked together with them before anything is written."""
    if not folder.is_dir():
        raise ImportFailed([f"--with {folder}: no such folder"])
    skip = output.resolve()
    files, partners, focal = {}, [], None
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".yml", ".yaml") or not path.is_file() or skip in path.resolve().parents:
            continue
        relative = str(path.relative_to(folder))
        try:
            if path.stat().st_size > MAX_SOURCE_BYTES:
                raise ImportFailed([f"--with {folder}: {relative} is larger than {MAX_SOURCE_BYTES >> 20} MiB"])
            text = path.read_text(encoding="utf-8")
            document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError) as exc:
            raise ImportFailed([(f"--with {folder}: {relative} cannot be read ({type(exc).__name__}): "
                                "run `partnerbook check` on it")]) from None
        files[relative] = text
        if not isinstance(document, dict):
            continue
        if isinstance(document.get("network"), dict) and document["network"].get("focal"):
            focal = str(document["network"]["focal"])
        partners += [p for p in document.get("partners") or [] if isinstance(p, dict) and p.get("id")]
    if focal is None:
        raise ImportFailed([f"--with {folder}: no file there has `network:` with its focal partner"])
    return files, Existing(focal, partners)


@dataclass
class Partners:
    """One partner per organisation, whatever the spelling; ids stable across runs. With the handbook's
    `existing` network (--with), its partners are reused by name, alias or identifier, not written again."""

    summary: Summary
    ids: IdMaker = field(default_factory=IdMaker)
    records: dict[str, dict] = field(default_factory=dict)  # id → partner record
    by_key: dict[str, str] = field(default_factory=dict)  # org_key → id
    spellings: dict[str, dict[str, int]] = field(default_factory=dict)  # id → spelling → times written
    existing: Existing | None = None
    known: dict[str, str] = field(default_factory=dict)  # org_key or identifier → id of an existing partner

    def __post_init__(self) -> None:
        if self.existing is not None:
            for partner in self.existing.partners:
                partner_id = str(partner["id"])
                self.ids.used.add(partner_id)
                names = [partner.get("name"), *(partner.get("aliases") or [])]
                for name in (n for n in names if isinstance(n, str)):
                    self.known.setdefault(org_key(name), partner_id)
                for identifier in partner.get("identifiers") or []:
                    self.known.setdefault(str(identifier), partner_id)
                self.known.setdefault(partner_id, partner_id)

    def add(self, name: str, **fields) -> str:
        """The id of the partner named `name` (created with `fields` the first time)."""
        key = org_key(name)
        spelled = " ".join(name.split())
        found = self.known.get(key) or next((self.known[i] for i in fields.get("identifiers", ()) if i in self.known),
                                            None)
        if found is not None:
            self.summary.add("merged", "organisations already in the handbook (--with: not written again)", spelled)
            return found
        partner_id = self.by_key.get(key)
        if partner_id is None:
            shown, cut = short_name(spelled)
            partner_id = self.ids.make(" ".join(id_words(shown)), key, "partner")
            self.by_key[key] = partner_id
            self.records[partner_id] = {"id": partner_id, "name": shown,
                                        **{k: list(v) if isinstance(v, list) else v for k, v in fields.items()}}
            self.spellings[partner_id] = {}
            self.summary.add("mapped", "organisations → partners", shown)
            if cut:
                self.summary.add("noted", "names shortened to 80 characters (the full name is an alias)", shown)
        counts = self.spellings[partner_id]
        if spelled not in counts and counts:
            self.summary.add("merged", "spellings of one organisation (kept as aliases)",
                             f"'{spelled}' = '{self.records[partner_id]['name']}'")
        counts[spelled] = counts.get(spelled, 0) + 1
        return partner_id

    def finish(self) -> list[dict]:
        """The records, each named by its most written spelling, the other spellings as aliases."""
        out = []
        for partner_id, record in self.records.items():
            counts = self.spellings.get(partner_id) or {}
            if counts:
                best = max(counts, key=lambda s: (counts[s], -list(counts).index(s)))
                record["name"] = short_name(best)[0]
                aliases = [s for s in counts if s != record["name"]]
                if aliases:
                    record["aliases"] = aliases
            out.append(record)
        return out


def focal_partner(partners: Partners, focal: str | None, default: str | None, what: str, **fields) -> str:
    """The focal partner: --focal (an id or name, created when no organisation has it), else `default`."""
    if partners.existing is not None and not focal:
        focal_id = partners.existing.focal
        partners.summary.lines.append(f"focal: '{focal_id}', the handbook's (--with)")
        return focal_id
    name = focal or default
    if not name:
        raise ImportFailed([f"give --focal NAME: the {what} the handbook is written from"])
    if name in partners.records or name in partners.known:
        return partners.records[name]["id"] if name in partners.records else partners.known[name]
    if org_key(name) in partners.known:
        return partners.known[org_key(name)]
    known = partners.by_key.get(org_key(name))
    if known is not None:
        for key in ("network", "ivn_criteria", "ovn_type"):  # the focal partner is the centre, in no ring
            partners.records[known].pop(key, None)
        partners.summary.lines.append(f"focal: '{known}' ({partners.records[known]['name']})")
        return known
    partner_id = partners.add(name, **fields)
    partners.summary.lines.append(f"focal: '{partner_id}' ({name}), created: the file does not name it")
    return partner_id


def without_network(data: dict, existing: Existing | None) -> None:
    """With --with, the handbook's own `network` entry stays the one: the import writes none."""
    if existing is not None:
        data.pop("network", None)


def money_relationships(funding: list[dict], focal_id: str, given: str, paid: str,
                        named: dict[str, str] | None = None) -> list[dict]:
    """One value exchange per counterpart and direction of the money, so no payer or payee is a partner "in
    no relationship": `given` what the focal organisation receives as money, `paid` what it pays for
    (`named`: partner id → a deliverable of its own, e.g. the fiscal host's)."""
    seen: dict[tuple[str, str], dict] = {}
    for flow in funding:
        pair = (flow["from"], flow["to"])
        if pair in seen:
            continue
        income = flow["to"] == focal_id
        other = flow["from"] if income else flow["to"]
        deliverable = (named or {}).get(other) or (given if income else paid)
        seen[pair] = {"from": flow["from"], "to": flow["to"], "deliverable": deliverable, "nature": "tangible",
                      "kind": "revenue"}
    return list(seen.values())
