"""Async actors' event loops (`workers/runtime.py`). `WORKER_EVENT_LOOPS=shared` (the default): every thread's jobs
run at the same time on one loop with one database engine. `per_thread`: jobs on different threads never share
a loop, each loop gets its own engine (`core/loops.py`). In both, at shutdown every loop's pooled connections are
closed. The loops are uvloop's unless `WORKER_LOOP_IMPL=asyncio`.

A real Dramatiq `Worker` on a throwaway stub broker, with the project's middleware, against the real database."""

from __future__ import annotations

import asyncio
import threading
import time

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import text

from core.settings import get_settings
from workers.runtime import EventLoops

THREADS = 4
JOBS = 24


async def _connections() -> int:
    from store.db import unit_of_work

    async with unit_of_work() as session:
        return int((await session.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend'"))).scalar_one())


def _run_worker(monkeypatch: pytest.MonkeyPatch, mode: str) -> tuple[list[tuple[int, int, int]], int]:
    """Run JOBS async jobs on a THREADS-thread worker; (thread id, loop id, engine id) per job and the most jobs
    seen running at once."""
    monkeypatch.setattr(get_settings(), "WORKER_EVENT_LOOPS", mode)
    broker = StubBroker()
    broker.add_middleware(EventLoops())
    broker.emit_after("process_boot")
    seen: list[tuple[int, int, int]] = []
    running, peak, lock = 0, 0, threading.Lock()

    @dramatiq.actor(broker=broker, actor_name="loops.probe", max_retries=0)
    async def probe() -> None:
        nonlocal running, peak
        from store.db import get_engine, unit_of_work

        with lock:
            running += 1
            peak = max(peak, running)
        try:
            async with unit_of_work() as session:
                assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
                await asyncio.sleep(0.05)  # holds its connection while the other threads' jobs start
            with lock:
                seen.append((threading.get_ident(), id(asyncio.get_running_loop()), id(get_engine())))
        finally:
            with lock:
                running -= 1

    for _ in range(JOBS):
        probe.send()
    worker = dramatiq.Worker(broker, worker_threads=THREADS, worker_timeout=50)
    worker.start()
    try:
        broker.join(probe.queue_name, timeout=60_000)
        worker.join()
    finally:
        worker.stop()
    return seen, peak


async def test_each_worker_thread_runs_its_jobs_on_its_own_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    before = await _connections()
    seen, peak = await asyncio.to_thread(_run_worker, monkeypatch, "per_thread")
    assert len(seen) == JOBS
    loops_by_thread: dict[int, set[int]] = {}
    for thread, loop, _ in seen:
        loops_by_thread.setdefault(thread, set()).add(loop)
    assert all(len(loops) == 1 for loops in loops_by_thread.values())  # a thread keeps its loop
    loops = {loop for _, loop, _ in seen}
    assert len(loops) == len(loops_by_thread) > 1  # no two threads share one
    engines_by_loop = {loop: engine for _, loop, engine in seen}
    assert len(set(engines_by_loop.values())) == len(loops)  # one engine (pool) per loop
    assert peak > 1
    assert await _connections() <= before  # every loop's pool closed at shutdown


async def test_shared_mode_keeps_one_loop_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    before = await _connections()
    seen, peak = await asyncio.to_thread(_run_worker, monkeypatch, "shared")
    assert len(seen) == JOBS
    assert len({loop for _, loop, _ in seen}) == 1 and len({engine for _, _, engine in seen}) == 1
    assert peak > 1  # the shared loop interleaves the threads' jobs
    assert await _connections() <= before  # its pool closed at shutdown


def test_a_thread_that_never_ran_an_async_job_has_no_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "WORKER_EVENT_LOOPS", "per_thread")
    middleware = EventLoops()
    middleware.before_worker_boot(None, None)  # type: ignore[arg-type]
    try:
        assert middleware.loops is not None and middleware.loops.loop_count() == 0
        started = time.monotonic()
        assert middleware.loops.run_coroutine(asyncio.sleep(0, result=7)) == 7
        assert middleware.loops.loop_count() == 1 and time.monotonic() - started < 10
    finally:
        middleware.after_worker_shutdown(None, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("impl", "loop_type"), [("uvloop", "uvloop.Loop"), ("asyncio", "asyncio.")])
def test_the_loops_are_uvloop_unless_asked_otherwise(monkeypatch: pytest.MonkeyPatch, impl: str,
                                                      loop_type: str) -> None:
    monkeypatch.setattr(get_settings(), "WORKER_EVENT_LOOPS", "per_thread")
    monkeypatch.setattr(get_settings(), "WORKER_LOOP_IMPL", impl)
    middleware = EventLoops()
    middleware.before_worker_boot(None, None)  # type: ignore[arg-type]

    async def loop_class() -> str:
        loop = type(asyncio.get_running_loop())
        return f"{loop.__module__}.{loop.__qualname__}"

    try:
        assert middleware.loops is not None
        assert middleware.loops.run_coroutine(loop_class()).startswith(loop_type)
    finally:
        middleware.after_worker_shutdown(None, None)  # type: ignore[arg-type]
