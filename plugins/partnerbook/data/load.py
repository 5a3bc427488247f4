"""YAML files of the data folder → one `Network`, or every problem found.

Each file is composed safely (`yamlfile.py`) and read against the field specs
(`records.py`); here the files are found, cross-file rules checked (unique ids,
references, one `network`) and the model built.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ..base.collector import collector_paused
from ..base.problems import Problem, display_path
from ..base.suggestions import did_you_mean
from ..i18n.language import _
from . import model
from .records import FileReader, RecordNodes
from .references import InvalidId, Unparsed, resolve
from .schema import COLLECTIONS, DEFAULT_ROLES, DEFAULT_SCORECARD, NETWORK_FIELDS, NOUNS, TOP_LEVEL_KEYS
from .values import Invalid, choices
from .yamlfile import STD, compose_file
from .yamlfile import line_of as _line

DATA_SUFFIXES = (".yml", ".yaml", ".json")
# Folders no handbook keeps its data in, which can be huge (a virtualenv holds
# hundreds of YAML files): skipped so a wrong folder never reads a whole disk.
_SKIPPED_DIRS = {"node_modules", "site-packages", "__pycache__", "venv"}


def _skipped_dir(folder: Path, name: str) -> bool:
    return name.startswith(".") or name in _SKIPPED_DIRS or (folder / name / "pyvenv.cfg").is_file()


def is_data_file(name: str) -> bool:
    """YAML files, and JSON ones (JSON is YAML: `export --format json` writes a data file); an
    editor's JSON Schema (`*.schema.json`) is not data."""
    return name.endswith(DATA_SUFFIXES) and not name.endswith(".schema.json")


def walk_data_files(data_dir: Path) -> Iterator[Path]:
    """Data files under `data_dir` in no particular order, hidden and tool folders skipped."""
    for folder, dirs, names in os.walk(data_dir):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not _skipped_dir(here, d))
        for name in sorted(names):
            if is_data_file(name) and not name.startswith(".") and (here / name).is_file():
                yield here / name


def _natural(path: str) -> tuple:
    """'funding.yml' before 'funding-2.yml' before 'funding-10.yml': the order an importer split a
    collection in (a plain sort puts '-' before '.', so record order rotated on every round trip)."""
    stem, dot, suffix = path.rpartition(".")
    parts = re.split(r"(\d+)", stem if dot else path)
    key = tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)
    return key, suffix


def data_files(data_dir: Path) -> list[Path]:
    # Natural order of the part numbers, and a file's stem before its continuations: "funding" < "funding-2".
    def order(p: Path) -> tuple:
        text = p.relative_to(data_dir).as_posix()
        stem, _, suffix = text.rpartition(".")
        base = re.sub(r"-(\d+)$", "", stem)
        number = int(stem[len(base) + 1:]) if base != stem else 1
        return _natural(base + "." + suffix), number, text
    return sorted(walk_data_files(data_dir), key=order)


@dataclass
class LoadResult:
    network: model.Network | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


# The node trees of the last load's files, by (path shown, bytes): under a server or `generate --watch`
# a save composes that one file again, not 1,000 (reading records never changes a node).
_composed: dict[tuple[str, bytes], yaml.Node] = {}

# A record read and the reader of its file; the records read, by collection.
Entry = tuple[FileReader, RecordNodes]
Collected = dict[str, list[Entry]]


def load_network(
    data_dir: Path,
    *,
    root: Path | None = None,
    as_of: dt.date | None = None,
    scorecard_elements: tuple[str, ...] | None = None,
    today: dt.date | None = None,
) -> LoadResult:
    """Read every YAML file under `data_dir`; `root` is what paths are shown relative to."""
    with collector_paused():  # the nodes and records stay alive until the end: no cycle to find
        return _read_network(data_dir, root, as_of, scorecard_elements, today)


