"""`partnerbook import maintainers FILE.csv`: who maintains which project, and for whom they work.

The table has a project, a person and an organisation per row (a handle is optional); headers are
matched by their common names, case and spaces aside. A blank project cell continues the project
above: the layout of the CNCF's `project-maintainers.csv`.

- Organisations become partners (IVN: they develop the projects), one per organisation however
  it is spelled (foss.py). "Independent", "Freelancer" and the like are people who work for
  themselves, empty or "-" cells are unknown employers: neither is ever one organisation.
- Projects become `projects`: each organisation with the role `maintainers` and, in `maintainers`,
  how many of the project's people it employs; `independent_maintainers` and `unknown_maintainers`
  count the others. A person listed twice in one project (same handle, else same name) counts once.
- People are counted, not named, unless --keep-people: then each is a partner (kind individual)
  and a project participant with the role `maintainer`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .common import IdMaker, Imported, ImportFailed, Summary, short_name
from .foss import (
    Existing,
    Partners,
    cell,
    employer_kind,
    find_columns,
    focal_partner,
    org_key,
    read_csv,
    without_network,
)

COLUMNS = {
    "project": ("Project", "Project Name", "Repository", "Repo"),
    "person": ("Maintainer", "Maintainer Name", "Name", "Person", "Full Name"),
    "organisation": ("Company", "Organisation", "Organization", "Employer", "Affiliation", "Org"),
    "handle": ("GitHub", "Github Name", "GitHub Handle", "Handle", "GitHub Username", "Login"),
    "url": ("OWNERS/MAINTAINERS", "Maintainers File", "URL", "Link"),
}
ORG_FIELDS = {"kind": "organisation", "network": "ivn", "ivn_criteria": ["develops"]}


def _project_rows(path: Path, summary: Summary) -> list[dict]:
    """Each project block of the file: {name, url, line, above, people: {person key: (name, employer, line)}}.
    A name written again after other projects starts another block ("Steering Committee" under
    two projects); such blocks are told apart by the project above them."""
    header, rows = read_csv(path)
    columns = find_columns(header, COLUMNS)
    missing = [name for name in ("project", "person", "organisation") if name not in columns]
    if missing:
        raise ImportFailed([f"{path}:1: no column for {' or '.join(missing)}: expected a header among "
                            + "; ".join(f"{name}: {' / '.join(COLUMNS[name])}" for name in missing)])
    used = set(columns.values())
    for index, name in enumerate(header):
        if index not in used:
            summary.add("skipped", "columns not used", repr(name.strip()) if name.strip() else "(unnamed)")
    blocks: list[dict] = []
    current: dict | None = None
    for line, row in rows:
        name = cell(row, columns, "project")
        if name and (current is None or org_key(name) != org_key(current["name"])):
            current = {"name": name, "url": "", "line": line, "people": {},
                       "above": blocks[-1]["name"] if blocks else ""}
            blocks.append(current)
        if current is None:
            raise ImportFailed([f"{path}:{line}: a maintainer before any project: the first row needs a project"])
        url = cell(row, columns, "url")
        if url.startswith(("http://", "https://")) and not current["url"]:
            current["url"] = url
        person = cell(row, columns, "person")
        handle = cell(row, columns, "handle").lstrip("@").lower()
        if not person and not handle:
            summary.add("skipped", "rows naming no maintainer", f"{path.name}:{line}")
            continue
        person_key = handle or " ".join(person.lower().split())
        if person_key in current["people"]:
            summary.add("merged", "a maintainer listed twice in one project (counted once)",
                        f"{person or handle} in {current['name']}")
            continue
        current["people"][person_key] = (person or handle, cell(row, columns, "organisation"), line)
    written = Counter(org_key(block["name"]) for block in blocks)
    for block in blocks:
        if written[org_key(block["name"])] > 1:
            summary.add("noted", "project names written in several places, told apart by the project above",
                        f"{block['name']} ({block['above']})")
            block["name"] = f"{block['name']} ({block['above']})" if block["above"] else block["name"]
    return blocks


def read(sources: list[Path], focal: str | None, keep_people: bool = False,
         existing: Existing | None = None) -> Imported:
    summary = Summary()
    projects: list[dict] = []
    for path in sources:
        for block in _project_rows(path, summary):
            projects.append({**block, "source": path.name})
    if not projects:
        raise ImportFailed([f"{', '.join(map(str, sources))}: no maintainer rows"])
    partners = Partners(summary, existing=existing)
    people = Partners(summary, ids=partners.ids) if keep_people else None
    project_ids = IdMaker()
    out_projects, origins = [], []
    totals = {"organisation": 0, "independent": 0, "unknown": 0}
    for project in projects:
        counts: dict[str, int] = {}
        record: dict = {"id": project_ids.make(short_name(project["name"])[0], project["name"], "project"),
                        "title": short_name(project["name"])[0], "partners": {}}
        independent = unknown = 0
        for person, employer, _line in project["people"].values():
            kind = employer_kind(employer)
            totals[kind] += 1
            if kind == "organisation":
                partner_id = partners.add(employer, **ORG_FIELDS)
                counts[partner_id] = counts.get(partner_id, 0) + 1
            elif kind == "independent":
                independent += 1
                summary.add("noted", "maintainers working for no organisation (counted, each as one)",
                            f"'{employer}'")
            else:
                unknown += 1
                summary.add("noted", "maintainers whose employer is not given (counted as unknown)",
                            f"{person} in {project['name']}")
            if people is not None:
                person_id = people.add(person, kind="individual", network="ivn", ivn_criteria=["develops"])
                record["partners"][person_id] = "maintainer"
        record["partners"] = {pid: "maintainers" for pid in sorted(counts, key=lambda p: (-counts[p], p))} \
            | record["partners"]
        record["maintainers"] = {pid: counts[pid] for pid in record["partners"] if pid in counts}
        if independent:
            record["independent_maintainers"] = independent
        if unknown:
            record["unknown_maintainers"] = unknown
        if project["url"]:
            record["url"] = project["url"]
        out_projects.append(record)
        origins.append(f"{project['source']}:{project['line']}")
        summary.add("mapped", "projects", project["name"])
    focal_id = focal_partner(partners, focal, None, "foundation or project", kind="community")
    for record in out_projects:
        if focal_id not in record["partners"]:
            record["partners"] = {focal_id: "host"} | record["partners"]
        if not record["maintainers"]:
            del record["maintainers"]
    summary.lines.append(f"read {sum(len(p['people']) for p in projects)} maintainers in "
                         f"{len(projects)} projects: {totals['organisation']} with an organisation, "
                         f"{totals['independent']} independent, {totals['unknown']} with no employer given")
    records = partners.finish() + (people.finish() if people is not None else [])
    if people is None:
        summary.add("noted", "people counted, not made partners (--keep-people names them)",
                    n=sum(len(p["people"]) for p in projects))
    focal_name = partners.records[focal_id]["name"] if focal_id in partners.records else focal
    data = {"network": {"name": f"{focal_name}: maintainers and their organisations", "focal": focal_id},
            "partners": records, "projects": out_projects}
    without_network(data, existing)
    return Imported(data, {"network": [str(sources[0])], "partners": [str(sources[0])] * len(records),
                           "projects": origins}, summary, [p.name for p in sources])

