"""Generating the pages on two cores: a forked process renders the pages it takes from a queue
it shares with this one.

At 1,000 partners the pages take about four seconds to render on one core,
while the second core has nothing to do: Graphviz starts only once they are
rendered (their diagrams are what it draws). A forked child shares the loaded
data and templates for free; it renders the pages it takes and sends back
their Markdown, the HTML it parked in the stash (under numbers of its own, so
none collides with the parent's) and the diagrams its pages asked for, with
their DOT when the diagram cache does not already hold them.

A host's own loop that must go in its order shares its pages differently (`TwoEnds`: it takes them
from the front, the child from the back; hosts/mkdocs_pages.py).

Only where it is safe and pays: POSIX `fork`, more than one core, no other
thread in the process (a server runs several; forking one is not safe), and
enough pages to pay for the fork and the pickling. Whatever goes wrong in the
child, the parent renders the child's pages itself: the same pages, a little later.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any

MIN_PAGES = 400  # below this one core renders the pages in well under a second
MIN_DOWNLOAD_PARTNERS = 300  # GraphML, GEXF, JSON and CSV of fewer take a tenth of a second
_PIPE_CAPACITY = 65536  # what a pipe holds before a write blocks (Linux's default)
LOCK_SECONDS = 10.0  # TwoEnds' lock is held for a page number's update: longer means its holder died


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork(work: int, minimum: int = MIN_PAGES) -> bool:
    """Whether `work` items are worth a forked process, and forking is safe here."""
    return (work >= minimum and hasattr(os, "fork") and cores() > 1
            and threading.active_count() == 1)


class ChildFailed(Exception):
    """The forked child exited without a result: the caller does the work itself."""


class Forked:
    """`function()` run in a forked child; `result()` waits for its (pickled) return value.
    Call only where `can_fork` said yes. When the fork itself fails (a process limit, no memory),
    `result()` raises ChildFailed at once, and the caller does the work. A child whose result is
    wanted late runs `nice`r: it takes what the other processes leave of the cores."""

    def __init__(self, function: Callable[[], object], nice: int = 0):
        self.pid = -1  # the child's, once forked (result() and discard() need a started child)
        self._read_end = None
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        try:
            self.pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if self.pid == 0:  # the child: never returns
            # What it inherits is left out of its collections: they scan only what it makes, and
            # never write to the parent's objects (each write would copy a shared page).
            gc.freeze()
            if nice:
                with contextlib.suppress(OSError):
                    os.nice(nice)
            os.close(read_end)
            status = 1
            try:
                payload = pickle.dumps(function(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            except BaseException:  # noqa: BLE001  (the parent does the work itself)
                pass
            finally:
                os._exit(status)
        os.close(write_end)
        self._read_end = read_end
        _running.add(self)

    def result(self) -> Any:
        if self._read_end is None:
            raise ChildFailed()
        try:
            with os.fdopen(self._read_end, "rb") as pipe:
                payload = pipe.read()  # the child writes its result once this reads it
            status = os.waitpid(self.pid, 0)[1]
        except (OSError, ChildProcessError):  # e.g. SIGCHLD ignored: the child was reaped already
            raise ChildFailed() from None
        finally:
            self._read_end = None
            _running.discard(self)
        if os.waitstatus_to_exitcode(status) != 0:
            raise ChildFailed()
        try:
            return pickle.loads(payload)
        except Exception:  # noqa: BLE001
            raise ChildFailed() from None

    def discard(self) -> None:
        """Stop a child whose result is no longer wanted (the build failed), and reap it."""
        if self._read_end is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self._read_end)
        self._read_end = None
        _running.discard(self)


_running: set[Forked] = set()


@atexit.register
def _discard_running() -> None:
    """A build that stops early (an error, Ctrl-C) leaves no child drawing diagrams behind it."""
    for child in list(_running):
        child.discard()


def render_all(renders: list[Callable[[], Any]], renderer: Any, used: list[int] | None = None,
               work: int | None = None) -> list[Any]:
    """The Markdown of each page, in order; the renderer's stash and diagram set as if one process
    had rendered them all. `used` gets the number of processes that rendered them. `work`: what the
    pages cost in ordinary pages (a list page costs many), by default one each."""
    if not can_fork(len(renders) if work is None else work):
        return [render() for render in renders]
    queue = _PageQueue(len(renders))
    if queue.closed:
        return [render() for render in renders]
    child = Forked(lambda: _render_some(renders, queue, renderer))
    out: list[Any] = [None] * len(renders)  # every place is filled below
    mine = []
    try:
        for i in queue:
            out[i] = renders[i]()
            mine.append(i)
    finally:
        queue.close()
        try:
            theirs, markdown, entries, diagrams = child.result()
        except ChildFailed:
            markdown = None
    if markdown is None:
        for i in sorted(set(range(len(renders))) - set(mine)):
            out[i] = renders[i]()
        return out
    for i, text in zip(theirs, markdown, strict=True):
        out[i] = text
    if used is not None:
        used.append(2)
    renderer.stash.restore(entries)
    if renderer.diagrams is not None:
        # Their DOT is built where the diagrams are drawn, off this process (diagrams.start_rendering).
        renderer.diagrams.adopt(diagrams, renderer)
    return out


class _PageQueue:
    """The numbers of the pages still to render, shared by the parent and its forked child: each
    takes the next page when it is done with one, so both finish together whatever the pages cost
    (a list page costs fifty partner pages; the child pays for pickling what it made). A pipe filled
    once, before the fork: reads of one 4-byte number from it are atomic (a pipe's pages hold whole
    numbers), and an empty pipe whose writer is closed reads as the end."""

    SIZE = 4

    def __init__(self, count: int) -> None:
        self.closed = True
        data = b"".join(i.to_bytes(self.SIZE, "little") for i in range(count))
        if len(data) > _PIPE_CAPACITY:  # (a pipe holds 64 KiB: 16,384 pages)
            return
        try:
            self._read, write = os.pipe()
        except OSError:
            return
        try:
            os.write(write, data)  # within the capacity: never blocks, never short
        finally:
            os.close(write)
        self.closed = False

    def __iter__(self) -> Iterator[int]:
        while not self.closed:
            number = os.read(self._read, self.SIZE)
            if len(number) < self.SIZE:
                return
            yield int.from_bytes(number, "little")

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._read)


def _render_some(renders: list[Callable[[], Any]], queue: _PageQueue, renderer: Any) -> tuple:
    """In the child: the pages it took from `queue`, their Markdown, what they parked, and the
    diagrams they asked for."""
    stash, diagram_set = renderer.stash, renderer.diagrams
    first = stash.counter  # the child's views are put after the parent's (their keys are the pages' own)
    before = dict(diagram_set.labels) if diagram_set is not None else {}
    theirs, markdown = [], []
    for i in queue:
        markdown.append(renders[i]())
        theirs.append(i)
    diagrams = {}
    if diagram_set is not None:
        for key, label in diagram_set.labels.items():
            if before.get(key) != label:
                diagrams[key] = (diagram_set.jobs[key].engine, *label, diagram_set.asked[key])
    return theirs, markdown, stash.entries_from(first), diagrams


class LockLost(Exception):
    """The other process holds the lock for far longer than a page number takes: it died holding it."""


class TwoEnds:
    """The numbers of the pages, shared by this process and its forked child, when this one must
    take them in order (a host's own loop, hosts/mkdocs_pages.py): it takes the page it is at from
    the front, the child the last one left, until they meet."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self._ends = context.RawArray("i", [0, count])  # the next page of the front; the end of the back
        self._lock = context.Lock()

    def _locked(self) -> None:
        if not self._lock.acquire(timeout=LOCK_SECONDS):
            raise LockLost()

    def take_front(self, number: int) -> bool:
        self._locked()
        try:
            if number < self._ends[1]:
                self._ends[0] = number + 1
                return True
            return False
        finally:
            self._lock.release()

    def take_back(self) -> int | None:
        self._locked()
        try:
            if self._ends[1] > self._ends[0]:
                self._ends[1] -= 1
                return int(self._ends[1])
            return None
        finally:
            self._lock.release()

    def back(self) -> int:
        return int(self._ends[1])  # (once the child is done: it no longer moves)
