"""Driving the hosts as a user does, for benchmarks/routes.py: one command with its time and peak
memory, a server and the time from a save until its page shows the edit, the edits themselves, and
the log line that gives partnerbook's own share. Only the command line, files and HTTP: nothing of
partnerbook's modules, so the benchmark runs unchanged on any version of the code.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}


class Failed(SystemExit):
    """A command failed or an edit never showed: the figures would mean nothing, so the run stops."""


@dataclass
class Timed:
    """One timed command: wall-clock seconds, peak resident memory, the 1-minute load average when it
    started, and what it wrote on stderr (the host's log)."""

    seconds: float
    peak_mb: float
    load: float
    log: str


def run(command: list[str], cwd: Path) -> Timed:
    """Run `command` (a program of the virtual environment) in `cwd`; stop the benchmark if it fails."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a long log cannot block the build
        started = time.perf_counter()
        process = subprocess.Popen([str(BIN / command[0]), *command[1:]], cwd=cwd, env=ENV,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        log = stderr.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise Failed(f"`{' '.join(command)}` failed in {cwd} (exit {process.returncode}):\n{log[-3000:]}")
    return Timed(seconds, usage.ru_maxrss / 1024, load, log)


# The plugin logs "generated 1652 pages for 1000 partners in 4.81 s (data loaded in …)" or "reused …";
# a later version may say it otherwise ("generated 23 pages: partner p0510 changed"). Read loosely.
SHARE_LINE = re.compile(r"\b(?:generated|reused|regenerated)\b[^\n]*?\b[\d,]+ pages\b[^\n]*")
SECONDS = re.compile(r"\bin (\d+(?:\.\d+)?) ?s\b")


def share(log: str) -> tuple[float | None, str | None]:
    """partnerbook's own seconds and its words, from the last such line of a host's log (None if none)."""
    lines = SHARE_LINE.findall(log)
    if not lines:
        return None, None
    line = lines[-1].strip()
    seconds = SECONDS.search(line)
    words = re.sub(r"\s+", " ", line.split(" in ")[0] if seconds else line)[:80]
    return (float(seconds.group(1)) if seconds else None), words


def page_file(site: Path, url: str) -> Path:
    return site / url.strip("/") / "index.html"


def require_text(path: Path, text: str, what: str) -> None:
    """The benchmark's own check that a run did the work: its output shows the edit."""
    try:
        html = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise Failed(f"{what}: {path} was not written ({exc})") from None
    if text not in html:
        raise Failed(f"{what}: {path} does not show {text!r}; the benchmark would time a no-op")


# -- edits ------------------------------------------------------------------------

def _save(path: Path, text: str) -> None:
    """Write and move the modification time on by at least a second: Zensical compares whole seconds."""
    before = path.stat().st_mtime
    path.write_text(text, encoding="utf-8")
    later = max(time.time(), before + 1)
    os.utime(path, (later, later))


def partner_pattern(partner: str) -> re.Pattern[str]:
    """A partner's record as the generator and the importers write it: `- id: X` then `name: …`."""
    return re.compile(rf"(?m)^([ \t]*-[ \t]+id:[ \t]*{re.escape(partner)}[ \t]*\n[ \t]+name:[ \t]*)[^\n]*$")


def rename_partner(data: Path, partner: str, name: str) -> Path:
    """Give partner `partner` the name `name` in whichever data file holds it; that file."""
    pattern = partner_pattern(partner)
    for path in sorted(data.rglob("*.yml")):
        text = path.read_text(encoding="utf-8")
        renamed, count = pattern.subn(lambda match: match.group(1) + name, text, count=1)
        if count:
            _save(path, renamed)
            return path
    raise Failed(f"no data file in {data} names partner {partner}")


def retitle_page(page: Path, title: str) -> None:
    """The floor's edit: a hand-written page's first heading."""
    text, count = re.subn(r"(?m)^# .*$", f"# {title}", page.read_text(encoding="utf-8"), count=1)
    if not count:
        raise Failed(f"{page} has no heading to edit")
    _save(page, text)


# -- serving ----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`HOST serve` on a free port, its log in a file (read from an offset to see one rebuild's lines)."""

    def __init__(self, host: str, folder: Path, start_page: str, timeout: float = 1800) -> None:
        self.host, self.folder, self.port = host, folder, free_port()
        self.log_path = folder.parent / f"{folder.name}-{host}-serve.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen([str(BIN / host), "serve", "-a", f"127.0.0.1:{self.port}"], cwd=folder,
                                        env=ENV, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log)
        self.wait_for(start_page, "</h1>", timeout)

    def page(self, url: str) -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{url}", timeout=60) as response:
                return response.read().decode("utf-8", "replace")
        except OSError:  # not up yet, or between builds
            return ""

    def log_text(self, offset: int = 0) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode("utf-8", "replace")

    def wait_for(self, url: str, text: str, timeout: float = 1800) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.page(url):
            if self.process.poll() is not None:
                raise Failed(f"{self.host} serve in {self.folder} stopped:\n{self.log_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise Failed(f"{self.host} serve in {self.folder}: {url} never showed {text!r} "
                             f"in {timeout:.0f} s:\n{self.log_text()[-3000:]}")
            time.sleep(0.1)

    def timed_edit(self, edit: Callable[[], object], url: str, text: str) -> Timed:
        """Seconds from the save until `url` serves `text`; the log is the server's lines meanwhile."""
        load = os.getloadavg()[0]
        offset = self.log_path.stat().st_size
        started = time.perf_counter()
        edit()
        self.wait_for(url, text)
        seconds = time.perf_counter() - started
        time.sleep(1)  # the rebuild's last log lines
        return Timed(seconds, 0.0, load, self.log_text(offset))

    def stop(self) -> float:
        """Stop the server; its peak resident memory in MB over its whole life (first build included)."""
        self.process.terminate()
        deadline = time.monotonic() + 60
        try:
            while True:
                pid, _, usage = os.wait4(self.process.pid, os.WNOHANG)
                if pid:
                    return usage.ru_maxrss / 1024
                if time.monotonic() > deadline:
                    self.process.kill()
                time.sleep(0.1)
        except ChildProcessError:
            return 0.0
        finally:
            self.process.returncode = self.process.returncode or 0
            self._log.close()
