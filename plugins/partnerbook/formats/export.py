"""The model for other tools: JSON (everything), CSV (tables a spreadsheet opens), GraphML and GEXF (Gephi).

The site's downloads are these files too (build/downloads.py keeps them between builds)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from ..base.files import Content, check_target, write_file
from ..data.model import FuzzyDate, Network, Participation
from ..data.schema import COLLECTIONS, NETWORK_FIELDS
from ..i18n.language import N_

FORMATS = ("json", "csv", "xlsx", "graphml", "gexf")
_SKIP = {"source", "lines", "scored"}
EXPORTED_COLLECTIONS = ("roles", "partners", "exchanges", "agreements", "funding", "projects", "decisions")
_NAMES = {"exchanges": "relationships"}
_ATTRIBUTES = {"from": "source_id", "to": "target_id"}  # YAML key → model attribute
_HEADERS = {attribute: key for key, attribute in _ATTRIBUTES.items()}  # CSV headers as in the data files
# Fields that are mappings: in CSV each is a table of its own, one row per entry (see CSV_TABLES).
NESTED = {"agreements": "scorecard", "projects": "partners", "decisions": "participation"}


# Values that are already plain, by exact type: most of what an export meets (a fast way past the checks below).
_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))
_EXPORTED_FIELDS: dict[type, tuple[str, ...]] = {}  # a record type → its fields an export writes


def _plain(value: Any) -> Any:
    if type(value) in _PLAIN_TYPES:
        return value
    if isinstance(value, FuzzyDate):
        return value.text
    if isinstance(value, Participation):
        entry = {"actual": value.actual, "desired": value.desired}
        return entry | {"visibility": value.visibility} if value.visibility != "public" else entry
    if is_dataclass(value):
        record: Any = value  # a model record: it has `visibility` and `source`
        names = _EXPORTED_FIELDS.get(type(value))
        if names is None:
            names = _EXPORTED_FIELDS[type(value)] = tuple(f.name for f in fields(value) if f.name not in _SKIP)
        out = {name: _plain(getattr(value, name)) for name in names
               if not (name == "visibility" and record.visibility == "public")}
        out["source"] = str(record.source)
        return out
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _record(item, specs) -> dict:
    """One model object as the YAML mapping that would load back into it (empty keys left out;
    an agreement's scorecard kept when it is scored, even empty: `scorecard: {}` is all missing)."""
    out = {}
    for spec in specs:
        value = _plain(getattr(item, _ATTRIBUTES.get(spec.name, spec.name)))
        if spec.type == "scorecard" and getattr(item, "scored", False):
            out[spec.name] = value
            continue
        if value in (None, "", [], {}) or (spec.name == "core" and value is False) or \
                (spec.name == "visibility" and value == "public"):
            continue
        if spec.type == "number" and float(value).is_integer():
            value = int(value)
        out[spec.name] = value
    return out


def to_data(network: Network) -> dict:
    """The whole validated model as one data file: `partnerbook schema` validates it, and a
    handbook whose `network/` holds only this file loads the same network (as_of included)."""
    info = _record(network.info, NETWORK_FIELDS)
    info["as_of"] = network.as_of.isoformat()
    data: dict[str, Any] = {"network": info}
    for name in EXPORTED_COLLECTIONS:
        if name == "roles" and network.roles_defaulted:
            continue
        key = _NAMES.get(name, name)
        data[key] = [_record(item, COLLECTIONS[key]) for item in getattr(network, name)]
    return data


def to_json(network: Network) -> str:
    return json.dumps(to_data(network), indent=2, ensure_ascii=False)


def _cell(value) -> str:
    """One value as spreadsheet text: lists joined by ';', numbers without a needless '.0',
    booleans `true`/`false` as in YAML."""
    if isinstance(value, str):
        return value
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ";".join(str(v).replace("\\", "\\\\").replace(";", "\\;") for v in value)  # tables.split_list reads it
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


# The CSV tables, in the order a reader meets them. Each collection's columns are its data-file
# keys in the format's order (id first, dates after), then `source` (FILE:LINE of the YAML);
# each mapping field is a table of its own with one row per entry, keyed by the record's id.
CSV_TABLES: dict[str, tuple[str, ...] | None] = {  # None: the collection's columns (table_columns)
    "network.csv": ("name", "focal", "structure", "as_of", "description"),
    "roles.csv": None, "partners.csv": None, "relationships.csv": None,
    "agreements.csv": None,
    "agreement-scorecard.csv": ("agreement", "element", "rating"),
    "funding.csv": None,
    "projects.csv": None,
    "project-partners.csv": ("project", "partner", "role"),
    "decisions.csv": None,
    "decision-participation.csv": ("decision", "partner", "actual", "desired"),
}


def table_columns(collection: str) -> list[str]:
    """The columns of one collection's CSV table."""
    columns = [spec.name for spec in COLLECTIONS[collection] if spec.name != NESTED.get(collection)]
    if collection == "agreements":
        columns.append("scored")  # true: the agreement has a scorecard (rows in agreement-scorecard.csv)
    return [*columns, "source"]


# A spreadsheet runs a cell that starts with one of these as a formula (`=HYPERLINK(…)`,
# `=cmd|' /C calc'!A0`, `@SUM(…)`): OWASP's CSV-injection guidance. Data is never a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutral_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text and never runs: a leading `'` before a cell that
    would start a formula (and before one that already starts with quotes and such a character,
    so `import csv` takes exactly one away: see `restored_cell`). A plain number stays a number."""
    bare = text.lstrip("'")
    if bare.startswith(FORMULA_STARTS) and not (bare == text and _PLAIN_NUMBER.fullmatch(text)):
        return "'" + text
    return text


def restored_cell(text: str) -> str:
    """The text `neutral_cell` was given: the import's half of the round trip."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _rows(columns, rows, neutral: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[neutral_cell(cell) for cell in row] for row in rows] if neutral else rows)
    return out.getvalue()


def to_csv_tables(network: Network, neutral: bool = True) -> dict[str, str]:
    """File name → CSV text; together the tables hold what the JSON export holds. With
    `neutral` (CSV files), cells that a spreadsheet would run as formulas are neutralised."""
    info = _record(network.info, NETWORK_FIELDS)
    info["as_of"] = network.as_of.isoformat()
    network_columns = CSV_TABLES["network.csv"] or ()
    tables = {"network.csv": _rows(network_columns, [[_cell(info.get(c)) for c in network_columns]], neutral)}
    nested_rows: dict[str, list[list[str]]] = {"agreements": [], "projects": [], "decisions": []}
    for name in EXPORTED_COLLECTIONS:
        key = _NAMES.get(name, name)
        items = getattr(network, name)
        if name == "roles" and network.roles_defaulted:
            items = ()  # the default canvas roles stay default, as in the JSON
        columns = table_columns(key)
        rows = []
        for item in items:
            record = _record(item, COLLECTIONS[key])
            if key == "agreements":
                record["scored"] = item.scored
            if key == "funding":
                record["core"] = item.core  # a column to filter on: true or false, never empty
            record["source"] = str(item.source)
            rows.append([_cell(record.get(c)) for c in columns])
            if key == "agreements":
                nested_rows[key] += [[item.id, element, rating] for element, rating in item.scorecard.items()]
            elif key == "projects":
                nested_rows[key] += [[item.id, partner, role] for partner, role in item.partners.items()]
            elif key == "decisions":
                nested_rows[key] += [[item.id, partner, level.actual, level.desired]
                                     for partner, level in item.participation.items()]
        tables[f"{key}.csv"] = _rows(columns, rows, neutral)
    tables["agreement-scorecard.csv"] = _rows(CSV_TABLES["agreement-scorecard.csv"], nested_rows["agreements"], neutral)
    tables["project-partners.csv"] = _rows(CSV_TABLES["project-partners.csv"], nested_rows["projects"], neutral)
    tables["decision-participation.csv"] = _rows(CSV_TABLES["decision-participation.csv"], nested_rows["decisions"],
                                                 neutral)
    return {name: tables[name] for name in CSV_TABLES}


def write_xlsx(network: Network, path: Path) -> None:
    """The CSV tables as sheets of one workbook (named like the tables without `.csv`), amounts
    as numbers so a spreadsheet sums them; `partnerbook import xlsx` reads it back."""
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None  # a new workbook has its one empty sheet
    book.remove(book.active)
    for name, text in to_csv_tables(network, neutral=False).items():
        sheet = book.create_sheet(name.removesuffix(".csv"))
        rows = list(csv.reader(io.StringIO(text)))
        numeric = {i for i, column in enumerate(rows[0]) if column == "amount"}
        for n, row in enumerate(rows):
            for i, text in enumerate(row):
                value = float(text) if n and i in numeric and text else text
                cell = sheet.cell(row=n + 1, column=i + 1, value=value)
                if cell.data_type == "f":  # openpyxl makes text starting with '=' a live formula: data never is one
                    cell.data_type = "s"
    book.save(path)


def flat_graph(network: Network):
    """Partners with every field given, one edge per value exchange; scalars only (GraphML, GEXF).

    Empty fields are left out: both formats read an absent value as unknown, and
    writing them all doubled the time and size at 1,000 partners."""
    import networkx as nx

    graph = nx.MultiDiGraph(name=network.info.name)
    for partner in network.partners:
        attrs = {key: cell for key, value in _plain(partner).items() if key != "id" and (cell := _cell(value))}
        attrs["network"] = network.network_of(partner)
        attrs["label"] = partner.name
        graph.add_node(partner.id, **attrs)
    for exchange in network.exchanges:
        attrs = {key: cell for key, value in _plain(exchange).items()
                 if key not in ("source_id", "target_id") and (cell := _cell(value))}
        graph.add_edge(exchange.source_id, exchange.target_id, **attrs)
    return graph


def to_graphml(network: Network, graph=None) -> str:
    import networkx as nx

    return "\n".join(nx.generate_graphml(graph if graph is not None else flat_graph(network)))


def to_gexf(network: Network, graph=None) -> str:
    import networkx as nx

    return "\n".join(nx.generate_gexf(graph if graph is not None else flat_graph(network)))


def render(network: Network, fmt: str) -> str:
    return {"json": to_json, "graphml": to_graphml, "gexf": to_gexf}[fmt](network)


# What the site offers for download on the network page: (file name, what it is, shown translated).
DOWNLOADS = (
    ("partnerbook.json", N_("JSON: the whole network as one data file (loads back into partnerbook)")),
    ("partnerbook.graphml", N_("GraphML: partners and value exchanges for Gephi, yEd, networkx")),
    ("partnerbook.gexf", N_("GEXF: the same graph in Gephi's own format")),
    ("network.csv", N_("CSV: the network (name, focal partner, date)")),
    ("partners.csv", N_("CSV: partners")),
    ("relationships.csv", N_("CSV: value exchanges")),
    ("agreements.csv", N_("CSV: agreements")),
    ("agreement-scorecard.csv", N_("CSV: agreement scorecards, one row per element")),
    ("funding.csv", N_("CSV: funding flows")),
    ("projects.csv", N_("CSV: projects")),
    ("project-partners.csv", N_("CSV: who takes part in each project, one row per partner")),
    ("decisions.csv", N_("CSV: decisions")),
    ("decision-participation.csv", N_("CSV: participation in decisions, one row per partner")),
    ("roles.csv", N_("CSV: roles (empty when the default canvas roles are used)")),
)


def _blocked(path: Path) -> str | None:
    """Why `path` cannot be created, when a part of the way to it is a file; else None."""
    for ancestor in path.parents:
        if ancestor.exists():
            return None if ancestor.is_dir() else f"{ancestor} is a file, so nothing can be written under it"
    return None


def write_outputs(target: Path, files: dict[str, str] | None, text: str | Callable[[Path], None] | None,
                  file_name: str = "partnerbook.json") -> str | None:
    """Write `text` (or what the function writes) to the file `target`, or `files` into the folder
    `target` (parents created); returns what went wrong in words, or None."""
    if (reason := _blocked(target)) is not None:
        return reason
    if files is None:
        if target.is_dir():
            return f"{target} is a folder; give a file name, e.g. {target / file_name}"
        assert text is not None  # one file: the caller gives its text
        outputs: dict[Path, Content] = {target: text}
    else:
        if target.exists() and not target.is_dir():
            return (f"{target} is a file; CSV export writes one file per collection "
                    "(partners.csv, …): give a folder")
        outputs = {target / name: content for name, content in files.items()}
        clashes = [str(p) for p in outputs if p.is_dir()]
        if clashes:
            return f"{clashes[0]} is a folder, where the export writes a file"
    folder = target if files is not None else target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path in outputs:  # every target checked before the first is written
            check_target(path, folder)
        for path, content in outputs.items():  # whole or not at all, never through a link
            write_file(path, content, inside=folder)
    except OSError as exc:
        return f"cannot write {exc.filename or target}: {exc.strerror or exc}"
    return None
