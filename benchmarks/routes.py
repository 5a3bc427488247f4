"""partnerbook's build routes side by side with the floor (issue 28): medians of alternated rounds.

    python benchmarks/routes.py                                # N = 1,000 and the real-data size, 3 rounds
    python benchmarks/routes.py --sizes 1000 --rounds 3
    python benchmarks/routes.py --sizes real --rows zensical serve --rounds 5 --json out.json

The rows (--rows picks some; each run is checked to show its edit in the output, else the run stops):
  cold      `mkdocs build`, no cache (.partnerbook/, .cache/, site/ removed)       ÷ the floor's build
  warm      `mkdocs build`, nothing changed since the last build                   ÷ the floor's build
  rename    `mkdocs build` after renaming one partner, caches warm                 ÷ the floor's build
  zensical  after renaming one partner: `partnerbook generate` + `zensical build`,
            Zensical's cache warm                                                  ÷ the floor's MkDocs build
  serve     `mkdocs serve`: from saving one partner's new name until the served page shows it
            ÷ the floor's serve after retitling one page (and ÷ the floor's build)

The floor is plain MkDocs + Material building N hand-written pages of the same shape (generate.py).
Each round runs floor, partnerbook, floor, partnerbook…: every partnerbook run has the floor build
just before it, so load from other work on the machine falls on both; ratios are of the medians.
Sizes: a number N is generate.py's synthetic handbook of N partners; `real` is the size of the
real-data import the README's figures were measured on: iati_generate.py's file of 1,070
activities imported with `partnerbook import iati` (about 2,300 partners), its floor as many pages.
Only the command line, files and HTTP are used (drive.py), so the script runs on any version of
the code; partnerbook's share is read from its log line ("generated N pages … in X s").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import drive
from drive import Failed, Server, Timed
from subjects import Subject, write_subject

ROWS = ("cold", "warm", "rename", "zensical", "serve")
LABELS = {
    "cold": "cold `mkdocs build` (no cache)",
    "warm": "warm `mkdocs build` (nothing changed)",
    "rename": "`mkdocs build` after renaming one partner, caches warm",
    "zensical": "Zensical route after renaming one partner: `partnerbook generate` + `zensical build`",
    "serve": "`mkdocs serve`, one partner renamed, save → page shows it",
}
GOALS = {"cold": "≤ 1.15×", "warm": "≤ 0.95×", "rename": "≤ 1.0×", "zensical": "≤ 0.3×",
         "serve": "≤ 1.2× the floor's build"}
REPO = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{load:.2f}" for load in os.getloadavg())


class Bench:
    """One size: the handbook copies, the floor, and every timed run by row."""

    def __init__(self, subject: Subject, rows: list[str], rounds: int) -> None:
        self.subject, self.rows, self.rounds = subject, rows, rounds
        self.runs: dict[str, list[Timed]] = {}
        self.parts: dict[str, list[float]] = {"generate": [], "zensical build": []}
        self.names = {copy: subject.name for copy in ("book", "zensical", "serve")}

    def record(self, key: str, timed: Timed, note: str = "") -> Timed:
        self.runs.setdefault(key, []).append(timed)
        seconds, words = drive.share(timed.log)
        shared = f", partnerbook: {words} in {seconds:.2f} s" if seconds is not None else (
            f", partnerbook: {words}" if words else "")
        say(f"  {key:<15} {timed.seconds:7.2f} s  {timed.peak_mb:5.0f} MB  load {timed.load:4.2f}{shared}{note}")
        return timed

    def check_partner(self, copy: str, site: Path) -> None:
        drive.require_text(drive.page_file(site, self.subject.partner_url), self.names[copy],
                           f"{copy} copy of N={self.subject.label}")

    def floor_build(self, row: str) -> None:
        self.record(f"floor:{row}", drive.run(["mkdocs", "build"], self.subject.floor))
        drive.require_text(drive.page_file(self.subject.floor / "site", self.subject.floor_url), "</h1>",
                           "the floor's build")

    def rename(self, copy: str, folder: Path, round_number: int) -> None:
        self.names[copy] = f"Renamed Partner {copy.capitalize()} R{round_number}"
        drive.rename_partner(folder / "network", self.subject.partner, self.names[copy])

    # -- the rows ---------------------------------------------------------------

    def cold(self, round_number: int) -> None:
        book = self.subject.book
        for cache in (".partnerbook", ".cache", "site"):
            shutil.rmtree(book / cache, ignore_errors=True)
        self.record("cold", drive.run(["mkdocs", "build"], book))
        self.check_partner("book", book / "site")

    def warm(self, round_number: int) -> None:
        self.record("warm", drive.run(["mkdocs", "build"], self.subject.book))
        self.check_partner("book", self.subject.book / "site")

    def rename_build(self, round_number: int) -> None:
        self.rename("book", self.subject.book, round_number)
        self.record("rename", drive.run(["mkdocs", "build"], self.subject.book))
        self.check_partner("book", self.subject.book / "site")

    def zensical(self, round_number: int) -> None:
        folder = self.subject.zensical
        self.rename("zensical", folder, round_number)
        generated = drive.run(["partnerbook", "generate"], folder)
        built = drive.run(["zensical", "build"], folder)
        self.parts["generate"].append(generated.seconds)
        self.parts["zensical build"].append(built.seconds)
        self.record("zensical", Timed(generated.seconds + built.seconds, max(generated.peak_mb, built.peak_mb),
                                      generated.load, generated.log + built.log),
                    f"  (generate {generated.seconds:.2f} s + zensical build {built.seconds:.2f} s)")
        self.check_partner("zensical", folder / "site")

    def serve(self, round_number: int, servers: dict[str, Server]) -> None:
        floor_title = f"Retitled Page R{round_number}"
        page = self.subject.serve_floor / "content" / "p" / f"{self.subject.floor_page}.md"
        self.record("floor:serve", servers["floor"].timed_edit(
            lambda: drive.retitle_page(page, floor_title), self.subject.floor_url, floor_title))
        time.sleep(3)
        self.names["serve"] = name = f"Renamed Partner Serve R{round_number}"
        self.record("serve", servers["book"].timed_edit(
            lambda: drive.rename_partner(self.subject.serve_book / "network", self.subject.partner, name),
            self.subject.partner_url, name))

    # -- one size -----------------------------------------------------------------

    def warm_up(self) -> None:
        """Untimed: the first build of each copy (file system caches, bytecode, partnerbook's and
        Zensical's caches, which the warm, rename and Zensical rows expect)."""
        started = time.perf_counter()
        drive.run(["mkdocs", "build"], self.subject.floor)
        if {"warm", "rename"} & set(self.rows):
            drive.run(["mkdocs", "build"], self.subject.book)
        if "zensical" in self.rows:
            for _ in range(2):  # the first build without stubs asks for another
                drive.run(["partnerbook", "generate"], self.subject.zensical)
                drive.run(["zensical", "build"], self.subject.zensical)
            self.check_partner("zensical", self.subject.zensical / "site")
        say(f"  warm-up builds {time.perf_counter() - started:.0f} s")

    def run(self) -> dict[str, float]:
        self.warm_up()
        servers: dict[str, Server] = {}
        try:
            if "serve" in self.rows:
                started = time.perf_counter()
                servers["floor"] = Server("mkdocs", self.subject.serve_floor, self.subject.floor_url)
                servers["book"] = Server("mkdocs", self.subject.serve_book, self.subject.partner_url)
                say(f"  servers up in {time.perf_counter() - started:.0f} s")
            steps = {"cold": self.cold, "warm": self.warm, "rename": self.rename_build, "zensical": self.zensical}
            for round_number in range(1, self.rounds + 1):
                say(f" round {round_number}/{self.rounds}  ({uptime()})")
                for row in self.rows:
                    if row in steps:
                        self.floor_build(row)
                        steps[row](round_number)
                if servers:
                    self.serve(round_number, servers)
                    time.sleep(5)  # what a server does after its rebuild (downloads) stays out of the next run
        finally:
            peaks = {name: server.stop() for name, server in servers.items()}
        return peaks


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summary(bench: Bench, serve_peaks: dict[str, float]) -> dict:
    """Medians per row, ratios of the medians, peaks and shares, for the table and the JSON."""
    runs = bench.runs
    floor_builds = [t.seconds for key, timed in runs.items() if key.startswith("floor:") and key != "floor:serve"
                    for t in timed]
    rows = {}
    for row in bench.rows:
        ours, floor = runs.get(row, []), runs.get(f"floor:{row}", [])
        if not ours:
            continue
        shares = [s for s in (drive.share(t.log)[0] for t in ours) if s is not None]
        entry = {"seconds": median([t.seconds for t in ours]), "floor": median([t.seconds for t in floor]),
                 "all": [t.seconds for t in ours], "floor_all": [t.seconds for t in floor],
                 "peak_mb": max(t.peak_mb for t in ours),
                 "floor_peak_mb": max((t.peak_mb for t in floor), default=0.0),
                 "load": [t.load for t in ours + floor], "share": median(shares) if shares else None,
                 "share_words": drive.share(ours[-1].log)[1]}
        entry["ratio"] = entry["seconds"] / entry["floor"]
        # Each run over the floor run just before it: load that changes between rounds falls on both.
        entry["paired"] = [ours_run.seconds / floor_run.seconds
                           for ours_run, floor_run in zip(ours, floor, strict=True)]
        if row == "zensical":
            entry["parts"] = {part: median(values) for part, values in bench.parts.items()}
        if row == "serve":
            entry["floor_build"] = median(floor_builds)
            entry["peak_mb"], entry["floor_peak_mb"] = serve_peaks.get("book", 0.0), serve_peaks.get("floor", 0.0)
        rows[row] = entry
    return {"size": bench.subject.label, "partners": bench.subject.partners, "rounds": bench.rounds, "rows": rows}


def table(results: list[dict], machine: dict) -> str:
    lines = [f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}; "
             f"{machine['versions']}; partnerbook {machine['commit']}.",
             f"`uptime` before: {machine['before']}", f"`uptime` after: {machine['after']}", "",
             "| N | build | partnerbook | floor | ratio | paired ratios | goal (#28) | partnerbook's share (its log) "
             "| peak RSS (floor's) | 1-min load |", "|---|---|---|---|---|---|---|---|---|---|"]
    for result in results:
        for row, entry in result["rows"].items():
            ours = f"{entry['seconds']:.2f} s"
            floor = f"{entry['floor']:.2f} s"
            ratio = f"{entry['ratio']:.2f}×"
            share = (f"{entry['share_words']} in {entry['share']:.2f} s" if entry["share"] is not None
                     else entry["share_words"] or "–")
            if row == "zensical":
                parts = entry["parts"]
                ours += f" ({parts['generate']:.2f} + {parts['zensical build']:.2f})"
                share = f"`generate` {parts['generate']:.2f} s"
            if row == "serve":
                floor = f"{entry['floor']:.2f} s serve ({entry['floor_build']:.2f} s build)"
                ratio = f"{entry['ratio']:.2f}× serve, {entry['seconds'] / entry['floor_build']:.2f}× build"
            loads = entry["load"]
            paired = " / ".join(f"{value:.2f}" for value in entry["paired"])
            lines.append(f"| {result['size']} | {LABELS[row]} | {ours} | {floor} | {ratio} | {paired} | {GOALS[row]} "
                         f"| {share} "
                         f"| {entry['peak_mb']:.0f} MB ({entry['floor_peak_mb']:.0f} MB) "
                         f"| {min(loads):.1f}–{max(loads):.1f} |")
    lines += ["", f"Medians of {', '.join(sorted({str(r['rounds']) for r in results}))} alternated rounds "
              "(floor, partnerbook, floor, partnerbook…); ratio: of the medians; paired ratios: each round's "
              "partnerbook run ÷ the floor run just before it (serve: ÷ the floor's serve), steadier under a "
              "changing load. The floor: plain MkDocs + "
              "Material building as many hand-written pages of the same shape (benchmarks/generate.py). "
              "Zensical's time is `generate` + `zensical build`; serve's peak RSS is the server's whole life."]
    return "\n".join(lines)


