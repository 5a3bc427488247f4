"""Build-time benchmark: synthetic handbooks of N partners, cold (no diagram cache) and warm.

    python tests/bench/bench_build.py [N ...]      # default: 100 500 1000

Prints one line per size: partners, exchanges, check time, cold and warm build
time, Graphviz runs, site size. Not a test: timings belong here, never in asserts.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KINDS = ["business", "academic", "community", "civil-society", "government", "funder"]
ROLES = ["key-activities", "key-resources", "channels", "customer-segments", "value-propositions"]


def network_yaml(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["network: {name: Bench network, focal: p0, structure: hub-and-spoke, as_of: 2026-01-01}",
             "partners:", "  - {id: p0, name: Focal organisation}"]
    for i in range(1, n):
        inner = i % 3 == 0
        lines.append(
            f"  - {{id: p{i}, name: Partner number {i}, kind: {rng.choice(KINDS)}, "
            + ("network: ivn, ivn_criteria: [develops], " if inner else "network: ovn, ovn_type: complementor, ")
            + f"roles: [{rng.choice(ROLES)}], tags: [t{i % 7}]}}")
    lines.append("relationships:")
    for i in range(1, n):
        lines.append(f"  - {{from: p{i}, to: p0, deliverable: Work {i}, nature: tangible}}")
        other = rng.randrange(1, n)
        if other != i:
            lines.append(f"  - {{from: p{i}, to: p{other}, deliverable: Advice {i}, nature: intangible}}")
    lines.append("agreements:")
    for i in range(3, n, 3):
        lines.append(f"  - {{id: a{i}, title: Agreement {i}, parties: [p0, p{i}], status: signed, "
                     "scorecard: {who.partners: full, why.vision: partial}}")
    lines.append("funding:")
    for i in range(1, n, 10):
        lines.append(f"  - {{from: p{i}, to: p0, amount: {1000 * i}, currency: {'USD' if i % 20 == 1 else 'EUR'}}}")
    lines.append("decisions:")
    for d in range(5):
        members = ", ".join(f"p{j}: {{actual: informed, desired: consulted}}" for j in range(1 + d, n, 50))
        lines.append(f"  - {{id: d{d}, name: Decision {d}, participation: {{p0: decides, {members}}}}}")
    return "\n".join(lines) + "\n"


MKDOCS_YML = """site_name: Bench
docs_dir: content
theme: {name: material}
plugins: [search, partnerbook]
nav:
  - Home: index.md
  - Partners: partners/index.md
  - Roles: roles/index.md
  - Network: network/index.md
  - Agreements: agreements/index.md
  - Funding: funding/index.md
  - Power: power/index.md
  - Canvas: canvas/index.md
  - Health: health/index.md
"""


def run(args, cwd) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - started, result


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def bench(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content").mkdir()
        (root / "network").mkdir()
        (root / "content" / "index.md").write_text("# Bench\n\n```partnerbook\nview: health\n```\n")
        (root / "mkdocs.yml").write_text(MKDOCS_YML)
        (root / "network" / "network.yml").write_text(network_yaml(n))
        check_s, check = run([BIN / "partnerbook", "check"], root)
        cold_s, cold = run([BIN / "mkdocs", "build"], root)
        if cold.returncode != 0:
            sys.exit(cold.stderr[-2000:])
        warm_s, warm = run([BIN / "mkdocs", "build"], root)
        diagrams = [line for line in cold.stderr.splitlines() if "diagrams:" in line]
        exchanges = network_yaml(n).count("deliverable:")
        print(f"{n:>5} partners {exchanges:>5} exchanges | check {check_s:5.2f} s | "
              f"cold build {cold_s:6.2f} s | warm build {warm_s:6.2f} s | "
              f"{diagrams[0].split('partnerbook: ')[-1] if diagrams else ''} | site {size_mb(root / 'site'):6.1f} MB")
        shutil.rmtree(root / "site")


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [100, 500, 1000]:
        bench(size)
