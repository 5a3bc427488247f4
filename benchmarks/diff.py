"""`partnerbook diff` on the synthetic 1,000-partner handbook with 20 changes (issue 31: under 5 s).

Writes the handbook (generate.py) into a git repository, commits it, makes 20 changes of every
kind (partners added, removed, renamed, moved; roles; exchanges; agreements; money; decisions),
commits them, and times the whole command, Python start-up included, as a user runs it:

    python benchmarks/diff.py [--partners 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import pid, write_handbook

BIN = Path(sys.executable).parent


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args], cwd=folder,
                   check=True, capture_output=True)


def twenty_changes(folder: Path) -> list[str]:
    """Edits the handbook in place; returns what each change was, in words."""
    data = folder / "network"
    done = []

    def partner_file(i: int) -> Path:
        return data / "partners" / f"{pid(i)}.yml"

    for i in (11, 12, 13, 14):  # four renamed
        path = partner_file(i)
        path.write_text(re.sub(r"(\n    name: )(.*)", r"\1\2 Renamed", path.read_text(), count=1))
        done.append(f"renamed {pid(i)}")
    for i in (21, 22, 23):  # three new partners, each delivering to the focal organisation
        (data / "partners" / f"new{i}.yml").write_text(
            f"partners:\n  - id: new{i}\n    name: Newcomer {i}\n    network: ovn\n    ovn_type: complementor\n"
            f"relationships:\n  - {{from: new{i}, to: {pid(0)}, deliverable: Advice, nature: intangible}}\n")
        done.append(f"added new{i}")
    referenced = (data / "agreements.yml").read_text() + (data / "funding.yml").read_text() + \
        (data / "decisions.yml").read_text()
    removed = 0
    n = len(list((data / "partners").glob("p*.yml")))
    for i in range(n - 100, n):  # two removed: partners no agreement, payment or decision names, nor any exchange
        others = "".join(partner_file(j).read_text() for j in range(n) if j != i and partner_file(j).exists())
        if pid(i) not in referenced and f"to: {pid(i)}" not in others and partner_file(i).exists():
            partner_file(i).unlink()
            done.append(f"removed {pid(i)}")
            removed += 1
            if removed == 2:
                break
    for i in (31, 32, 33):  # three whose roles change
        path = partner_file(i)
        path.write_text(re.sub(r"    roles: \[.*\]", "    roles: [key-partnerships]", path.read_text(), count=1))
        done.append(f"roles of {pid(i)}")
    for i in (41, 42):  # two moved to the other network, or their OVN type changed
        path = partner_file(i)
        text = path.read_text()
        if "network: ovn" in text:
            text = re.sub(r"    ovn_type: \w+", "    ovn_type: other", text)
        else:
            text = re.sub(r"    network: ivn\n    ivn_criteria: \[.*\]\n    strategy: .*", "    network: ovn\n"
                          "    ovn_type: supplier", text)
        path.write_text(text)
        done.append(f"moved {pid(i)}")
    agreements = data / "agreements.yml"
    text = agreements.read_text()
    for a in (1, 2):  # two agreements change status
        text = re.sub(rf"(id: a{a:04d}, .*?status: )\w+", r"\1terminated", text, count=1)
        done.append(f"status of a{a:04d}")
    agreements.write_text(text)
    funding = data / "funding.yml"  # two payments
    funding.write_text(funding.read_text() + f"  - {{from: new21, to: {pid(0)}, amount: 50000, currency: EUR, "
                       f"date: 2026-05-01}}\n  - {{from: {pid(0)}, to: {pid(50)}, amount: 7000, currency: USD, "
                       "date: 2026-04-01}\n")
    done += ["payment from new21", f"payment to {pid(50)}"]
    decisions = data / "decisions.yml"  # two decisions: a new seat, a level changed
    text = decisions.read_text()
    text = text.replace(f"participation: {{{pid(0)}: decides, ", f"participation: {{{pid(0)}: decides, "
                        f"{pid(60)}: co-decides, ", 1)
    text = re.sub(r"(id: d0001, .*?participation: \{p0000: decides, p\d{4}: \{actual: )\w+", r"\1decides", text,
                  count=1)
    decisions.write_text(text)
    done += ["seat for p0060", "level in d0001"]
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="partnerbook-bench-diff-") as scratch:
        folder = Path(scratch) / "handbook"
        write_handbook(folder, args.partners)
        git(folder, "init", "-q")
        git(folder, "add", "-A")
        git(folder, "commit", "-qm", "before")
        changes = twenty_changes(folder)
        git(folder, "add", "-A")
        git(folder, "commit", "-qm", "20 changes")
        times, cpu, lines = [], [], 0
        for _ in range(args.rounds):
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([str(BIN / "partnerbook"), "diff", "HEAD~1", "HEAD", str(folder)],
                                  capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # both processes of the command (it forks one)
            cpu.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
            if done.returncode != 0:
                sys.exit(f"partnerbook diff failed:\n{done.stderr}")
            lines = sum(1 for line in done.stdout.splitlines() if line.startswith("  - "))
        print(f"partnerbook diff, {args.partners} partners, {len(changes)} changes "
              f"({', '.join(changes)}): {lines} lines of changes reported")
        print(f"seconds per run: {', '.join(f'{t:.2f}' for t in times)}; median {statistics.median(times):.2f} "
              f"(CPU seconds, both processes: median {statistics.median(cpu):.2f}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