def machine_facts() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(f"{int(line.split()[1]) / 1024 ** 2:.0f} GB RAM" for line in
                      Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        memory = "memory unknown"

    def installed(package: str) -> str:
        try:
            return f"{package} {version(package)}"
        except PackageNotFoundError:
            return f"{package} not installed"

    commit = subprocess.run(["git", "log", "-1", "--format=%h (%cs)"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip() or "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "commit": commit,
            "versions": f"Python {platform.python_version()}, "
                        + ", ".join(installed(p) for p in ("mkdocs", "mkdocs-material", "zensical")),
            "before": uptime()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["1000", "real"],
                        help="partner counts of the synthetic handbook, or `real` (the IATI import, ~2,300)")
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=list(ROWS), metavar="ROW",
                        help=f"which rows: {', '.join(ROWS)} (default all)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write every run's figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the handbooks and logs (their folder is printed)")
    args = parser.parse_args()
    for size in args.sizes:
        if size != "real" and not size.isdigit():
            parser.error(f"--sizes: {size!r} is neither a number of partners nor `real`")
    rows = [row for row in ROWS if row in args.rows]
    if "zensical" in rows and not (drive.BIN / "zensical").exists():
        parser.error("the zensical row needs Zensical in this environment: `make setup` (scripts/setup) "
                     "or pip install -e '.[hosts]'; or leave the row out with --rows")
    machine = machine_facts()
    say(f"{machine['cpu']}, {machine['cores']} cores; {machine['before']}")
    results = []
    for size in args.sizes:
        tmp = Path(tempfile.mkdtemp(prefix=f"pb-routes-{size}-"))
        try:
            started = time.perf_counter()
            subject = write_subject(size, tmp, rows)
            say(f"N={subject.label}: {subject.partners:,} partners, renaming {subject.partner}; written in "
                f"{time.perf_counter() - started:.0f} s ({tmp})")
            bench = Bench(subject, rows, args.rounds)
            peaks = bench.run()
            results.append(summary(bench, peaks))
            say(f"N={subject.label}: done in {time.perf_counter() - started:.0f} s ({uptime()})")
        except Failed as failure:
            sys.exit(f"N={size}: {failure}\n(the handbooks are kept in {tmp})")
        finally:
            if not args.keep and sys.exc_info()[0] is None:
                shutil.rmtree(tmp, ignore_errors=True)
    machine["after"] = uptime()
    print(table(results, machine))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=1))


if __name__ == "__main__":
    main()
