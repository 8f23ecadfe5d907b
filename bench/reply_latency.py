"""Orchestration latency: a committed outbox row → its actor running in a worker process, event-driven vs polling.

    .venv/bin/python -m bench.reply_latency --paced 60 --burst 400

Every step of a reply's path (webhook → `inbound.process` → `negotiation.turn` → approval) is such a hop: a
row committed with the decision, the relay moving it to Redis, an idle worker fetching it. The agent work itself
was < 100 ms; the hops were ~560 ms of the 685 ms (two 0.2 s relay polls plus the consumer's 1 s idle back-off).
Here each hop is a `system.ping` job whose marker the worker logs; this process tails the worker's log and takes
the record's timestamp (1 ms resolution) as the moment the actor ran.

Two configurations, each with a fresh relay + worker (1 process, 4 threads) on a throwaway embedded Postgres and
its own Redis namespace:
- `polling` (before): relay polls every 0.2 s, interactive consumer backs off to 1 s;
- `event-driven` (now): relay LISTENs for the outbox insert trigger's NOTIFY, consumer backs off to 10 ms.
Paced: one commit every 50 ms → p50/p95 hop latency. Burst: --burst commits from 8 concurrent writers → hops/s.
`GET /health` on a real API process (uvicorn) in the same run gives the baseline: its p50 latency and req/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

from bench.sending import _child_environment, _free_port, _percentile, _spawn, _stop


class _LogTail:
    """Reads the worker's log as it grows: when each `system.ping <marker>` ran, by the record's own timestamp
    (ms; Dramatiq relays its workers' logs through a pipe to the parent, so the moment a line lands in the file
    is later than the moment the actor ran). Times are wall-clock seconds, like the commits'."""

    def __init__(self, path: Path) -> None:
        self.path, self.seen = path, {}  # type: ignore[var-annotated]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self.path.exists():
            time.sleep(0.01)
        with open(self.path, "rb") as log:
            pending = b""
            while not self._stop.is_set():
                chunk = log.read()
                if not chunk:
                    time.sleep(0.001)
                    continue
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if b"system.ping bench-" in line:
                        marker = line.split(b"system.ping ", 1)[1].split()[0].decode()
                        stamp = datetime.strptime(line[1:24].decode(), "%Y-%m-%d %H:%M:%S,%f")
                        self.seen.setdefault(marker, stamp.timestamp())

    def stop(self) -> None:
        self._stop.set()


async def _commit_ping(marker: str) -> float:
    from store.db import unit_of_work
    from store.jobs import SYSTEM_PING, Ping
    from store.outbox.repository import OutboxRepository

    async with unit_of_work() as session:
        await OutboxRepository(session).enqueue(SYSTEM_PING, Ping(marker=marker), marker)
    return time.time()


async def _wait_seen(tail: _LogTail, markers: list[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(m in tail.seen for m in markers):  # noqa: ASYNC110 (a thread fills it)
        await asyncio.sleep(0.01)


async def _measure(tail: _LogTail, paced: int, burst: int) -> dict[str, float]:
    warm = [f"bench-warm-{uuid.uuid4().hex[:8]}" for _ in range(5)]
    for marker in warm:
        await _commit_ping(marker)
    await _wait_seen(tail, warm, 60)
    committed: dict[str, float] = {}
    for _ in range(paced):
        marker = f"bench-{uuid.uuid4().hex[:12]}"
        committed[marker] = await _commit_ping(marker)
        await asyncio.sleep(0.05)
    await _wait_seen(tail, list(committed), 30)
    latencies = [(tail.seen[m] - t) * 1000 for m, t in committed.items() if m in tail.seen]
    markers = [f"bench-{uuid.uuid4().hex[:12]}" for _ in range(burst)]
    gate = asyncio.Semaphore(8)

    async def one(marker: str) -> None:
        async with gate:
            await _commit_ping(marker)

    started = time.time()
    await asyncio.gather(*(one(m) for m in markers))
    await _wait_seen(tail, markers, 120)
    finished = max((tail.seen[m] for m in markers if m in tail.seen), default=started)
    return {"p50": statistics.median(latencies), "p95": _percentile(latencies, 0.95),
            "burst_per_s": sum(m in tail.seen for m in markers) / (finished - started)}


async def _health(port: int, seconds: float = 5.0) -> dict[str, float]:
    import httpx

    url = f"http://127.0.0.1:{port}/health"
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                if (await client.get(url)).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        latencies = []
        for _ in range(50):
            started = time.perf_counter()
            await client.get(url)
            latencies.append((time.perf_counter() - started) * 1000)
        count, deadline = 0, time.monotonic() + seconds

        async def loop() -> None:
            nonlocal count
            while time.monotonic() < deadline:
                await client.get(url)
                count += 1

        await asyncio.gather(*(loop() for _ in range(8)))
    return {"p50": statistics.median(latencies), "per_s": count / seconds}


async def main(paced: int, burst: int) -> None:
    from core.settings import set_process_defaults

    set_process_defaults()
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-latency-"))
    url = start_embedded_postgres(data_dir, cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    db.reset_for_tests(url)
    python = sys.executable
    api_port = _free_port()
    base = _child_environment(data_dir, url, _free_port(), _free_port(), 80) | {"LOG_LEVEL": "INFO",
                                                                                   "PORT": str(api_port)}
    api = _spawn([python, "-m", "cli.main", "serve", "--port", str(api_port)], base, data_dir / "api.log")
    results: dict[str, dict[str, float]] = {}
    try:
        health = await _health(api_port)
        configs = {"polling": {"OUTBOX_RELAY_LISTEN": "false", "OUTBOX_RELAY_FALLBACK_POLL_SECONDS": "0.2",
                               "WORKER_INTERACTIVE_IDLE_POLL_MS": "1000"},
                   "event-driven": {}}
        for name, overrides in configs.items():
            env = base | overrides | {"BROKER_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}"}
            log = data_dir / f"worker-{name}.log"
            processes = [_spawn([python, "-m", "dramatiq", "workers.actors", "--processes", "1", "--threads", "4"],
                                env, log),
                         _spawn([python, "-m", "cli.main", "relay"], env, data_dir / f"relay-{name}.log")]
            tail = _LogTail(log)
            try:
                results[name] = await _measure(tail, paced, burst)
            finally:
                tail.stop()
                _stop(processes)
    finally:
        _stop([api])
        await db.dispose_engine()
    load = os.getloadavg()
    print(f"GET /health (same run): p50 {health['p50']:.1f} ms, {health['per_s']:.0f} req/s (8 concurrent)")
    for name, figures in results.items():
        print(f"{name:>12}: commit → actor p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms (paced, "
              f"{paced}); burst {figures['burst_per_s']:.0f} hops/s ({burst} commits, 8 writers)")
    now = results["event-driven"]
    print(f"RESULT reply_hop p50_ms={now['p50']:.0f} p95_ms={now['p95']:.0f} burst_per_s={now['burst_per_s']:.0f} "
          f"p95_vs_health_p50={now['p95'] / health['p50']:.1f}x load={load[0]:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paced", type=int, default=60)
    parser.add_argument("--burst", type=int, default=400)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.paced, arguments.burst))
