"""The model for other tools: JSON (everything), CSV (one table per collection), GraphML (Gephi)."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path

from .analysis import exchange_graph
from .model import FuzzyDate, Network, Participation, scorecard_completeness

FORMATS = ("json", "csv", "graphml")
_SKIP = {"source", "lines"}
_COLLECTIONS = ("roles", "partners", "exchanges", "agreements", "funding", "decisions")
_NAMES = {"exchanges": "relationships"}


def _plain(value):
    if isinstance(value, FuzzyDate):
        return value.text
    if isinstance(value, Participation):
        return {"actual": value.actual, "desired": value.desired}
    if is_dataclass(value):
        out = {f.name: _plain(getattr(value, f.name)) for f in fields(value) if f.name not in _SKIP}
        out["source"] = str(value.source)
        return out
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_json(network: Network) -> str:
    data = {"network": _plain(network.info), "as_of": network.as_of.isoformat()}
    for name in _COLLECTIONS:
        data[_NAMES.get(name, name)] = [_plain(item) for item in getattr(network, name)]
    for agreement, entry in zip(network.agreements, data["agreements"]):
        entry["completeness"] = scorecard_completeness(agreement, network.scorecard_elements)
    return json.dumps(data, indent=2, ensure_ascii=False)


def _cell(value) -> str:
    value = _plain(value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def to_csv_tables(network: Network) -> dict[str, str]:
    tables = {}
    for name in _COLLECTIONS:
        items = getattr(network, name)
        out = io.StringIO()
        columns = [f.name for f in fields(type(items[0]))] if items else ["id"]
        columns = [c for c in columns if c not in _SKIP] + ["source"]
        writer = csv.writer(out)
        writer.writerow(columns)
        for item in items:
            writer.writerow([_cell(getattr(item, c)) if c != "source" else str(item.source) for c in columns])
        tables[f"{_NAMES.get(name, name)}.csv"] = out.getvalue()
    return tables


def to_graphml(network: Network) -> str:
    import networkx as nx

    graph = exchange_graph(network, multi=True)
    # GraphML holds scalars only.
    for _, data in graph.nodes(data=True):
        for key, value in list(data.items()):
            data[key] = _cell(value)
    for *_, data in graph.edges(data=True):
        for key, value in list(data.items()):
            data[key] = _cell(value)
    return "\n".join(nx.generate_graphml(graph))


def cmd_export(args, load) -> int:
    result, failed = load(args.dir)
    if failed is not None:
        return failed
    if result.network is None:
        from .problems import format_problems

        print(format_problems(result.problems), file=sys.stderr)
        return 1
    network = result.network
    if args.format == "csv":
        tables = to_csv_tables(network)
        if not args.output:
            for name, text in tables.items():
                sys.stdout.write(f"# {name}\n{text}\n")
            return 0
        folder = Path(args.output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in tables.items():
            (folder / name).write_text(text, encoding="utf-8")
        return 0
    text = to_json(network) if args.format == "json" else to_graphml(network)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0
