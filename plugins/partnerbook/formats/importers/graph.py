"""`partnerbook import graphml|gexf`: a graph from partnerbook's export, Gephi, yEd, Cytoscape or
networkx. Nodes become partners and edges relationships; attributes named like a field of the
format fill it (any case), every other attribute, or a value the format does not allow, is kept
in the record's `description` so nothing the file said is lost."""

from __future__ import annotations

import re
from pathlib import Path

from ...data.schema import COLLECTIONS, DATE_PATTERN, DEFAULT_ROLES, ID_PATTERN, IDENTIFIER_PATTERN
from ...data.values import COUNTRIES  # the ISO 3166 codes the loader accepts
from .common import IdMaker, Imported, ImportFailed, Summary

_ID = re.compile(ID_PATTERN)
_GENERATED = re.compile(r"^(n|node)?-?\d+$")  # n0, n17, 42: ids yEd, Gephi and networkx number nodes with
_DATE = re.compile(DATE_PATTERN)
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)
_LISTS = {"enum-list", "string-list", "ref-list", "identifier-list"}
# Attributes that are the graph file's own bookkeeping, not data: dropped without a word.
_BOOKKEEPING = {"label", "source", "id", "key", "pid", "start", "end"}
# How a tool drew the graph (yEd's position and shape, Gephi's viz): not data about partners.
_LAYOUT = {"x", "y", "z", "shape_type", "width", "height", "size", "color", "colour", "r", "g", "b", "viz"}


def reader(fmt: str):
    def read(sources: list[Path], focal: str | None) -> Imported:
        if len(sources) != 1:
            raise ImportFailed([f"{fmt} reads one graph file, not {len(sources)}"])
        return read_graph(sources[0], fmt, focal)
    return read


def _load(path: Path, fmt: str):
    import networkx as nx

    if not path.is_file():
        raise ImportFailed([f"{path}: {'is a folder, not a graph file' if path.is_dir() else 'no such file'}"])
    try:
        graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    except Exception as exc:  # noqa: BLE001  networkx raises many kinds (ParseError, NetworkXError, KeyError…)
        where = getattr(exc, "position", None)
        line = f":{where[0]}" if where else ""
        raise ImportFailed([f"{path}{line}: not a readable {fmt.upper()} file: {exc}"]) from None
    return graph


def _clean(spec, value, roles: set[str]) -> object | None:
    """The value as the field holds it, or None when the format would refuse it."""
    if spec.type in _LISTS:
        items = [v.strip() for v in str(value).split(";") if v.strip()]
        if spec.type == "enum-list" and any(v not in spec.choices for v in items):
            return None
        if spec.type == "identifier-list" and any(not _IDENTIFIER.fullmatch(v) for v in items):
            return None
        if spec.type == "ref-list" and any(v not in roles for v in items):
            return None
        return items or None
    text = str(value).strip()
    if not text:
        return None
    if spec.type == "enum":
        return text if text in spec.choices else None
    if spec.type == "date":
        return text if _DATE.fullmatch(text) else None
    if spec.type == "url":
        return text if re.fullmatch(r"https?://\S+", text) else None
    if spec.type == "country":
        return text if text in COUNTRIES else None
    if spec.type == "ref":
        return None  # agreements are not in a graph file: a reference could not resolve
    return str(value) if spec.type == "markdown" else text


def _attributes(attrs: dict, fields, roles, summary: Summary, what: str, where: str) -> tuple[dict, list[str]]:
    """Known fields filled; everything else as 'name: value' lines for the description."""
    specs = {spec.name: spec for spec in fields}
    record, other = {}, []
    for name, value in attrs.items():
        key = str(name).strip().lower().replace(" ", "_")
        if key in _BOOKKEEPING or value in (None, ""):
            continue
        if key in _LAYOUT:
            summary.add("skipped", f"{what} layout attributes (position, shape, colour)", f"{name} ({where})")
            continue
        spec = specs.get(key)
        if spec is None:
            other.append(f"{name}: {value}")
            summary.add("noted", f"{what} attributes not in the format, kept in description", f"{name} ({where})")
            continue
        cleaned = _clean(spec, value, roles)
        if cleaned is None:
            other.append(f"{name}: {value}")
            summary.add("noted", f"{what} values the format does not allow, kept in description",
                        f"{name}={value!s:.40} ({where})")
            continue
        record[key] = cleaned
    return record, other


def _with_other(record: dict, other: list[str], source: str) -> None:
    if not other:
        return
    lines = "\n".join(f"- {line}" for line in other)
    text = f"Other attributes in {source}:\n\n{lines}"
    record["description"] = f"{record['description']}\n\n{text}" if record.get("description") else text


