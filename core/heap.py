"""The garbage collector and the boot-time heap.

A process that loaded the embedding model (torch, transformers) and the agents' libraries holds ~800k objects
the cyclic collector tracks. They live as long as the process, yet every full (oldest-generation) collection
walks them all: 0.6-0.8 s with the GIL held on this machine, once every 2,000-6,000 inbox list requests (0.13-0.39
ms of each one's ~3-3.6 ms of CPU, amortised), and a pause that every request in flight waits out.
`gc.freeze()` moves what exists now to a permanent generation the collector no longer visits (what CPython's docs
suggest for long-lived startup state), so later collections walk only what the process allocated since.

`freeze_after(loads)` runs once the process's boot-time loads (the embedding model, the language identifier) have
finished, in a thread of its own. What is frozen is never freed by the collector, so the garbage is collected
first; the loads start once per process, so the freeze happens once per process.
"""

from __future__ import annotations

import gc
import logging
import threading
import time

log = logging.getLogger(__name__)
_lock = threading.Lock()


def freeze_after(loads: list[threading.Thread | None]) -> threading.Thread | None:
    """Freeze the heap once these boot-time loads have finished (None: a load this process had already started,
    whose caller froze after it); None when there is nothing new to wait for."""
    started = [load for load in loads if load is not None]
    if not started:
        return None

    def wait_then_freeze() -> None:
        for load in started:
            load.join()
        freeze_boot_heap()

    thread = threading.Thread(target=wait_then_freeze, name="heap-freeze", daemon=True)
    thread.start()
    return thread


def freeze_boot_heap() -> None:
    """Collect the garbage, then freeze every object that survives (moved out of the collector's reach)."""
    with _lock:
        started = time.perf_counter()
        gc.collect()
        gc.freeze()
        log.info("froze %d boot-time objects in %.2f s", gc.get_freeze_count(), time.perf_counter() - started)
