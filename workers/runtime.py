"""Event loops for the async actors of a worker process (`WORKER_EVENT_LOOPS`).

`shared` (the default): one loop per worker process, as Dramatiq's `AsyncIO` middleware has it. Each worker
thread hands its job's coroutine to that loop and waits, so a process with T threads runs up to T jobs at once,
interleaved at every database, broker and SMTP round trip; CPU-bound throughput comes from worker processes
(`WORKER_PROCESSES`), because the threads of one process share the GIL whatever loop they run on.
`per_thread`: each worker thread gets its own loop thread, made when it runs its first async job, and runs its
jobs there one at a time, as it runs synchronous actors: one job that holds its loop (a synchronous call, a
CPU-heavy step) stalls only itself. The price, measured in `bench/reply_latency.py` and `bench/sending.py`
(README → Performance): T loop threads per process contend for the GIL and each loop keeps its own pools and
statement caches, so every turn and every email costs ~25-35 % more worker CPU, and 2 processes × 8 threads
moved 0.6-0.9x the turns and ~0.75x the emails of the shared loop. Nothing on the hot paths holds the loop
(embeddings, PDF and image work run in threads), so the shared loop is the default.

In both modes Dramatiq's `EventLoopThread` runs the loop, so an interrupt (time limit, shutdown) still cancels
the coroutine and waits for its clean-up. Loop-bound resources — the database engine, the checkpoint pool, the
Redis client, SMTP and LLM HTTP connections — are one per loop (`core/loops.py`); compiled graphs stay one per
process (`agents/runner.compiled_graph`: they hold no loop-bound state). At worker shutdown every loop closes
its resources, then stops. The loops are uvloop's (`WORKER_LOOP_IMPL`), as the API's are under uvicorn: a job is
mostly database and broker round trips, and the standard library's pure-Python transports and selector cost
more per round trip than libuv's.

Dramatiq's async actors call `dramatiq.asyncio.get_event_loop_thread().run_coroutine(...)`: the object installed
here answers that call on the shared loop, or on the calling thread's own.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable
from typing import Any, TypeVar

import dramatiq
import uvloop
from dramatiq.asyncio import EventLoopThread, set_event_loop_thread

from core.loops import close_loop_resources
from core.settings import get_settings

R = TypeVar("R")
log = logging.getLogger(__name__)
START_TIMEOUT = 10.0  # seconds for a new loop thread to start (Dramatiq's 1 s is tight on a loaded machine)
CLOSE_TIMEOUT = 10.0


class _Loops:
    """Stands in for Dramatiq's global event-loop thread; `run_coroutine` picks the loop."""

    def __init__(self, per_thread: bool, use_uvloop: bool = True) -> None:
        self.per_thread, self.use_uvloop = per_thread, use_uvloop
        self._local = threading.local()
        self._lock = threading.Lock()
        self._threads: list[EventLoopThread] = []
        self._shared: EventLoopThread | None = None if per_thread else self._start("shared")

    def run_coroutine(self, coro: Awaitable[R]) -> R:
        return self._loop_thread().run_coroutine(coro)

    def _loop_thread(self) -> EventLoopThread:
        if self._shared is not None:
            return self._shared
        thread: EventLoopThread | None = getattr(self._local, "thread", None)
        if thread is None:
            thread = self._local.thread = self._start(threading.current_thread().name)
        return thread

    def _start(self, owner: str) -> EventLoopThread:
        thread = EventLoopThread(log)
        if self.use_uvloop:  # Dramatiq's thread made a standard loop: swap it before the thread runs it
            thread.loop.close()
            thread.loop = uvloop.new_event_loop()
        thread.name, thread.daemon = f"event-loop:{owner}", True
        thread.start(timeout=START_TIMEOUT)
        with self._lock:
            self._threads.append(thread)
        return thread

    def loop_count(self) -> int:
        with self._lock:
            return len(self._threads)

    def stop(self) -> None:
        """Close each loop's resources in that loop, then stop it (the worker threads have stopped by now)."""
        with self._lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            try:
                thread.run_coroutine(_close_within(CLOSE_TIMEOUT))
            except Exception:
                log.exception("%s: closing its resources failed", thread.name)
            thread.stop()


async def _close_within(seconds: float) -> None:
    async with asyncio.timeout(seconds):
        await close_loop_resources()


class EventLoops(dramatiq.Middleware):  # type: ignore[misc]
    """Replaces Dramatiq's `AsyncIO` middleware (see the module docstring)."""

    def __init__(self) -> None:
        self.loops: _Loops | None = None

    def before_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        settings = get_settings()
        self.loops = _Loops(per_thread=settings.WORKER_EVENT_LOOPS == "per_thread",
                            use_uvloop=settings.WORKER_LOOP_IMPL == "uvloop")
        set_event_loop_thread(self.loops)  # type: ignore[arg-type]

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        if self.loops is not None:
            self.loops.stop()
        set_event_loop_thread(None)
        self.loops = None