def read_graph(path: Path, fmt: str, focal: str | None) -> Imported:
    graph = _load(path, fmt)
    summary = Summary()
    roles_defined = {role_id for role_id, _ in DEFAULT_ROLES}  # a graph holds no roles: the canvas defaults
    ids = IdMaker()
    node_ids: dict[object, str] = {}
    partners, partner_origins = [], []
    focal_id = None
    # Node ids that are already valid partner ids stay as they are (our own export); others are
    # made from the node's name: first the valid ones, so a made id never takes an existing one.
    nodes = list(graph.nodes(data=True))
    for node, attrs in nodes:
        named = attrs.get("name") or attrs.get("label")
        if (isinstance(node, str) and _ID.fullmatch(node) and node != "index"
                and not (named and _GENERATED.fullmatch(node))):
            node_ids[node] = node
            ids.used.add(node)
    for node, attrs in nodes:
        if node not in node_ids:
            name = attrs.get("name") or attrs.get("label") or str(node)
            node_ids[node] = ids.make(str(name), str(node), "partner")
            summary.add("mapped", "node ids made into partner ids", f"{node!s:.30} → {node_ids[node]}")

    for node, attrs in nodes:
        pid = node_ids[node]
        where = f"{path.name}: node {node}"
        if str(attrs.get("network", "")).strip() == "focal":  # how our export marks the focal partner
            focal_id = focal_id or pid
            attrs = {k: v for k, v in attrs.items() if k != "network"}
        record, other = _attributes(attrs, COLLECTIONS["partners"], roles_defined, summary, "node", where)
        record.pop("id", None)
        name = str(attrs.get("name") or attrs.get("label") or node).strip() or pid
        record = {"id": pid, "name": name, **{k: v for k, v in record.items() if k != "name"}}
        _with_other(record, other, path.name)
        partners.append(record)
        partner_origins.append(where)
    summary.add("mapped", "partners (from nodes)", n=len(partners))

    if focal:
        by_name = {p["name"].casefold(): p["id"] for p in partners}
        focal_id = focal if focal in ids.used else by_name.get(focal.casefold())
        if focal_id is None:
            raise ImportFailed([f"--focal {focal}: no node has that id or name"])
    if focal_id is None:
        if not partners:
            raise ImportFailed([f"{path}: the graph has no nodes"])
        degree = {node_ids[n]: sum(1 for m in graph.neighbors(n) if m != n) for n in graph.nodes}
        focal_id = max(partners, key=lambda p: (degree.get(p["id"], 0), [-ord(c) for c in p["id"]]))["id"]
        summary.lines.append(f"focal: '{focal_id}', the node with the most edges "
                             "(no node says network: focal; choose another with --focal)")
    for record in partners:
        if record["id"] == focal_id:
            record.pop("network", None)
            record.pop("ovn_type", None)
        elif "network" not in record:
            record["network"] = "ovn"
            record.setdefault("ovn_type", "other")
            summary.add("noted", "partners put in the outer network (OVN, other): the file does not say",
                        record["id"])

    relationships, origins = [], []
    if not graph.is_directed() and graph.number_of_edges():
        summary.add("noted", "undirected edges: each read from the node the file names first",
                    n=graph.number_of_edges())
    for u, v, attrs in graph.edges(data=True):
        where = f"{path.name}: edge {u} → {v}"
        if u == v:
            summary.add("skipped", "edges from a node to itself", where)
            continue
        if any(str(k).lower() == "agreement" for k in attrs):  # a graph file holds no agreements to refer to
            attrs = {k: v for k, v in attrs.items() if str(k).lower() != "agreement"}
            summary.add("skipped", "agreement references on edges (a graph holds no agreements)", where)
        record, other = _attributes(attrs, COLLECTIONS["relationships"], roles_defined, summary, "edge", where)
        for key in ("from", "to"):
            record.pop(key, None)
        if "deliverable" not in record:
            label = attrs.get("label") or attrs.get("relation") or attrs.get("type") or attrs.get("interaction")
            record["deliverable"] = str(label) if label else "exchange"
            summary.add("noted", "edges without a deliverable: named from their label, or 'exchange'", where)
        if "nature" not in record:
            record["nature"] = "tangible"
            summary.add("noted", "edges without a nature: set tangible", where)
        _with_other(record, other, path.name)
        relationships.append({"from": node_ids[u], "to": node_ids[v], **record})
        origins.append(where)
    summary.add("mapped", "relationships (from edges)", n=len(relationships))

    name = graph.graph.get("name") or path.stem
    data = {"network": {"name": str(name), "focal": focal_id}, "partners": partners,
            "relationships": relationships}
    return Imported(data, {"network": [str(path)], "partners": partner_origins, "relationships": origins},
                    summary, [path.name])
