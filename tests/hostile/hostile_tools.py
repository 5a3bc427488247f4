"""What the hostile-file tests share: running partnerbook under resource limits, and building
hostile workbooks and handbooks in the test itself (nothing hostile is kept in the repository)."""

from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
MIB = 1 << 20
MEMORY_LIMIT = 1024 * MIB  # address space: Python with openpyxl, networkx and Graphviz stays well under it
CPU_SECONDS = 30  # a run over it is killed by SIGXCPU: bounded time without a timed assertion


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


class _ForkServer:
    """forkserver.py, started once per test process: each run is a fork of a process that has
    imported partnerbook and MkDocs already (a second saved per run), under the same limits."""

    process: subprocess.Popen | None = None

    @classmethod
    def run(cls, cwd: Path, args: tuple[str, ...], memory: int, cpu: int) -> tuple[int, bytes, bytes]:
        if cls.process is None or cls.process.poll() is not None:
            cls.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("forkserver.py"))], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True, env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
            atexit.register(cls.process.kill)
        with tempfile.TemporaryDirectory() as folder:
            out, err = Path(folder) / "out", Path(folder) / "err"
            request = {"args": [str(BIN / args[0]), *args[1:]], "cwd": str(cwd), "out": str(out), "err": str(err),
                       "memory": memory, "cpu": cpu, "timeout": cpu * 6}
            cls.process.stdin.write(json.dumps(request) + "\n")
            cls.process.stdin.flush()
            reply = json.loads(cls.process.stdout.readline())
            if reply.get("timeout"):
                raise subprocess.TimeoutExpired(list(args), cpu * 6)
            return reply["code"], out.read_bytes(), err.read_bytes()


def run(cwd: Path, *args: str, memory: int = MEMORY_LIMIT, cpu: int = CPU_SECONDS) -> Run:
    """`args` (partnerbook or mkdocs and its arguments) in `cwd`, in a process of its own whose memory
    and CPU time are capped with setrlimit (a fork of `_ForkServer`). Raw bytes are decoded as UTF-8
    with escapes, so a control character shows."""
    code, out, err = _ForkServer.run(cwd, args, memory, cpu)
    return Run(code, out.decode("utf-8", "backslashreplace"), err.decode("utf-8", "backslashreplace"))


def assert_refused(result: Run, where: str) -> None:
    """Exit 1, the place named (FILE or FILE:LINE), no traceback, not killed by a limit."""
    assert result.code != -signal.SIGXCPU and result.code != -signal.SIGKILL, f"over the CPU limit: {result.err[-800:]}"
    assert "Traceback" not in result.text and "MemoryError" not in result.text, result.text[-2000:]
    assert result.code == 1, result.text[-2000:]
    assert where in result.text, result.text[-2000:]


def assert_no_control_characters(text: str) -> None:
    bad = [ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]
    assert not bad, f"raw control characters {bad!r} in the output"


def write(folder: Path, relative: str, text: str) -> Path:
    target = folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(textwrap.dedent(text), encoding="utf-8")
    return target


def handbook(folder: Path, network: str) -> Path:
    """A handbook folder: mkdocs.yml, a home page, and `network` as network/network.yml."""
    write(folder, "mkdocs.yml", "site_name: Hostile\ndocs_dir: content\ntheme:\n  name: material\n"
                                "plugins:\n  - partnerbook\n")
    write(folder, "content/index.md", "# Welcome\n")
    write(folder, "network/network.yml", network)
    return folder


NETWORK_HEAD = """\
network:
  name: Hostile network
  focal: hub
  as_of: 2026-01-01
"""

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook(path: Path, rows: Iterable[bytes], *, dimension: str = "A1:B3",
             shared_strings: Iterable[bytes] | None = None) -> Path:
    """An .xlsx with one sheet `partners` whose <sheetData> is the bytes of `rows` (streamed
    into the zip, so a sheet of hundreds of MB costs little memory), and optionally a
    shared-strings table made of the bytes of `shared_strings`."""
    shared = shared_strings is not None
    content_types = (
        f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/>'
        + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>' if shared else "")
        + "</Types>")
    package_rels = (f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/officeDocument" '
                    'Target="xl/workbook.xml"/></Relationships>')
    book = (f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            '<sheet name="partners" sheetId="1" r:id="rId1"/></sheets></workbook>')
    book_rels = (f'<Relationships xmlns="{_RELS}">'
                 f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
                 + (f'<Relationship Id="rId2" Type="{_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
                    if shared else "") + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{_MAIN}"><dimension ref="{dimension}"/><sheetData>'.encode())
            for chunk in rows:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
        if shared_strings is not None:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as table:
                table.write(f'<sst xmlns="{_MAIN}">'.encode())
                for chunk in shared_strings:
                    table.write(chunk)
                table.write(b"</sst>")
    return path


def text_row(*cells: str) -> bytes:
    """A row of inline-string cells (no `r` attributes: readers number rows and cells in order)."""
    return ("<row>" + "".join(f'<c t="inlineStr"><is><t>{cell}</t></is></c>' for cell in cells) + "</row>").encode()


def number_row(count: int) -> bytes:
    """A row of `count` numeric cells: the smallest cells a sheet holds."""
    return b"<row>" + b"<c><v>1</v></c>" * count + b"</row>"


def repeated(piece: bytes, total_bytes: int) -> Iterable[bytes]:
    """`piece` repeated up to about `total_bytes`, in chunks of about 1 MiB."""
    chunk = piece * max(1, MIB // len(piece))
    for _ in range(max(1, total_bytes // len(chunk))):
        yield chunk
