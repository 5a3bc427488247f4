"""`partnerbook import publiccode FILE`: a `publiccode.yml` (0.4 and later) of a public codebase.

- The software becomes a project; `organisation` (its name, else its uri), else `legal.repoOwner`,
  else --focal, is the focal partner that owns it.
- `fundedBy` entries are funders (OVN) with the role `funding`.
- `maintenance.contractors` are partners (IVN: a contract, a function) with a `contract`
  agreement with the focal partner that expires on `until` (expired once that day has passed).
- `maintenance.contacts[].affiliation` are partners (IVN: they develop it) with the role
  `maintenance`; the contacts themselves are people, counted, not named unless --keep-people.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .common import IdMaker, Imported, ImportFailed, Summary, short_name
from .foss import (
    MAX_SOURCE_BYTES,
    Existing,
    Partners,
    employer_kind,
    focal_partner,
    parse_day,
    without_network,
)


def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ImportFailed([f"{path}: larger than {MAX_SOURCE_BYTES >> 20} MiB; not read"])
        document = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise ImportFailed([f"{path}: cannot read it: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise ImportFailed([f"{path}: not UTF-8"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ImportFailed([(f"{path}:{mark.line + 1 if mark else 1}: not YAML: "
                            f"{getattr(exc, 'problem', None) or 'syntax error'}")]) from None
    except RecursionError:
        raise ImportFailed([f"{path}: nested too deep to be a publiccode.yml"]) from None
    if not isinstance(document, dict) or "name" not in document:
        raise ImportFailed([f"{path}: not a publiccode.yml: no `name`"])
    return document


def _text(value) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _named(value) -> tuple[str, str | None]:
    """(name, http(s) uri) of an `organisation` or `fundedBy` entry: a mapping or a plain name."""
    if isinstance(value, dict):
        uri = _text(value.get("uri")) or _text(value.get("website"))
        return _text(value.get("name")) or uri, uri if uri.startswith(("http://", "https://")) else None
    return _text(value), None


def read(sources: list[Path], focal: str | None, keep_people: bool = False,
         existing: Existing | None = None, today: dt.date | None = None) -> Imported:
    if len(sources) != 1:
        raise ImportFailed(["publiccode reads one publiccode.yml at a time"])
    path = sources[0]
    document = _load(path)
    today = today or dt.date.today()
    summary = Summary()
    summary.lines.append(f"publiccode.yml version {_text(document.get('publiccodeYmlVersion')) or '(not given)'}")
    partners = Partners(summary, existing=existing)
    owner, owner_uri = _named(document.get("organisation"))
    legal = given if isinstance(given := document.get("legal"), dict) else {}
    owner = owner or _text(legal.get("repoOwner")) or _text(legal.get("mainCopyrightOwner"))
    focal_id = focal_partner(partners, focal or None, owner or None, "organisation owning the software",
                             **({"website": owner_uri} if owner_uri else {}))
    title = short_name(_text(document["name"]))[0] or "software"
    project: dict = {"id": IdMaker().make(title, title, "project"), "title": title, "partners": {focal_id: "owner"}}
    if _text(document.get("url")).startswith(("http://", "https://")):
        project["url"] = _text(document["url"])
    agreements = []
    for entry in document.get("fundedBy") or []:
        name, uri = _named(entry)
        if not name:
            continue
        funder = partners.add(name, kind="funder", network="ovn", ovn_type="funder",
                              **({"website": uri} if uri else {}))
        project["partners"].setdefault(funder, "funding")
        summary.add("mapped", "funders (fundedBy)", name)
    maintenance = given if isinstance(given := document.get("maintenance"), dict) else {}
    agreement_ids = IdMaker()
    problems = []
    for number, contractor in enumerate(maintenance.get("contractors") or [], 1):
        name, uri = _named(contractor)
        if not name:
            problems.append(f"{path}: maintenance.contractors[{number}] has no name")
            continue
        website = uri or (_text(contractor.get("website")) if isinstance(contractor, dict) else "")
        fields = {"network": "ivn", "ivn_criteria": ["agreement", "function"]}
        if website.startswith(("http://", "https://")):
            fields["website"] = website
        partner_id = partners.add(name, **fields)
        project["partners"].setdefault(partner_id, "maintenance contractor")
        until = parse_day(_text(contractor.get("until"))) if isinstance(contractor, dict) else None
        agreement = {"id": agreement_ids.make(f"maintenance {name}", name, "agreement"),
                     "title": short_name(f"Maintenance of {title} by {name}")[0], "type": "contract",
                     "parties": [focal_id, partner_id], "status": "signed"}
        if until:
            agreement["expires"] = until
            if dt.date.fromisoformat(until) < today:
                agreement["status"] = "expired"
        agreements.append(agreement)
        summary.add("mapped", "maintenance contractors → partners with a contract", name)
    people = 0
    for contact in maintenance.get("contacts") or []:
        if not isinstance(contact, dict):
            continue
        people += 1
        affiliation = _text(contact.get("affiliation"))
        if affiliation and employer_kind(affiliation) == "organisation":
            partner_id = partners.add(affiliation, network="ivn", ivn_criteria=["develops"])
            project["partners"].setdefault(partner_id, "maintenance")
            summary.add("mapped", "contacts' affiliations → partners", affiliation)
        if keep_people and _text(contact.get("name")):
            person = partners.add(_text(contact["name"]), kind="individual", network="ivn", ivn_criteria=["develops"])
            project["partners"].setdefault(person, "maintenance contact")
    if people and not keep_people:
        summary.add("noted", "maintenance contacts counted, not named (--keep-people names them)", n=people)
    if problems:
        raise ImportFailed(problems)
    records = partners.finish()
    data = {"network": {"name": f"{title}: owner, funders and maintainers", "focal": focal_id},
            "partners": records, "agreements": agreements, "projects": [project]}
    without_network(data, existing)
    return Imported(data, {"network": [str(path)], "partners": [str(path)] * len(records),
                           "agreements": [str(path)] * len(agreements), "projects": [str(path)]},
                    summary, [path.name])
