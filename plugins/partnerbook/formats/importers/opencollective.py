"""`partnerbook import opencollective FILE.csv`: the transactions export of an Open Collective.

The export is double-entry: each row is one account's side of a transaction (`accountSlug`), with
the other side in `oppositeAccount…`. The collective is the account most rows belong to (or the
one --focal names by slug or name); rows of other accounts are skipped.

- CONTRIBUTION and ADDED_FUNDS credits are income on their day, from the opposite account.
- EXPENSE debits are spending to the payee; HOST_FEE debits spending to the fiscal host;
  PAYMENT_PROCESSOR_FEE debits (newer exports) or the `paymentProcessorFee` column (older exports,
  used only when the file has no such rows, so no fee counts twice) spending to the processor.
- A refund (`isRefund` true) nets out the payment it refunds: the same counterpart's payment of
  the same kind and amount, else its latest earlier one is reduced; a refund with nothing to net
  is reported, never turned into negative money.
- People (`oppositeAccountType` INDIVIDUAL, guest and incognito accounts; every account when the
  export has no type column) are summed per day and currency as "Individual contributors" or
  "Individual payees", unless --keep-people: a public handbook names no private donor by default.
- Other kinds (platform tips, balance transfers, taxes…) are not the collective's income or
  spending as this handbook counts it: skipped and counted.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from .common import Imported, ImportFailed, Summary
from .foss import (
    Existing,
    Partners,
    amount_value,
    cell,
    find_columns,
    money_relationships,
    org_key,
    parse_amount,
    parse_day,
    read_csv,
    without_network,
)

COLUMNS: dict[str, tuple[str, ...]] = {name: (name,) for name in (
    "datetime", "type", "kind", "isRefund", "amount", "paymentProcessorFee", "netAmount", "currency",
    "accountSlug", "accountName", "oppositeAccountSlug", "oppositeAccountName", "oppositeAccountType",
    "description", "paymentMethodService")}
COLUMNS["datetime"] = ("datetime", "createdAt", "date")
INCOME_KINDS = ("CONTRIBUTION", "ADDED_FUNDS")
FEE_KINDS = {"HOST_FEE": "host fee", "PAYMENT_PROCESSOR_FEE": "payment processor fee"}
PEOPLE_TYPES = ("INDIVIDUAL", "USER")
ORG_TYPES = {"ORGANIZATION": "organisation", "COLLECTIVE": "community", "FUND": "funder", "PROJECT": "community",
             "EVENT": "community", "VENDOR": "business"}
INDIVIDUAL_CONTRIBUTORS, INDIVIDUAL_PAYEES = "Individual contributors", "Individual payees"


def _is_person(row: list[str], columns: dict[str, int], typed: bool) -> bool:
    slug = cell(row, columns, "oppositeAccountSlug").lower()
    if slug.startswith(("guest-", "incognito")) or cell(row, columns, "oppositeAccountName").lower() in (
            "guest", "incognito", "anonymous"):
        return True
    if not typed:
        return True
    return cell(row, columns, "oppositeAccountType").upper() in PEOPLE_TYPES


def _collective(rows: list[tuple[int, list[str]]], columns: dict[str, int], focal: str | None, path: Path) -> str:
    slugs = Counter(cell(row, columns, "accountSlug") for _line, row in rows)
    if focal:
        for slug in slugs:
            names = {cell(row, columns, "accountName") for _line, row in rows
                     if cell(row, columns, "accountSlug") == slug}
            if slug == focal or org_key(focal) in {org_key(n) for n in names}:
                return slug
        raise ImportFailed([(f"--focal {focal}: no account of {path} has that slug or name "
                            f"(accounts: {', '.join(sorted(s for s in slugs if s)[:5])})")])
    if not slugs:
        raise ImportFailed([f"{path}: no transactions"])
    return slugs.most_common(1)[0][0]


def read(sources: list[Path], focal: str | None, keep_people: bool = False,
         existing: Existing | None = None) -> Imported:
    if len(sources) != 1:
        raise ImportFailed(["opencollective reads one transactions export at a time"])
    path = sources[0]
    summary = Summary()
    header, rows = read_csv(path)
    columns = find_columns(header, COLUMNS)
    missing = [c for c in ("datetime", "type", "kind", "amount", "currency", "accountSlug", "oppositeAccountName")
               if c not in columns]
    if missing:
        raise ImportFailed([(f"{path}:1: not an Open Collective transactions export: no column "
                            f"{', '.join(missing)}")])
    typed = "oppositeAccountType" in columns
    if not typed and not keep_people:
        summary.add("noted", "export without oppositeAccountType: every contributor and payee is taken for a "
                             "person and aggregated (--keep-people names them)")
    slug = _collective(rows, columns, focal, path)
    partners = Partners(summary, existing=existing)
    name = next(cell(row, columns, "accountName") for _l, row in rows if cell(row, columns, "accountSlug") == slug)
    if existing is not None and not focal:  # adding to a handbook: the collective is its focal organisation
        focal_id = existing.focal
        summary.lines.append(f"focal: '{focal_id}', the handbook's, stands for the collective {slug} (--with)")
    else:
        focal_id = partners.add(name or slug, kind="community", identifiers=[f"opencollective:{slug}"])
        summary.lines.append(f"focal: '{focal_id}' ({name}), the collective {slug}")
    has_fee_rows = any(cell(row, columns, "kind").upper() == "PAYMENT_PROCESSOR_FEE" for _l, row in rows)
    fee_payees: dict[str, str] = {}  # partner id → what its fee pays for
    payments: list[dict] = []  # {from, to, amount, currency, date, instrument?, purpose?, line, key}
    refunds: list[tuple[int, dict]] = []
    problems: list[str] = []

    def counterpart(row: list[str], income: bool, kind: str) -> str:
        opposite = cell(row, columns, "oppositeAccountName") or cell(row, columns, "oppositeAccountSlug")
        if kind not in FEE_KINDS and (not keep_people and _is_person(row, columns, typed)):
            group = INDIVIDUAL_CONTRIBUTORS if income else INDIVIDUAL_PAYEES
            summary.add("merged", f"people aggregated as '{group}'")
            return partners.add(group, kind="group", network="ovn", ovn_type="funder" if income else "supplier")
        opp_type = cell(row, columns, "oppositeAccountType").upper()
        fields: dict[str, Any] = {
            "kind": "individual" if opp_type in PEOPLE_TYPES else ORG_TYPES.get(opp_type, "organisation")}
        if kind == "HOST_FEE":
            fields |= {"network": "ivn", "ivn_criteria": ["function"]}
        else:
            fields |= {"network": "ovn", "ovn_type": "funder" if income else "supplier"}
        opposite_slug = cell(row, columns, "oppositeAccountSlug")
        if opposite_slug and not opposite_slug.startswith(("guest-", "incognito")):
            fields["identifiers"] = [f"opencollective:{opposite_slug}"]
        return partners.add(opposite or "Unnamed account", **fields)

    for line, row in rows:
        where = f"{path}:{line}"
        if cell(row, columns, "accountSlug") != slug:
            summary.add("skipped", "rows of other accounts than the collective", where)
            continue
        kind = cell(row, columns, "kind").upper()
        credit = cell(row, columns, "type").upper() == "CREDIT"
        day = parse_day(cell(row, columns, "datetime"))
        amount = parse_amount(cell(row, columns, "amount"))
        currency = cell(row, columns, "currency").upper()
        if day is None or amount is None or len(currency) != 3:
            problems.append(f"{where}: a transaction needs a date, an amount and a currency "
                            f"(read '{cell(row, columns, 'datetime')}', '{cell(row, columns, 'amount')}', "
                            f"'{currency}')")
            continue
        refund = cell(row, columns, "isRefund").lower() in ("true", "1", "yes")
        income = kind in INCOME_KINDS  # a refund is written in the direction of the payment it takes back
        if not income and kind != "EXPENSE" and kind not in FEE_KINDS:
            summary.add("skipped", "transactions of other kinds (not income or spending)", kind or "(no kind)")
            continue
        if kind == "EXPENSE" and credit and not refund:
            summary.add("skipped", "expense credits (money moved back into the collective)", where)
            continue
        other = counterpart(row, income, kind)
        if kind in FEE_KINDS:
            fee_payees[other] = "fiscal hosting" if kind == "HOST_FEE" else "payment processing"
        record = {"from": other if income else focal_id, "to": focal_id if income else other,
                  "amount": abs(amount), "currency": currency, "date": day}
        if kind in INCOME_KINDS:
            record["instrument"] = "donation"
        purpose = FEE_KINDS.get(kind) or cell(row, columns, "description")
        if purpose:
            record["purpose"] = purpose[:200]
        key = (kind in INCOME_KINDS, kind, record["from"], record["to"], currency)
        if refund:
            refunds.append((line, {**record, "key": key, "where": where}))
            continue
        payments.append({**record, "key": key, "line": line})
        fee = parse_amount(cell(row, columns, "paymentProcessorFee")) or 0.0
        if fee and kind in INCOME_KINDS and not has_fee_rows:
            processor = cell(row, columns, "paymentMethodService").capitalize() or "Payment processor"
            fee_id = partners.add(processor, kind="business", network="ovn", ovn_type="supplier")
            fee_payees[fee_id] = "payment processing"
            payments.append({"from": focal_id, "to": fee_id, "amount": abs(fee), "currency": currency, "date": day,
                             "purpose": "payment processor fee", "line": line,
                             "key": (False, "PAYMENT_PROCESSOR_FEE", focal_id, fee_id, currency)})
    if problems:
        raise ImportFailed(problems)
    _net_refunds(payments, refunds, summary)
    funding = _aggregate(payments, partners, summary)
    summary.lines.append(f"read {len(rows)} transactions of {path.name}")
    data = {"network": {"name": f"{name}: money in and out (Open Collective)", "focal": focal_id},
            "partners": partners.finish(),
            "relationships": money_relationships(funding, focal_id, "contributions (Open Collective)",
                                                 "payment of expenses", {pid: fee for pid, fee in fee_payees.items()}),
            "funding": [{k: v for k, v in f.items() if k not in ("line", "key")} for f in funding]}
    without_network(data, existing)
    return Imported(data, {"network": [str(path)], "partners": [str(path)] * len(data["partners"]),
                           "relationships": [str(path)] * len(data["relationships"]),
                           "funding": [f"{path}:{f['line']}" for f in funding]}, summary, [path.name])


def _net_refunds(payments: list[dict], refunds: list[tuple[int, dict]], summary: Summary) -> None:
    """Each refund takes its amount off the payment it refunds (same counterpart, kind and currency:
    the same amount first, else the latest earlier payment); a payment refunded whole is removed."""
    for _line, refund in refunds:
        same = [p for p in payments if p["key"] == refund["key"] and p["amount"] > 0]
        exact = [p for p in same if abs(p["amount"] - refund["amount"]) < 0.005 and p["date"] <= refund["date"]]
        earlier = exact or sorted((p for p in same if p["date"] <= refund["date"]), key=lambda p: p["date"])
        if not earlier:
            summary.add("skipped", "refunds of no payment in the file (nothing to net)", refund["where"])
            continue
        left = refund["amount"]
        for payment in reversed(earlier):
            taken = min(left, payment["amount"])
            payment["amount"] -= taken
            left -= taken
            if left <= 0.005:
                break
        summary.add("merged", "refunds netted against the payment they refund", refund["where"])
    payments[:] = [p for p in payments if p["amount"] > 0.005]


def _aggregate(payments: list[dict], partners: Partners, summary: Summary) -> list[dict]:
    """Payments of the aggregated people are summed per day, currency and direction (the dates keep the window
    right); every other payment is one funding flow. Oldest first."""
    groups = {pid for pid, record in partners.records.items() if record.get("kind") == "group"}
    out: list[dict] = []
    summed: dict[tuple, dict] = {}
    for payment in payments:
        payment["amount"] = amount_value(payment["amount"])
        if payment["from"] in groups or payment["to"] in groups:
            key = (payment["from"], payment["to"], payment["currency"], payment["date"], payment.get("instrument"))
            if key in summed:
                summed[key]["amount"] = amount_value(summed[key]["amount"] + payment["amount"])
                continue
            payment.pop("purpose", None)
            summed[key] = payment
        out.append(payment)
        summary.add("mapped", "transactions → funding flows")
    return sorted(out, key=lambda f: (f["date"], f["line"]))
