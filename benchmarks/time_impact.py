"""Time the impact analysis alone (and the health report that ranks by it) on synthetic handbooks.

    python benchmarks/time_impact.py [N ...]      # default: 1000 3000

Not a build benchmark (that is benchmarks/run.py, which the lead runs): this loads each
generated network once and times `network_impact` + ranking every partner, then the
health report, best of three runs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import write_handbook
from partnerbook.analysis.health import health_report
from partnerbook.analysis.impact import network_impact
from partnerbook.analysis.index import NetworkIndex
from partnerbook.base.urls import SitePaths
from partnerbook.data.load import load_network
from partnerbook.site.context import Renderer

try:
    from partnerbook.analysis.money import compute_money
except ImportError:  # before money.py: impact without money
    compute_money = None


def best_of(runs: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(sizes: list[int]) -> None:
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            write_handbook(Path(folder), n)
            network = load_network(Path(folder) / "network", root=Path(folder)).network
            money = compute_money(network) if compute_money else None

            def impacts():
                result = network_impact(network, money)  # noqa: B023  (called in this iteration)
                result.ranked()
                return result

            seconds, result = best_of(3, impacts)
            index = NetworkIndex(network)
            report_seconds, _ = best_of(3, lambda: health_report(network, index, impacts=result))  # noqa: B023  (called in this iteration)
            cutting = sum(1 for i in result.ranked() if i.cut_off)
            print(f"{n} partners: impact {seconds:.3f} s ({cutting} partners cut others off, "
                  f"money {'in' if money else 'not computed'}); health report with it {report_seconds:.3f} s")

            renderer = Renderer(network, SitePaths(), True)
            started = time.perf_counter()
            for partner in network.partners:
                renderer.page(f"partners/{partner.id}.md").view_html("impact", focus=partner.id)
            views = time.perf_counter() - started
            health = len(renderer.page("health/index.md").view_html("health").encode())
            full = len(renderer.page("health/all.md").view_html("health", full=True).encode())
            ranking = len(renderer.page("impact/index.md").view_html("impact-ranking").encode())
            print(f"  #impact sections of all {n} partner pages rendered in {views:.2f} s; health view "
                  f"{health / 1000:.0f} kB, its full lists {full / 1000:.0f} kB, "
                  f"partners by impact {ranking / 1000:.0f} kB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 3000])