def _read_network(data_dir: Path, root: Path | None, as_of: dt.date | None,
                  scorecard_elements: tuple[str, ...] | None, today: dt.date | None) -> LoadResult:
    problems: list[Problem] = []
    elements = tuple(scorecard_elements or DEFAULT_SCORECARD)
    shown_dir = display_path(data_dir, root)
    if not data_dir.is_dir():
        problems.append(Problem(shown_dir, 0, "error",
                                "data folder not found (set `data_dir` in the partnerbook plugin config)"))
        return LoadResult(None, problems)

    network_record: tuple[FileReader, RecordNodes] | None = None
    collected: dict[str, list[tuple[FileReader, RecordNodes]]] = {name: [] for name in COLLECTIONS}
    readers: list[FileReader] = []
    unparsed: list[Unparsed] = []
    real_dir = data_dir.resolve()
    composed: dict[tuple[str, bytes], yaml.Node] = {}
    for path in data_files(data_dir):
        shown = display_path(path, root)
        if path.is_symlink() and not path.resolve().is_relative_to(real_dir):
            # Like a linked folder (not followed): a link planted in a repository must not
            # publish, or echo in messages, a file from elsewhere on the machine.
            problems.append(Problem(shown, 0, "error", "is a link to a file outside the data folder, which "
                                    "partnerbook does not read: copy the file into the data folder"))
            continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown, 0, "error", f"cannot read file: {exc.strerror}"))
            continue
        root_node = _composed.get((shown, raw))
        if root_node is None:
            before = len(problems)
            root_node = compose_file(shown, raw, problems)
            if root_node is not None and len(problems) == before:
                composed[(shown, raw)] = root_node
        else:
            composed[(shown, raw)] = root_node
        if root_node is None:
            if any(p.path == shown for p in problems):
                unparsed.append(Unparsed.read(shown, raw))
            continue
        reader = FileReader(shown, problems, elements)
        readers.append(reader)
        try:
            top = reader.mapping_items(root_node, "a data file")
        except Invalid as exc:
            reader.error(exc.node, f"{exc}: its top-level keys are among {choices(TOP_LEVEL_KEYS)}")
            continue
        for key, key_node, value_node in top:
            if key not in TOP_LEVEL_KEYS:
                reader.error(key_node, f"unknown top-level key '{key}'{did_you_mean(key, TOP_LEVEL_KEYS)}; "
                                       f"expected one of: {choices(TOP_LEVEL_KEYS)}")
                continue
            if key == "network":
                if network_record is not None:
                    first = network_record[0].path, _line(network_record[1].node)
                    reader.error(key_node, f"'network' is defined twice (first at {first[0]}:{first[1]})")
                    continue
                record = reader.read_record(value_node, NETWORK_FIELDS, "network")
                if record is not None:
                    network_record = (reader, record)
                continue
            if value_node.tag == STD + "null":
                continue
            try:
                entries = reader.items(value_node, key)
            except Invalid as exc:
                reader.error(exc.node, f"{exc}: start each {NOUNS[key]} entry with '- '")
                unparsed.append(_unread_collection(shown, key, value_node))
                continue
            noun = NOUNS[key]
            for entry in entries:
                record = reader.read_record(entry, COLLECTIONS[key], f"{noun} entry")
                if record is not None:
                    collected[key].append((reader, record))

    _composed.clear()  # the files of this load only: a server's next load composes what changed
    _composed.update(composed)

    if network_record is None and not any(p.is_error and p.path != shown_dir for p in problems):
        problems.append(Problem(shown_dir, 0, "error",
                                "no file defines `network:` (name and focal partner of the handbook)"))

    known = _unique_ids(collected, problems)
    if not collected["roles"]:
        known["roles"] = {role_id: None for role_id, _name in DEFAULT_ROLES}
    resolve([ref for reader in readers for ref in reader.refs], known,
            _invalid_ids(collected), unparsed, problems)
    _check_records(collected, network_record, problems)
    _unique_identifiers(collected["partners"])

    if any(p.is_error for p in problems):
        return LoadResult(None, problems)
    assert network_record is not None
    network = _build(collected, network_record, elements, as_of, today or dt.date.today())
    return LoadResult(network, problems)


def _unread_collection(shown: str, key: str, node: yaml.Node) -> Unparsed:
    """A collection that is not a list (`partners:` holding one entry without its '- '): its entries
    were not read, so references to the ids it holds are not reported one by one."""
    ids = set()
    if isinstance(node, yaml.MappingNode):
        ids = {value.value for k, value in node.value
               if isinstance(k, yaml.ScalarNode) and k.value == "id" and isinstance(value, yaml.ScalarNode)}
    return Unparsed(shown, {key: ids}, line=_line(node), reason=f"`{key}` in {shown} is not a list", exact=True)


def _invalid_ids(collected: Collected) -> dict[str, dict[str, InvalidId]]:
    """Ids written but rejected (already reported): references to them point here, once per file."""
    invalid: dict[str, dict[str, InvalidId]] = {}
    for name, records in collected.items():
        for reader, record in records:
            node = record.nodes.get("id")
            if node is not None and "id" not in record.values and isinstance(node.value, str) and node.value:
                invalid.setdefault(name, {}).setdefault(node.value, InvalidId(reader.path, record.lines["id"]))
    return invalid


def _unique_ids(collected: Collected, problems: list[Problem]) -> dict[str, Mapping[str, Entry | None]]:
    known: dict[str, Mapping[str, Entry | None]] = {}
    for name, records in collected.items():
        if not any(f.name == "id" for f in COLLECTIONS[name]):
            continue
        seen: dict[str, tuple[FileReader, RecordNodes]] = {}
        for reader, record in records:
            record_id = record.values.get("id")
            if record_id is None:
                continue
            if record_id in seen:
                first_reader, first = seen[record_id]
                reader.error(record.lines["id"], f"duplicate {NOUNS[name]} id '{record_id}' "
                                                 f"(first defined at {first_reader.path}:{first.lines['id']})")
                continue
            seen[record_id] = (reader, record)
        known[name] = seen
    return known


def _unique_identifiers(partners: list[Entry]) -> None:
    """An identifier (scheme:value) names one organisation: two partners sharing one are one partner."""
    seen: dict[str, tuple[str, int, str]] = {}
    for reader, record in partners:
        for identifier in record.values.get("identifiers", ()):
            line = record.lines.get("identifiers", _line(record.node))
            if identifier in seen:
                path, first_line, other = seen[identifier]
                reader.error(line, f"identifier '{identifier}' is also given to partner '{other}' "
                                   f"({path}:{first_line}): merge the two partners, or keep the other "
                                   "names under `aliases`")
            else:
                seen[identifier] = (reader.path, line, record.values.get("id", "?"))


