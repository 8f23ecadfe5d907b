"""A process freezes its boot-time heap once its boot loads finish (core/heap.py): what exists then is out of the
collector's full passes, garbage is collected first, and nothing is frozen while a load still runs."""

from __future__ import annotations

import gc
import threading

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
        _Cycle()  # garbage in a reference cycle: collected, not frozen
        kept = _Cycle()
        release.set()
        freezer.join(30)
        assert gc.get_freeze_count() > 0
        frozen_types = {type(item) for item in gc.get_objects()}
        assert _Cycle not in frozen_types  # the live one is frozen (no longer listed), the garbage is gone
        assert kept.me is kept
    finally:
        gc.unfreeze()


def test_nothing_to_wait_for() -> None:
    assert freeze_after([None]) is None
