"""The inbox benchmark for two versions of the code in one run: a change measured against its base under the same
load (on a shared machine, separate runs differ by more than most changes).

    git worktree add /tmp/inbox-base main     # or any checkout of the base
    .venv/bin/python -m bench.inbox_ab --base /tmp/inbox-base --rounds 3 --seconds 5

Seeds one database like `bench.inbox` (the migrations of this checkout: the base must run on that schema), starts
one API process from each checkout (`cli.main serve`, run with the checkout as its working directory so it imports
that code), then runs `GET /health`, the first inbox page and decisions against each in turn, alternating which
goes first every round. Prints every phase and the means: req/s, the ratio to that process's own `/health`, and
API and Postgres CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.inbox import _load, _pending_ids, _seed
from bench.sending import ROOT, _child_environment, _free_port, _stop


def _serve(checkout: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`influency serve` from `checkout`: its working directory comes first on `sys.path`, so it runs that code."""
    return subprocess.Popen([sys.executable, "-m", "cli.main", "serve"], cwd=checkout, env=env,
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)  # noqa: SIM115


async def _ready(base: str) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(1200):  # the embedding model loads at start: measured before it is in, the boot would count
            try:
                if (await client.get("/ready")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{base} never became ready")


async def main(base_dir: Path, approvals: int, campaigns: int, seconds: float, rounds: int) -> None:
    from core.settings import set_process_defaults

    set_process_defaults()
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-inbox-ab-"))
    url = start_embedded_postgres(data_dir, cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    db.reset_for_tests(url)
    environment = _child_environment(data_dir, url, _free_port(), _free_port(), 80)
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    for name, checkout in (("new", ROOT), ("base", base_dir)):
        port = _free_port()
        process = _serve(checkout, environment | {"PORT": str(port)}, data_dir / f"api-{name}.log")
        servers[name] = (process, f"http://127.0.0.1:{port}")
    results: dict[tuple[str, str], list[tuple[float, float, int, float, float, float]]] = {}
    try:
        headers, campaign_ids = await _seed(servers["new"][1], approvals, campaigns)
        for _, base in servers.values():
            await _ready(base)
        pending = iter(await _pending_ids(campaign_ids, 40_000))
        campaigns_cycle = itertools.cycle(campaign_ids)

        async def first_page(client: Any) -> Any:
            return await client.get("/approvals", headers=headers, params={
                "campaign_id": next(campaigns_cycle), "status": "pending", "limit": 50})

        async def decide(client: Any) -> Any:
            return await client.post(f"/approvals/{next(pending)}/decision", headers=headers,
                                     json={"action": "ignore"})

        for _, base in servers.values():  # warm both (first requests compile and prepare statements)
            await _load(base, 1.5, first_page)
        phases = (("health", lambda client: client.get("/health")), ("list", first_page), ("decide", decide))
        for round_ in range(rounds):
            for label, request in phases:
                for name in ("new", "base") if round_ % 2 == 0 else ("base", "new"):
                    process, base = servers[name]
                    figures = await _load(base, seconds, request, api_pid=process.pid, data_dir=data_dir)
                    results.setdefault((name, label), []).append(figures)
                    print(f"round {round_} {name:<4} {label:<6} {figures[0]:6.0f} req/s  p99 {figures[1]:5.0f} ms  "
                          f"API {figures[3]:.2f} ms  Postgres {figures[4]:.2f} ms  errors {figures[2]}  "
                          f"load {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        _stop([process for process, _ in servers.values()])
        await db.dispose_engine()
    for name in ("base", "new"):
        health = sum(figures[0] for figures in results[(name, "health")]) / rounds
        for label in ("list", "decide"):
            runs = results[(name, label)]
            rate = sum(figures[0] for figures in runs) / rounds
            print(f"{name:<4} {label:<6}: {rate:6.0f} req/s = {rate / health:.2f}x /health ({health:.0f} req/s)  "
                  f"CPU/request: API {sum(f[3] for f in runs) / rounds:.2f} ms, "
                  f"Postgres {sum(f[4] for f in runs) / rounds:.2f} ms")
    print(f"load average at the end: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="a checkout of the code to compare against")
    parser.add_argument("--approvals", type=int, default=100_000)
    parser.add_argument("--campaigns", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.base.resolve(), arguments.approvals, arguments.campaigns, arguments.seconds,
                     arguments.rounds))
