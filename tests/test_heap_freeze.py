"""A process freezes its boot-time heap once its boot loads finish (core/heap.py): what exists then is out of the
collector's full passes, garbage is collected first, and nothing is frozen while a load still runs."""

from __future__ import annotations

import gc
import threading
import weakref

from core.heap import freeze_after


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_freezes_after_the_loads_and_collects_garbage_first() -> None:
    release = threading.Event()
    load = threading.Thread(target=release.wait, daemon=True)
    load.start()
    gc.unfreeze()
    try:
        freezer = freeze_after([load, None])
        assert freezer is not None
        freezer.join(0.2)
        assert freezer.is_alive() and gc.get_freeze_count() == 0  # the load still runs: nothing frozen yet
        garbage = weakref.ref(_Cycle())  # unreachable, kept alive only by its own reference cycle
        assert garbage() is not None
        kept = _Cycle()
        release.set()
        freezer.join(30)
        assert gc.get_freeze_count() > 0
        assert garbage() is None  # collected before the freeze, not frozen forever
        assert not any(item is kept for item in gc.get_objects())  # the live one is frozen: out of the collector's view
        assert kept.me is kept
    finally:
        gc.unfreeze()


def test_nothing_to_wait_for() -> None:
    assert freeze_after([None]) is None
