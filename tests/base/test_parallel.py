"""base/parallel.py: pages rendered on two cores come back in order, whichever process took
them, and a child that fails costs time, not pages.

Each case runs in a fresh interpreter: a test worker has threads (xdist's), and a process with
threads never forks (parallel.can_fork)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROGRAM = textwrap.dedent("""
    import json, os, sys, time
    from partnerbook.base import parallel

    class Stash:
        def __init__(self):
            self.entries = {}
        @property
        def counter(self):
            return len(self.entries)
        def entries_from(self, first):
            return dict(list(self.entries.items())[first:])
        def restore(self, entries):
            self.entries.update(entries)

    class Renderer:
        def __init__(self):
            self.stash, self.diagrams = Stash(), None

    parent, mode = os.getpid(), sys.argv[1]
    renderer = Renderer()
    count = int(sys.argv[2])

    def render(i):
        if mode == "fail" and os.getpid() != parent and i > 3:
            os._exit(3)  # the child dies after some pages
        if i % 50 == 0:
            time.sleep(0.05)  # a list page among partner pages
        renderer.stash.entries[f"page{i}.0"] = f"<table>{i}</table>"
        return f"page {i} by {'parent' if os.getpid() == parent else 'child'}"

    used = []
    out = parallel.render_all([lambda i=i: render(i) for i in range(count)], renderer, used)
    print(json.dumps({"out": out, "used": used, "stash": renderer.stash.entries}))
""")


def _run(mode: str, count: int) -> dict:
    result = subprocess.run([sys.executable, "-c", PROGRAM, mode, str(count)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_pages_come_back_in_order_from_both_processes_with_their_views():
    result = _run("ok", 600)
    numbers = [int(line.split()[1]) for line in result["out"]]
    assert numbers == list(range(600))
    assert result["used"] == [2]
    by = {line.split()[-1] for line in result["out"]}
    assert by == {"parent", "child"}  # each took pages from the shared queue
    # Every page's view is in the parent's stash, the child's included.
    assert result["stash"] == {f"page{i}.0": f"<table>{i}</table>" for i in range(600)}


def test_a_child_that_dies_leaves_its_pages_to_the_parent():
    result = _run("fail", 600)
    assert [line.split()[1] for line in result["out"]] == [str(i) for i in range(600)]
    assert all(line.endswith("by parent") for line in result["out"])
    assert result["used"] == []  # one process rendered them
    assert len(result["stash"]) == 600


def test_too_few_pages_stay_in_one_process():
    result = _run("ok", 10)
    assert all(line.endswith("by parent") for line in result["out"]) and result["used"] == []
