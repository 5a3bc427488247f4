"""`partnerbook import github-sponsors FILE.csv`: the GitHub Sponsors export of a sponsored account.

Settled payments (`Status` settled or succeeded, or no status column) are income of the focal
partner (--focal: the sponsored account) on their `Transaction Date`, in USD, from the sponsor.
Sponsors who are not public are summed per day as "Private sponsors", never named. The export does
not say whether a public sponsor is a person or an organisation: each is taken for a person and
summed as "Individual sponsors" unless --keep-people names them, or a `Sponsor Type` column says
Organization. Other statuses (refunded, failed, pending) are skipped and counted.
"""

from __future__ import annotations

from pathlib import Path

from .common import Imported, ImportFailed, Summary
from .foss import (
    Existing,
    Partners,
    amount_value,
    cell,
    find_columns,
    focal_partner,
    money_relationships,
    parse_amount,
    parse_day,
    read_csv,
    without_network,
)

COLUMNS = {
    "handle": ("Sponsor Handle",), "name": ("Sponsor Profile Name",), "public": ("Is Public?", "Is Public"),
    "yearly": ("Is Yearly?",), "tier": ("Tier Name",), "monthly": ("Tier Monthly Amount",),
    "amount": ("Processed Amount",), "status": ("Status",), "date": ("Transaction Date",),
    "type": ("Sponsor Type", "Is Organization?", "Is Organization"),
}
SETTLED = ("settled", "succeeded", "success", "paid", "completed")
PRIVATE, PEOPLE = "Private sponsors", "Individual sponsors"


def read(sources: list[Path], focal: str | None, keep_people: bool = False,
         existing: Existing | None = None) -> Imported:
    summary = Summary()
    partners = Partners(summary, existing=existing)
    focal_id = focal_partner(partners, focal, None, "sponsored account", kind="community")
    flows: dict[tuple, dict] = {}
    problems: list[str] = []
    for path in sources:
        header, rows = read_csv(path)
        columns = find_columns(header, COLUMNS)
        missing = [c for c in ("handle", "amount", "date") if c not in columns]
        if missing:
            raise ImportFailed([f"{path}:1: not a GitHub Sponsors export: no column "
                                + ", ".join(COLUMNS[c][0] for c in missing)])
        for line, row in rows:
            where = f"{path}:{line}"
            status = cell(row, columns, "status").lower()
            if "status" in columns and status not in SETTLED:
                summary.add("skipped", "payments not settled", f"{status or '(no status)'} at {where}")
                continue
            day, amount = parse_day(cell(row, columns, "date")), parse_amount(cell(row, columns, "amount"))
            if day is None or amount is None:
                problems.append(f"{where}: a payment needs a Transaction Date and a Processed Amount (read "
                                f"'{cell(row, columns, 'date')}', '{cell(row, columns, 'amount')}')")
                continue
            public = cell(row, columns, "public").lower() in ("true", "yes", "1")
            kind_text = cell(row, columns, "type").lower()
            organisation = kind_text in ("organization", "organisation", "true", "yes")
            handle = cell(row, columns, "handle")
            if not public:
                sponsor = partners.add(PRIVATE, kind="group", network="ovn", ovn_type="funder")
                summary.add("merged", f"non-public sponsors' payments summed as '{PRIVATE}'")
            elif organisation or keep_people:
                sponsor = partners.add(cell(row, columns, "name") or handle,
                                       kind="organisation" if organisation else "individual", network="ovn",
                                       ovn_type="funder", identifiers=[f"github:{handle}"])
            else:
                sponsor = partners.add(PEOPLE, kind="group", network="ovn", ovn_type="funder")
                summary.add("merged", f"public sponsors' payments summed as '{PEOPLE}' (--keep-people names them)")
            key = (sponsor, day)
            if key in flows:
                flows[key]["amount"] = amount_value(flows[key]["amount"] + amount)
                continue
            flows[key] = {"from": sponsor, "to": focal_id, "amount": amount_value(amount), "currency": "USD",
                          "date": day, "instrument": "donation", "line": where}
            summary.add("mapped", "settled payments → funding flows")
    if problems:
        raise ImportFailed(problems)
    funding = sorted(flows.values(), key=lambda f: (f["date"], f["from"]))
    data = {"network": {"name": f"{partners.records[focal_id]['name']}: GitHub Sponsors", "focal": focal_id},
            "partners": partners.finish(),
            "relationships": money_relationships(funding, focal_id, "sponsorship (GitHub Sponsors)", ""),
            "funding": [{k: v for k, v in f.items() if k != "line"} for f in funding]}
    without_network(data, existing)
    return Imported(data, {"network": [str(sources[0])], "partners": [str(sources[0])] * len(data["partners"]),
                           "relationships": [str(sources[0])] * len(data["relationships"]),
                           "funding": [f["line"] for f in funding]}, summary, [p.name for p in sources])
