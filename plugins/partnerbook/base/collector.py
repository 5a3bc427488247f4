"""Python's cycle collector, paused while a burst of allocation builds long-lived data.

The collector runs a pass every few hundred new containers, and an old-generation pass
scans every object alive. Reading 1,000 data files (or unpickling the cache of their
checked network) makes about a million containers that all stay alive until the load is
done, so pass after pass scans a growing heap and finds nothing to free: at 1,000
partners that was more than half the time of the load. What such a load builds holds no
reference cycle that outlives it (nodes point to their children, records to their values),
so reference counting frees whatever it drops; the collector resumes afterwards and
catches anything else at its next pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The block runs without cycle collection; the collector's state before it is restored
    after it, also when the block raises (and a nested pause leaves it paused)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def set_aside_alive() -> None:
    """Leave every object alive now out of the collector's passes until `take_back`.

    Once a build has loaded its data and made its pages, that data (a million objects at
    1,000 partners) lives until the build ends; each old-generation pass the host's own
    rendering triggers would scan it all again for nothing. Set aside, the passes scan only
    what the host makes afterwards. Reference counting still frees set-aside objects that
    are dropped; only a cycle among them waits for `take_back`."""
    gc.freeze()


def take_back() -> None:
    """The objects `set_aside_alive` left out are collected as usual again (at the end of each build,
    so a server's rebuilds never pile up what an earlier build dropped)."""
    gc.unfreeze()
