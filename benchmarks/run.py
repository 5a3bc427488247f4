"""partnerbook against the floor MkDocs sets: median build times, ratios, memory, bytes.

    python benchmarks/run.py                      # N = 100, 1000, 3000; 3 rounds
    python benchmarks/run.py --sizes 1000 --rounds 5
    python benchmarks/run.py --sizes 1000 --hosts mkdocs properdocs zensical

For each N it writes a synthetic handbook and the floor (N hand-written pages of
about the same size, the same theme and search plugin; see generate.py), then
builds them alternately, each round: floor, partnerbook cold (no diagram
cache), floor, partnerbook warm (cache kept, nothing changed). It then runs
`mkdocs serve` on both and edits one partner file (one page for the floor) per
round, reading the rebuild time MkDocs logs. Peak memory is the build process's
maximum resident set. Analysis is the health report computed in this process
on the same network. Not a test: these figures go in notes, never in asserts.

With --hosts, it builds the same handbook under each host named instead (side by
side, no floor): cold (no caches: partnerbook's, Zensical's), warm (nothing
changed) and one-partner edit while serving, timed from the save until the
served page shows the new name (each host logs differently, so the page is
what is compared). Under Zensical, cold and warm include `partnerbook generate`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import pid, write_floor, write_handbook

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}


def build(folder: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `mkdocs build`."""
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / "mkdocs"), "build"], cwd=folder, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"build failed in {folder}:\n{stderr[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def serve_rebuilds(folder: Path, edit, rounds: int) -> list[float]:
    """Seconds from 'Building documentation...' to 'Reloading browsers' for each rebuild after
    `edit(round)` (MkDocs drops a 'Documentation built in X' line equal to the one before)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=folder, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    built: list[float] = []
    ready = threading.Event()

    def read() -> None:
        started = None
        for line in process.stderr:
            if "Serving on" in line:
                ready.set()
            elif ready.is_set() and "Building documentation" in line:
                started = time.perf_counter()
            elif started is not None and "Reloading browsers" in line:
                built.append(time.perf_counter() - started)
                started = None

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(600):
            sys.exit(f"mkdocs serve did not start in {folder}")
        for r in range(rounds):
            time.sleep(1.5)
            edit(r)
            deadline = time.monotonic() + 600
            while len(built) <= r and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=60)
    return built[:rounds]


def site_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in (folder / "site").rglob("*") if p.is_file())


def article_bytes(page: Path) -> int:
    """Size of a page's main content without inline SVG: what 'similar size' compares."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r"<svg\b.*?</svg>", "", html, flags=re.S)
    match = re.search(r"<article\b.*?</article>", html, re.S)
    return len(match.group(0)) if match else 0


def analysis_seconds(folder: Path) -> float:
    from partnerbook.analysis.checks import check_data
    from partnerbook.analysis.health import health_report
    from partnerbook.analysis.index import NetworkIndex

    network = check_data(folder / "network", root=folder).network
    started = time.perf_counter()
    health_report(network, NetworkIndex(network))
    return time.perf_counter() - started


def bench(n: int, rounds: int, serve: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"pb-bench-{n}-") as tmp:
        book, floor = Path(tmp) / "handbook", Path(tmp) / "floor"
        counts = write_handbook(book, n)
        write_floor(floor, n)
        times: dict[str, list[float]] = {"floor": [], "cold": [], "warm": []}
        memory: dict[str, float] = {"floor": 0.0, "cold": 0.0, "warm": 0.0}
        for _ in range(rounds):
            for kind, folder in (("floor", floor), ("cold", book), ("floor", floor), ("warm", book)):
                if kind == "cold":
                    shutil.rmtree(book / ".partnerbook", ignore_errors=True)  # the diagram and download cache
                shutil.rmtree(folder / "site", ignore_errors=True)
                seconds, peak = build(folder)
                times[kind].append(seconds)
                memory[kind] = max(memory[kind], peak)
        result = {"n": n, **counts, "rounds": rounds,
                  **{k: statistics.median(v) for k, v in times.items()},
                  "peak_mb": max(memory["cold"], memory["warm"]), "floor_peak_mb": memory["floor"],
                  "site_bytes": site_bytes(book), "floor_bytes": site_bytes(floor),
                  "page_bytes": statistics.mean(article_bytes(book / "site" / "partners" / pid(i) / "index.html")
                                                for i in range(1, min(n, 50))),
                  "floor_page_bytes": statistics.mean(article_bytes(floor / "site" / "p" / pid(i) / "index.html")
                                                      for i in range(1, min(n, 50))),
                  "analysis": analysis_seconds(book)}
        if serve:
            partner_file = book / "network" / "partners" / f"{pid(n // 2)}.yml"
            original = partner_file.read_text()

            def edit_partner(r: int) -> None:  # a new name: its page, its neighbours' diagrams change
                partner_file.write_text(re.sub(r"(?m)^    name: .*$", f"    name: Renamed partner {r}", original,
                                               count=1))

            floor_page = floor / "content" / "p" / f"{pid(n // 2)}.md"
            floor_original = floor_page.read_text()

            def edit_floor(r: int) -> None:
                floor_page.write_text(re.sub(r"(?m)^# .*$", f"# Renamed page {r}", floor_original, count=1))

            result["serve"] = statistics.median(serve_rebuilds(book, edit_partner, rounds))
            result["floor_serve"] = statistics.median(serve_rebuilds(floor, edit_floor, rounds))
        return result


# -- the same handbook under each host -------------------------------------------

HOST_BUILD = {
    "mkdocs": [["mkdocs", "build"]],
    "properdocs": [["properdocs", "build", "-f", "mkdocs.yml"]],
    "zensical": [["partnerbook", "generate"], ["zensical", "build"]],
}
HOST_SERVE = {"mkdocs": "mkdocs", "properdocs": "properdocs", "zensical": "zensical"}