def _check_records(collected: Collected, network_record: Entry | None, problems: list[Problem]) -> None:
    """Rules that span several fields of one record."""
    for name, records in collected.items():
        for reader, record in records:
            values = record.values
            since, until = values.get("since"), values.get("until")
            if since and until and until.last < since.first:
                reader.error(record.lines["until"], f"'until' ({until}) is before 'since' ({since})")
            if name == "agreements":
                parties = values.get("parties")
                if parties is not None and len(set(parties)) < 2:
                    reader.error(record.lines["parties"], "an agreement needs at least two different parties")
                signed, expires = values.get("signed"), values.get("expires")
                if signed and expires and expires.last < signed.first:
                    reader.error(record.lines["expires"], f"'expires' ({expires}) is before 'signed' ({signed})")
            if name == "funding":
                if values.get("date") is not None and (since or until):
                    other = "since" if since else "until"
                    reader.error(record.lines["date"], f"a funding flow has either `date` (one payment) or "
                                                       f"`since`/`until` (a period), not both: remove `date` "
                                                       f"or `{other}`")
                if values.get("per") is not None and since is None and "since" not in record.lines:
                    reader.error(record.lines["per"], "a recurring amount (`per`) needs `since`: "
                                                      "the first period it is paid for")
            if name == "projects":
                outside = [pid for pid in values.get("maintainers", {}) if pid not in values.get("partners", {})]
                if outside and "partners" in values:
                    reader.error(record.lines["maintainers"],
                                 f"`maintainers` names {', '.join(repr(p) for p in outside)}, not among the "
                                 "project's `partners`: add them there too")
            if name == "partners" and values.get("id") == "index":
                reader.error(record.lines["id"],
                             "partner id 'index' is reserved: partners/index is the list of partners")
            if name == "partners" and network_record is not None:
                focal = network_record[1].values.get("focal")
                if values.get("id") == focal and values.get("visibility") == "internal":
                    reader.error(record.lines["visibility"], f"'{focal}' is the focal partner (network.focal): "
                                                             "every page is written from it, so it cannot be internal")
                if values.get("id") != focal and "network" not in values and "network" not in record.lines:
                    who = f"partner '{values['id']}'" if "id" in values else "this partner"
                    reader.error(record.node, f"{who} is missing required field "
                                              "'network' (ivn or ovn; only the focal partner may omit it)")


def _common(reader: FileReader, record: RecordNodes) -> dict[str, Any]:
    return {
        "source": model.Source(reader.path, _line(record.node)),
        "lines": MappingProxyType(dict(record.lines)),
    }


def _build(collected: Collected, network_record: Entry, elements: tuple[str, ...], as_of: dt.date | None,
           today: dt.date) -> model.Network:
    reader, record = network_record
    values = record.values
    info = model.NetworkInfo(
        name=values["name"], focal=values["focal"], structure=values.get("structure"),
        as_of=values.get("as_of"), description=values.get("description", ""),
        reported=values.get("reported", ()), plans=values.get("plans", ()),
        **_common(reader, record),
    )

    def build(name: str, cls: type, rename: dict[str, str] | None = None) -> tuple:
        out = []
        for entry_reader, entry in collected[name]:
            kwargs = {(rename or {}).get(k, k): v for k, v in entry.values.items()}
            if cls is model.Agreement:
                kwargs["scored"] = "scorecard" in entry.values
            out.append(cls(**kwargs, **_common(entry_reader, entry)))
        return tuple(out)

    flows = {"from": "source_id", "to": "target_id"}
    roles = build("roles", model.Role)
    defaulted = not roles
    if defaulted:
        roles = tuple(model.Role(id=i, name=n, source=model.Source(DEFAULT_ROLES_SOURCE)) for i, n in DEFAULT_ROLES)
    snapshot = as_of or (info.as_of.first if info.as_of else today)
    return model.Network(
        info=info,
        roles=roles,
        partners=build("partners", model.Partner),
        exchanges=build("relationships", model.Exchange, flows),
        agreements=build("agreements", model.Agreement),
        funding=build("funding", model.Funding, flows),
        decisions=build("decisions", model.Decision),
        projects=build("projects", model.Project),
        scorecard_elements=elements,
        as_of=snapshot,
        roles_defaulted=defaulted,
    )


DEFAULT_ROLES_SOURCE = "(default canvas roles)"


def in_reader_language(network: model.Network) -> model.Network:
    """The network with the default canvas roles named in the active language (an author's
    own roles, and everything else, as written). Called once per build, after the language
    is active: the loader runs before it, and its network is shared by every build."""
    if not network.roles or network.roles[0].source.path != DEFAULT_ROLES_SOURCE:
        return network
    roles = tuple(dataclasses.replace(role, name=_(role.name)) for role in network.roles)
    return dataclasses.replace(network, roles=roles)
