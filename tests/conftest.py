"""Fixture handbooks written to tmp_path and built with the real `mkdocs` command."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

MINIMAL_NETWORK = """\
network:
  name: Tiny network
  focal: hub
  as_of: 2026-01-01
partners:
  - id: hub
    name: Hub Org
  - id: maker
    name: Maker Co
    network: ivn
    ivn_criteria: [develops]
    roles: [key-activities]
  - id: payer
    name: Payer Fund
    kind: funder
    network: ovn
    ovn_type: funder
relationships:
  - {from: maker, to: hub, deliverable: Code, nature: tangible}
  - {from: payer, to: hub, deliverable: Money, nature: tangible}
  - {from: hub, to: payer, deliverable: Reports, nature: intangible}
"""


@dataclass
class Handbook:
    path: Path

    def write(self, relative: str, text: str) -> Path:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
        return target

    def run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            list(args), cwd=self.path, capture_output=True, text=True, timeout=300,
            env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **(env or {})},
        )

    def build(self, *extra: str, strict: bool = True) -> subprocess.CompletedProcess:
        return self.run("mkdocs", "build", *extra, *(["--strict"] if strict else []))

    def check(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("partnerbook", "check", *args)

    def page(self, url_path: str) -> BeautifulSoup:
        """Parsed HTML of a built page, e.g. 'partners/hub/' or 'index.html'."""
        target = self.path / "site" / url_path
        if url_path.endswith("/") or not url_path:
            target = target / "index.html"
        return BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")


def example_handbook(folder: Path) -> Handbook:
    """A copy of the repository's example handbook (data, prose, templates, mkdocs.yml)."""
    book = Handbook(folder)
    shutil.copytree(ROOT, book.path, ignore=shutil.ignore_patterns(
        ".venv*", "site", ".cache", ".partnerbook", ".git", "tests", "node_modules", "test-artifacts",
        "docs-images", "build"))
    return book


def mkdocs_yml(theme: str = "material", plugin_options: str = "", extra: str = "") -> str:
    options = textwrap.indent(textwrap.dedent(plugin_options).strip(), " " * 6)
    plugin = "  - partnerbook" + (":\n" + options if options else "")
    return f"site_name: Fixture\ndocs_dir: content\ntheme:\n  name: {theme}\nplugins:\n  - search\n{plugin}\n{extra}"


@pytest.fixture(autouse=True)
def english_again():
    """A test that builds in-process in another language leaves English active for the next."""
    yield
    from partnerbook.i18n import language as i18n
    i18n.activate(None)


@pytest.fixture
def handbook(tmp_path) -> Handbook:
    """A small valid handbook; tests rewrite any file they need."""
    book = Handbook(tmp_path / "book")
    book.write("mkdocs.yml", mkdocs_yml())
    book.write("content/index.md", "# Welcome\n\nSee [the partners](partners/index.md).\n")
    book.write("network/network.yml", MINIMAL_NETWORK)
    return book


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running `mkdocs serve`: its log lines as they come, and its pages over HTTP."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=lambda: [self.lines.put(line) for line in process.stderr], daemon=True).start()

    def wait_for(self, pattern: str, timeout: float = 90) -> str:
        """The next log line matching `pattern` (a regular expression); lines passed over are kept in `seen`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise AssertionError(f"mkdocs serve exited with {self.process.returncode}")
                continue
            self.seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no log line matched {pattern!r} in {timeout} s; the log:\n" + "".join(self.seen[-40:]))

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as response:
            return response.read().decode("utf-8")


@contextlib.contextmanager
def serving(book: Handbook):
    port = free_port()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    process = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=book.path,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    try:
        served = Served(process, port)
        served.wait_for(r"Serving on http://")
        yield served
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def thousand_partners(tmp_path_factory) -> Handbook:
    """A 1,000-partner handbook (benchmarks/generate.py), built once for every test that reads it."""
    book = Handbook(tmp_path_factory.mktemp("scale") / "book")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "handbook", "1000", str(book.path)],
                   check=True, capture_output=True)
    # The generator's partners other than the focal one have a handful of counterparts each: one
    # hub more, with 60 (above overview_threshold), as a platform or a network secretariat would be.
    hub = book.path / "network" / "partners" / "p0001.yml"
    record = yaml.safe_load(hub.read_text(encoding="utf-8"))
    record["relationships"] = (record.get("relationships") or []) + [
        {"from": "p0001", "to": f"p{n:04d}", "deliverable": "Referrals", "nature": "intangible"} for n in range(100, 160)]
    hub.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = book.build(strict=False)  # the synthetic data has warnings (OVN partners with signed agreements)
    assert result.returncode == 0, result.stderr
    return book
