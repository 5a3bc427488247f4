"""Tables → data files: the CSV tables `partnerbook export --format csv` writes, or the same
tables as sheets of a workbook (see export.CSV_TABLES for the tables and their columns).

Columns are matched by name (any order, any case; `source` and unknown columns are left out
and counted); an empty cell means "not given"; list cells hold items separated by ';'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...data.schema import COLLECTIONS, DEFAULT_ROLES, NETWORK_FIELDS, NOUNS, Field
from ..export import CSV_TABLES, NESTED, table_columns
from .common import Imported, ImportFailed, Summary

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}
_SPREADSHEET_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$")  # a date a spreadsheet gave a time
_LISTS = {"enum-list", "string-list", "ref-list", "identifier-list"}


_SCORED = Field("scored", "bool")


@dataclass
class Sheet:
    """One table: what to call it in messages, its header and its rows (line number, cells)."""

    shown: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def split_list(text: str) -> list[str]:
    """A list cell: items separated by ';', a ';' or '\\' inside an item written '\\;' or '\\\\' (as the
    CSV export writes it: an alias 'Save the Children; UK' stays one alias)."""
    items, item, at = [], [], 0
    while at < len(text):
        ch = text[at]
        if ch == "\\" and text[at + 1:at + 2] in (";", "\\"):  # any other backslash is a character
            at += 1
            item.append(text[at])
        elif ch == ";":
            items.append("".join(item))
            item = []
        else:
            item.append(ch)
        at += 1
    items.append("".join(item))
    return [i.strip() for i in items if i.strip()]


def _value(text: str, spec, where: str, errors: list[str]):
    if spec.type in _LISTS:
        return split_list(text)
    if spec.type in ("number", "count"):
        cleaned = text.strip()
        if not _NUMBER.fullmatch(cleaned):
            hint = re.sub(r"[^\d.]", "", cleaned)
            errors.append(f"{where}: '{spec.name}' must be a number, not '{text}'"
                          + (f" (write {hint})" if hint and _NUMBER.fullmatch(hint) else ""))
            return None
        number = float(cleaned)
        return int(number) if number.is_integer() and "e" not in cleaned.lower() else number
    if spec.type == "bool":
        word = text.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        errors.append(f"{where}: '{spec.name}' must be true or false, not '{text}'")
        return None
    if spec.type == "date":
        text = text.strip()
        match = _SPREADSHEET_DATE.fullmatch(text)
        return match.group(1) if match else text
    if spec.type in ("markdown",):
        return text
    return text.strip()


def _records(sheet: Sheet, columns: list[str], specs, summary: Summary, errors: list[str]):
    """(origin, record) of each row, with the columns the format knows."""
    header = [h.strip().lower().lstrip("\ufeff") for h in sheet.header]
    known = set(columns)
    unknown = [h for h in header if h and h not in known]
    for name in unknown:
        summary.add("skipped", f"columns not in the format ({sheet.shown})", name)
    by_name = {spec.name: spec for spec in specs}
    if "scored" in known:
        by_name["scored"] = _SCORED
    for line, cells in sheet.rows:
        if not any(c.strip() for c in cells):
            summary.add("skipped", "empty rows")
            continue
        where = f"{sheet.shown}:{line}"
        record = {}
        for column, text in zip(header, cells, strict=False):
            spec = by_name.get(column)
            if spec is None or not text.strip():
                continue
            value = _value(text, spec, where, errors)
            if value not in (None, []):
                record[column] = value
        yield where, record


def from_tables(sheets: dict[str, Sheet], sources: list[str], focal: str | None = None) -> Imported:
    """Sheets by table name ('partners', 'agreement-scorecard', …) → the data files."""
    # agreement_scorecard too
    sheets = {name.strip().lower().replace("_", "-"): sheet for name, sheet in sheets.items()}
    summary = Summary()
    errors: list[str] = []
    data: dict[str, Any] = {}
    origins: dict[str, list[str]] = {}
    known_tables = {name.removesuffix(".csv") for name in CSV_TABLES}
    for name, unknown in sheets.items():
        if name not in known_tables:
            summary.add("skipped", "tables not in the format", unknown.shown)

    network_sheet = sheets.get("network")
    if network_sheet is not None:
        rows = list(_records(network_sheet, list(CSV_TABLES["network.csv"] or ()), NETWORK_FIELDS, summary, errors))
        if len(rows) != 1:
            errors.append(f"{network_sheet.shown}: holds {len(rows)} rows; the network table has one row "
                          "(name, focal, structure, as_of, description)")
        else:
            origins["network"] = [rows[0][0]]
            data["network"] = rows[0][1]
    if focal:
        info = data.setdefault("network", {})
        info["focal"] = focal
        info.setdefault("name", "Imported network")
        origins.setdefault("network", ["--focal"])
    if "network" not in data:
        errors.append("no network table (network.csv or a `network` sheet with name and focal): "
                      "add it, or give the focal partner with --focal ID")

    by_id: dict[str, dict[str, dict]] = {}
    for collection in COLLECTIONS:
        sheet = sheets.get(collection)
        if sheet is None:
            continue
        rows = list(_records(sheet, table_columns(collection), COLLECTIONS[collection], summary, errors))
        records = [record for _, record in rows]
        if collection == "roles" and [(r.get("id"), r.get("name"), r.get("description")) for r in records] == [
                (i, n, None) for i, n in DEFAULT_ROLES]:
            summary.add("noted", "roles table equal to the default canvas roles: left as default")
            continue
        for _, record in rows:
            # `scored` is a column of the table, not a field of the format: true keeps a scorecard
            # even when no row of agreement-scorecard rates an element (all missing, not "not scored")
            if collection == "agreements" and record.pop("scored", False):
                record["scorecard"] = {}
        data[collection] = records
        origins[collection] = [where for where, _ in rows]
        if records:
            summary.add("mapped", "funding flows" if collection == "funding" else collection, n=len(records))
        if "id" in {spec.name for spec in COLLECTIONS[collection]}:
            by_id[collection] = {r["id"]: r for r in records if "id" in r}

    _nested(sheets, by_id, summary, errors)
    if errors:
        raise ImportFailed(errors)
    return Imported(data, origins, summary, sources)


def _nested(sheets, by_id, summary, errors) -> None:
    """The per-entry tables: scorecard ratings, project partners, decision participation."""
    for table, collection, key_column in (("agreement-scorecard", "agreements", "agreement"),
                                          ("project-partners", "projects", "project"),
                                          ("decision-participation", "decisions", "decision")):
        sheet = sheets.get(table)
        if sheet is None:
            continue
        header = [h.strip().lower().lstrip("\ufeff") for h in sheet.header]
        columns = CSV_TABLES[f"{table}.csv"] or ()
        missing = [c for c in columns[:3] if c not in header]
        if missing:
            errors.append(f"{sheet.shown}:1: missing column(s) {', '.join(missing)}; "
                          f"the columns are {', '.join(columns)}")
            continue
        for line, cells in sheet.rows:
            row = {h: c.strip() for h, c in zip(header, cells, strict=False)}
            if not any(row.values()):
                continue
            where = f"{sheet.shown}:{line}"
            owner = by_id.get(collection, {}).get(row.get(key_column, ""))
            if owner is None:
                errors.append(f"{where}: {NOUNS[collection]} '{row.get(key_column, '')}' is not in the "
                              f"{collection} table")
                continue
            field_name = NESTED[collection]
            entries = owner.setdefault(field_name, {})
            if table == "agreement-scorecard":
                entries[row["element"]] = row["rating"]
            elif table == "project-partners":
                entries[row["partner"]] = row.get("role", "")
            else:
                actual, desired = row["actual"], row.get("desired") or row["actual"]
                entries[row["partner"]] = actual if desired == actual else {"actual": actual, "desired": desired}
        summary.add("mapped", f"rows of {table}", n=sum(1 for _, c in sheet.rows if any(x.strip() for x in c)))
