"""base/collector.py: the cycle collector paused for a load, and what is alive set aside for a build."""

from __future__ import annotations

import gc
import weakref

import pytest
from partnerbook.base import collector_paused
from partnerbook.base.collector import set_aside_alive, take_back


class Node:
    """An object in a reference cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> weakref.ref:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture(autouse=True)
def _collector_as_found():
    was_enabled = gc.isenabled()
    yield
    take_back()
    gc.enable() if was_enabled else gc.disable()


def test_a_pause_ends_with_the_block_also_when_it_raises():
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("a file that cannot be read")
    assert gc.isenabled()


def test_a_nested_pause_and_a_collector_already_off_stay_off():
    gc.enable()
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()  # the outer block is still loading
    assert gc.isenabled()
    gc.disable()  # an embedding program that turned it off itself
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_a_collection_asked_for_during_a_pause_still_frees_a_cycle():
    with collector_paused():
        cycle = _cycle()
        assert cycle() is not None
        gc.collect(0)  # a host's or a test's own collection still works; only the automatic ones wait
        assert cycle() is None


def test_what_is_set_aside_is_kept_from_collections_until_taken_back():
    cycle = _cycle()
    set_aside_alive()
    assert gc.get_freeze_count() > 0
    gc.collect()
    assert cycle() is not None  # kept for now; a server takes it back after each build
    take_back()
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert cycle() is None
