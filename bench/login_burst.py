"""`/health` latency alone and during a burst of failed logins: password hashing must not stall the event loop.

    .venv/bin/python -m bench.login_burst [--logins 16] [--rounds 3] [--hash-threads 2]

Starts the API (`influency serve`, one uvicorn process) on a free port against a throwaway embedded PostgreSQL,
registers one account, then measures `/health` (one request every 10 ms, for the same duration) twice: with
nothing else going on, and while `--logins` concurrent logins with a wrong password run (repeated `--rounds`
times). Prints p50/p95 of each, the p95 ratio (during / alone) and how long each burst of logins took.
Argon2 verification run on the event loop makes every `/health` wait behind the whole burst; in the password
thread pool (`PASSWORD_HASH_THREADS`) only the logins queue.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _health_latencies(http: httpx.AsyncClient, stop: asyncio.Event, interval: float = 0.01) -> list[float]:
    latencies: list[float] = []
    while not stop.is_set():
        started = time.perf_counter()
        response = await http.get("/health")
        response.raise_for_status()
        latencies.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(interval)
    return latencies


async def _wait_until_up(http: httpx.AsyncClient, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the API exited; see its log")
        try:
            if (await http.get("/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("the API did not come up within 60 s")


async def _failed_login(http: httpx.AsyncClient) -> None:
    response = await http.post("/auth/login", data={"username": "bench", "password": "wrong-password"})
    assert response.status_code == 401, response.text


async def _measure(base_url: str, logins: int, rounds: int) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=120,
                                 limits=httpx.Limits(max_connections=logins + 8)) as http:
        registered = await http.post("/auth/register/user", json={
            "email": "bench@example.com", "username": "bench", "password": "correct-horse-1",
            "full_name": "Bench", "company_name": "Bench"})
        registered.raise_for_status()
        await asyncio.gather(*(_failed_login(http) for _ in range(4)))  # warm-up: imports, pools, threads

        burst_seconds: list[float] = []
        stop = asyncio.Event()
        probe = asyncio.create_task(_health_latencies(http, stop))
        for _ in range(rounds):
            started = time.perf_counter()
            await asyncio.gather(*(_failed_login(http) for _ in range(logins)))
            burst_seconds.append(time.perf_counter() - started)
        stop.set()
        during = await probe

        stop = asyncio.Event()
        probe = asyncio.create_task(_health_latencies(http, stop))
        await asyncio.sleep(sum(burst_seconds))
        stop.set()
        alone = await probe

    p95_alone, p95_during = _percentile(alone, 0.95), _percentile(during, 0.95)
    print(f"/health alone:        p50 {statistics.median(alone):7.1f} ms   p95 {p95_alone:7.1f} ms   "
          f"({len(alone)} requests)")
    print(f"/health during burst: p50 {statistics.median(during):7.1f} ms   p95 {p95_during:7.1f} ms   "
          f"({len(during)} requests)")
    print(f"p95 ratio (during / alone): {p95_during / p95_alone:.1f}x")
    print(f"{logins} concurrent failed logins took: " + ", ".join(f"{s:.2f} s" for s in burst_seconds))


def main(logins: int, rounds: int, hash_threads: int | None) -> None:
    from core.settings import process_environment, set_process_defaults
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    set_process_defaults()
    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-login-"))
    url = start_embedded_postgres(data_dir, cleanup="delete")
    upgrade(url)
    port = _free_port()
    env = process_environment() | {
        "ENVIRONMENT": "development", "DATA_DIR": str(data_dir), "DATABASE_URL": url, "LOG_LEVEL": "WARNING",
        "BROKER_NAMESPACE": f"bench-{secrets.token_hex(4)}", "EMBEDDING_PROVIDER": "hash",
        "LLM_PROVIDER": "offline", "AUTH_RATE_LIMIT_PER_IP": "1000000", "AUTH_RATE_LIMIT_PER_ACCOUNT": "1000000",
    }
    if hash_threads:
        env["PASSWORD_HASH_THREADS"] = str(hash_threads)
    log = data_dir / "api.log"
    server = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=open(log, "ab"), stderr=subprocess.STDOUT)  # noqa: SIM115
    try:
        async def run() -> None:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                await _wait_until_up(http, server)
            await _measure(f"http://127.0.0.1:{port}", logins, rounds)

        print(f"API on port {port} (log: {log}); PASSWORD_HASH_THREADS={hash_threads or 'default'}")
        asyncio.run(run())
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logins", type=int, default=16, help="concurrent failed logins per burst")
    parser.add_argument("--rounds", type=int, default=3, help="bursts, one after the other")
    parser.add_argument("--hash-threads", type=int, default=None, help="PASSWORD_HASH_THREADS for the API")
    arguments = parser.parse_args()
    main(arguments.logins, arguments.rounds, arguments.hash_threads)
