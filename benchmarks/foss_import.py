"""Time `partnerbook import maintainers` on the CNCF's whole project-maintainers.csv (issue 26: under 5 s).

    python benchmarks/foss_import.py [ROUNDS] [FILE.csv]

Runs the command as a user does (a new process each round, into a fresh folder, the data checked
by the loader before it is written) and prints each round and the median. Not a test: the figures
go in notes, never in asserts. The default file is the copy in tests/data/foss/ (2,390 rows, ~250
projects, ~460 organisations).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CNCF = ROOT / "tests" / "data" / "foss" / "cncf-project-maintainers.csv"
BIN = Path(sys.executable).parent


def once(source: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one import; CPU time says what a shared, busy machine hides."""
    with tempfile.TemporaryDirectory(prefix="pb-foss-bench-") as temp:
        before = os.times()
        started = time.perf_counter()
        result = subprocess.run([str(BIN / "partnerbook"), "import", "maintainers", str(source), "--focal", "CNCF",
                                 "-o", str(Path(temp) / "network")], check=False, capture_output=True, text=True,
                                env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"})
        seconds = time.perf_counter() - started
        after = os.times()
        if result.returncode != 0:
            sys.exit(f"import failed:\n{result.stderr[-2000:]}")
        return seconds, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    source = Path(sys.argv[2]) if len(sys.argv) > 2 else CNCF
    runs = [once(source) for _ in range(rounds)]
    for n, (seconds, cpu) in enumerate(runs, 1):
        print(f"round {n}: {seconds:.2f} s ({cpu:.2f} s CPU)")
    print(f"partnerbook import maintainers {source.name}: median {statistics.median(r[0] for r in runs):.2f} s, "
          f"{statistics.median(r[1] for r in runs):.2f} s CPU, over {rounds} rounds (limit 5 s)")


if __name__ == "__main__":
    main()
