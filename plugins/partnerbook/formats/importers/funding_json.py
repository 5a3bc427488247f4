"""`partnerbook import funding-json FILE`: a FLOSS/fund `funding.json` manifest (v1.0.0, v1.1.x).

- `entity` is the focal partner: its name, kind (its `type`), role (a tag `funding.json role: …`),
  description and web page.
- `projects` become `projects` of the focal partner (its role: the entity's role).
- `funding.plans` become the network's `plans`: what the project asks for, never money received.
  Monthly and yearly plans keep their period (`per`); one-time plans have none; weekly and
  fortnightly amounts are turned into monthly ones (×52/12, ×26/12) and said so.
- `funding.history` rows become the network's `reported` years: totals the organisation reports,
  shown beside the computed figures, never added to payments.
- `funding.channels` (how to pay) are not in the data format: counted as skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from .common import IdMaker, Imported, ImportFailed, Summary, short_name
from .foss import MAX_SOURCE_BYTES, Existing, Partners, amount_value, without_network

KINDS = {"individual": "individual", "group": "group", "organisation": "organisation", "organization": "organisation"}
PER = {"monthly": ("month", 1.0), "yearly": ("year", 1.0), "weekly": ("month", 52 / 12),
       "fortnightly": ("month", 26 / 12), "one-time": (None, 1.0)}


def _load(path: Path) -> dict:
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ImportFailed([f"{path}: larger than {MAX_SOURCE_BYTES >> 20} MiB; not read"])
        manifest = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ImportFailed([f"{path}: cannot read it: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise ImportFailed([f"{path}: not UTF-8"]) from None
    except json.JSONDecodeError as exc:
        raise ImportFailed([f"{path}:{exc.lineno}: not JSON: {exc.msg}"]) from None
    except RecursionError:
        raise ImportFailed([f"{path}: nested too deep to be a funding.json"]) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("entity"), dict):
        raise ImportFailed([f"{path}: not a funding.json manifest: no `entity` object"])
    return manifest


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _url(value) -> str | None:
    url = value.get("url") if isinstance(value, dict) else value
    return url if isinstance(url, str) and url.startswith(("http://", "https://")) else None


def read(sources: list[Path], focal: str | None, keep_people: bool = False,
         existing: Existing | None = None) -> Imported:
    if len(sources) != 1:
        raise ImportFailed(["funding-json reads one manifest at a time"])
    path = sources[0]
    manifest = _load(path)
    summary = Summary()
    summary.lines.append(f"funding.json version {_text(manifest.get('version')) or '(not given)'}")
    entity = manifest["entity"]
    name = _text(entity.get("name")) or focal
    if not name:
        raise ImportFailed([f"{path}: `entity` has no name: give one, or --focal NAME"])
    partners = Partners(summary, existing=existing)
    role = _text(entity.get("role"))
    fields: dict = {"kind": KINDS.get(_text(entity.get("type")).lower(), "organisation")}
    if role:
        fields["tags"] = [f"funding.json role: {role}"]
    if _url(entity.get("webpageUrl")):
        fields["website"] = _url(entity.get("webpageUrl"))
    if _text(entity.get("description")):
        fields["description"] = entity["description"].strip()
    if existing is not None and not focal:
        focal_id = existing.focal
        summary.lines.append(f"focal: '{focal_id}', the handbook's, stands for the entity {name} (--with)")
    else:
        focal_id = partners.add(name, **fields)
        summary.lines.append(f"focal: '{focal_id}' ({name}), the manifest's entity")
    problems: list[str] = []
    project_ids = IdMaker()
    projects = []
    for number, project in enumerate(manifest.get("projects") or [], 1):
        if not isinstance(project, dict) or not _text(project.get("name")):
            problems.append(f"{path}: projects[{number}] has no name")
            continue
        title = short_name(_text(project["name"]))[0]
        record: dict = {"id": project_ids.make(_text(project.get("guid")) or title, title, "project"),
                        "title": title, "partners": {focal_id: role or "maintainer"}}
        url = _url(project.get("repositoryUrl")) or _url(project.get("webpageUrl"))
        if url:
            record["url"] = url
        if _text(project.get("description")):
            record["description"] = project["description"].strip()
        projects.append(record)
        summary.add("mapped", "projects", title)
    funding = given if isinstance(given := manifest.get("funding"), dict) else {}
    plans = []
    for number, plan in enumerate(funding.get("plans") or [], 1):
        where = f"{path}: funding.plans[{number}]"
        if not isinstance(plan, dict):
            problems.append(f"{where} is not an object")
            continue
        amount, currency = plan.get("amount"), _text(plan.get("currency")).upper()
        if not isinstance(amount, (int, float)) or isinstance(amount, bool) or amount < 0 or len(currency) != 3:
            problems.append(f"{where}: needs an amount (a number ≥ 0) and a currency code")
            continue
        frequency = _text(plan.get("frequency")).lower()
        per, factor = PER.get(frequency, (None, 1.0))
        if factor != 1.0:
            summary.add("noted", "weekly or fortnightly plans written as monthly amounts", _text(plan.get("name")))
        if frequency not in PER:
            summary.add("noted", "plans of another frequency written without a period", frequency or "(none)")
        entry: dict = {"name": _text(plan.get("name")) or _text(plan.get("guid")) or f"plan {number}",
                       "amount": amount_value(amount * factor), "currency": currency}
        if per:
            entry["per"] = per
        if _text(plan.get("status")) in ("active", "inactive"):
            entry["status"] = _text(plan["status"])
        if _text(plan.get("description")):
            entry["description"] = _text(plan["description"])
        plans.append(entry)
        summary.add("mapped", "plans (asked for, not received)", entry["name"])
    reported = []
    for number, year in enumerate(funding.get("history") or [], 1):
        where = f"{path}: funding.history[{number}]"
        if not isinstance(year, dict) or not isinstance(year.get("year"), int) or len(_text(year.get("currency"))) != 3:
            problems.append(f"{where}: needs a year and a currency code")
            continue
        entry = {"year": year["year"], "currency": _text(year["currency"]).upper()}
        for key in ("income", "expenses", "taxes"):
            value = year.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if value < 0:
                    problems.append(f"{where}: '{key}' is negative")
                    continue
                entry[key] = amount_value(value)
        if _text(year.get("description")):
            entry["description"] = _text(year["description"])
        reported.append(entry)
        summary.add("mapped", "history years → reported totals (never added to payments)", str(year["year"]))
    channels = funding.get("channels") or []
    if channels:
        summary.add("skipped", "funding channels (how to pay: not part of the data format)", n=len(channels))
    if problems:
        raise ImportFailed(problems)
    if existing is not None and (reported or plans):
        summary.add("noted", "plans and history not written with --with: they belong in your `network` entry "
                             "(import without --with into another folder and copy `reported` and `plans`)")
    network: dict = {"name": name, "focal": focal_id}
    if reported:
        network["reported"] = sorted(reported, key=lambda r: (r["year"], r["currency"]))
    if plans:
        network["plans"] = plans
    data = {"network": network, "partners": partners.finish(), "projects": projects}
    without_network(data, existing)
    return Imported(data, {"network": [str(path)], "partners": [str(path)], "projects": [str(path)] * len(projects)},
                    summary, [path.name])