def host_build(folder: Path, host: str, cold: bool) -> float:
    if cold:
        for cache in (".partnerbook", ".cache", "site"):
            shutil.rmtree(folder / cache, ignore_errors=True)
    started = time.perf_counter()
    for command in HOST_BUILD[host]:
        done = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=folder, env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed in {folder}:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def host_serve_edits(folder: Path, host: str, partner: str, rounds: int) -> list[float]:
    """Seconds from saving a partner's new name to the served page showing it."""
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([str(BIN / HOST_SERVE[host]), "serve", "-a", f"127.0.0.1:{port}"], cwd=folder,
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partner_file = folder / "network" / "partners" / f"{partner}.yml"
    original = partner_file.read_text()

    def page() -> str:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/partners/{partner}/", timeout=30) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 600
        while text not in page():
            if time.monotonic() > deadline or process.poll() is not None:
                sys.exit(f"{host} serve never showed {text!r} in {folder}")
            time.sleep(0.05)

    seconds = []
    try:
        wait_for("</h1>")
        for r in range(rounds):
            time.sleep(1.5)
            name = f"Renamed partner {r}"
            before = partner_file.stat().st_mtime
            started = time.perf_counter()
            partner_file.write_text(re.sub(r"(?m)^    name: .*$", f"    name: {name}", original, count=1))
            later = max(time.time(), before + 1)  # Zensical compares modification times in whole seconds
            os.utime(partner_file, (later, later))
            wait_for(name)
            seconds.append(time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait(timeout=60)
        partner_file.write_text(original)
    return seconds


def bench_hosts(n: int, rounds: int, hosts: list[str], serve: bool) -> list[dict]:
    from partnerbook.cli.new import config_for_host

    results = []
    with tempfile.TemporaryDirectory(prefix=f"pb-hosts-{n}-") as tmp:
        source = Path(tmp) / "handbook"
        write_handbook(source, n)
        (source / "templates").mkdir(exist_ok=True)  # watched; MkDocs wants every `watch:` path to exist
        config = (source / "mkdocs.yml").read_text()
        (source / "mkdocs.yml").write_text(config_for_host(config + "markdown_extensions:\n", "zensical")[1])
        for host in hosts:
            book = Path(tmp) / host
            shutil.copytree(source, book)
            cold = [host_build(book, host, cold=True) for _ in range(rounds)]
            warm = [host_build(book, host, cold=False) for _ in range(rounds)]
            result = {"n": n, "host": host, "cold": statistics.median(cold), "warm": statistics.median(warm)}
            if serve:
                result["serve"] = statistics.median(host_serve_edits(book, host, pid(n // 2), rounds))
            results.append(result)
            print(f"N={n:,} {host}: cold {result['cold']:.2f} s, warm {result['warm']:.2f} s"
                  + (f", serve edit {result['serve']:.2f} s" if serve else ""), file=sys.stderr, flush=True)
    return results


def report_hosts(results: list[dict]) -> None:
    print()
    print("| N | host | cold build | warm build | serve edit → page shows it |")
    print("|---|---|---|---|---|")
    for r in results:
        serve = f"{r['serve']:.2f} s" if "serve" in r else "–"
        print(f"| {r['n']:,} | {r['host']} | {r['cold']:.2f} s | {r['warm']:.2f} s | {serve} |")


def report(results: list[dict]) -> None:
    print()
    print("| N | exchanges | floor build | cold | cold ÷ floor | warm | warm ÷ floor "
          "| serve rebuild (floor's) | serve ÷ floor build | analysis | peak memory (floor's) "
          "| site bytes per partner (floor's) | page bytes ours / floor |")
    print("|" + "---|" * 13)
    for r in results:
        serve = (f"{r['serve']:.2f} s ({r['floor_serve']:.2f} s) | {r['serve'] / r['floor']:.2f}×"
                 if "serve" in r else "– | –")
        print(f"| {r['n']:,} | {r['exchanges']:,} | {r['floor']:.2f} s | {r['cold']:.2f} s "
              f"| {r['cold'] / r['floor']:.2f}× "
              f"| {r['warm']:.2f} s | {r['warm'] / r['floor']:.2f}× | {serve} "
              f"| {r['analysis']:.2f} s ({100 * r['analysis'] / r['cold']:.1f}% of cold) "
              f"| {r['peak_mb']:.0f} MB ({r['floor_peak_mb']:.0f} MB) "
              f"| {r['site_bytes'] / r['n'] / 1024:.1f} KiB ({r['floor_bytes'] / r['n'] / 1024:.1f} KiB) "
              f"| {r['page_bytes'] / 1024:.1f} / {r['floor_page_bytes'] / 1024:.1f} KiB |")
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = (large["site_bytes"] / large["n"]) / (small["site_bytes"] / small["n"])
        print(f"\nsite bytes per partner, N={large['n']:,} ÷ N={small['n']:,}: {growth:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` rebuilds")
    parser.add_argument("--hosts", nargs="+", choices=tuple(HOST_BUILD), metavar="HOST",
                        help="instead: the same handbook under each of mkdocs, properdocs, zensical, side by side")
    args = parser.parse_args()
    if args.hosts:
        results = []
        for n in args.sizes:
            results += bench_hosts(n, args.rounds, args.hosts, serve=not args.no_serve)
        report_hosts(results)
        return
    results = []
    for n in args.sizes:
        started = time.perf_counter()
        results.append(bench(n, args.rounds, serve=not args.no_serve))
        print(f"N={n:,}: done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        report(results[-1:])
    report(results)


if __name__ == "__main__":
    main()
