"""Caps on what `partnerbook import` reads, checked before any reader starts.

Files come from other organisations and the web; some are hostile. Each format has a cap on
a file's size (well above any real handbook's data: the loader itself caps a data file at
4 MiB), and the XML formats a cap on one run of text without markup (an attribute value or a
text node): expat before 2.6 rescans a long token from its start at every read, so a 64 MB
attribute took a minute and a half to parse. Both are refused with the file named.
"""

from __future__ import annotations

from pathlib import Path

from ..export import CSV_TABLES
from .common import ImportFailed

MIB = 1 << 20
# The largest file each format reads. IATI activity files are the largest real inputs (a
# publisher's whole portfolio in one file); tables and graphs of a handbook are far smaller.
MAX_FILE_BYTES = {"csv": 64 * MIB, "xlsx": 64 * MIB, "graphml": 64 * MIB, "gexf": 64 * MIB, "iati": 256 * MIB,
                  # the FOSS communities' tables are CSV; a manifest (JSON, YAML) is a few KB where real
                  "maintainers": 64 * MIB, "opencollective": 64 * MIB, "github-sponsors": 64 * MIB,
                  "funding-json": 4 * MIB, "publiccode": 4 * MIB}
XML_FORMATS = ("graphml", "gexf", "iati")
MAX_XML_TOKEN = 1 * MIB  # the longest attribute value or text node: a long description is a few KB
_CHUNK = 1 * MIB


def _files(fmt: str, source: Path) -> list[Path]:
    if fmt == "csv" and source.is_dir():
        return [source / name for name in CSV_TABLES if (source / name).is_file()]
    return [source] if source.is_file() else []


def long_token_line(path: Path, cap: int = MAX_XML_TOKEN) -> int | None:
    """The line where a run of more than `cap` bytes without '<' or '>' starts, or None.
    Read in chunks, so a file of any size costs little memory; the C string methods do the work."""
    run = 0  # bytes since the last '<' or '>'
    run_line = line = 1
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            pieces = chunk.replace(b">", b"<").split(b"<")
            if run + len(pieces[0]) <= cap and max(map(len, pieces)) <= cap:  # the common case: no long run
                if len(pieces) == 1:
                    run += len(chunk)
                else:
                    run = len(pieces[-1])
                    run_line = line + chunk.count(b"\n") - pieces[-1].count(b"\n")
                line += chunk.count(b"\n")
                continue
            for i, piece in enumerate(pieces):
                if i:
                    run = 0
                if run == 0:
                    run_line = line
                run += len(piece)
                if run > cap:
                    return run_line
                line += piece.count(b"\n")
    return None


def check_sources(fmt: str, sources: list[Path]) -> None:
    """Raise ImportFailed naming every source file over its format's caps."""
    problems = []
    cap = MAX_FILE_BYTES[fmt]
    for source in sources:
        for path in _files(fmt, source):
            try:
                size = path.stat().st_size
            except OSError:
                continue  # the reader says what is wrong with it
            if size > cap:
                problems.append(f"{path}: {size / MIB:.0f} MiB, over the {cap // MIB} MiB that `import {fmt}` reads; "
                                "split it, or leave out what the handbook does not need")
                continue
            if fmt in XML_FORMATS:
                try:
                    line = long_token_line(path)
                except OSError:
                    continue
                if line is not None:
                    problems.append(f"{path}:{line}: an attribute or text of over {MAX_XML_TOKEN // MIB} MiB "
                                    "without markup; no real file holds one, so it is not read")
    if problems:
        raise ImportFailed(problems)
