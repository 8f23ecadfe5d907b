"""The approval inbox at scale: list and decide throughput as a ratio of `GET /health` on the same API process.

    .venv/bin/python -m bench.inbox --approvals 100000 --campaigns 100 --seconds 10 --rounds 3

Seeds one organization with --campaigns campaigns and --approvals pending shortlist approvals spread over them
(one INSERT ... SELECT, then VACUUM ANALYZE — what autovacuum does shortly after a bulk load; without it every
index-only count visits the heap), then, with 8 concurrent clients against a real API process served the way
`influency up` serves it (`influency serve`: uvicorn, uvloop, 1 process): `GET /health`;
`GET /approvals?campaign_id=&status=pending` (first page, and pages 2+ by `cursor`: each campaign paged to its
end, then started again); `POST
/approvals/{id}/decision` (ignore: closes the item, enqueues its run's resume in the outbox). Prints req/s, p99,
the ratio to /health, and the CPU time per request of the API process, of Postgres and of the load client (from
/proc: a figure the other load on a shared machine disturbs much less than req/s). All four are measured in each
of --rounds rounds, each ratio against the /health of its own round; the RESULT line gives the median round's
ratio and the range. Goals (issue #17): list ≥ 0.5×, decide ≥ 0.35×.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.sending import _child_environment, _free_port, _percentile, _spawn, _stop

REQUEST = ('{"kind": "shortlist", "action_id": "shortlist:1", "description": "Approve the shortlist?", '
           '"action_request": {"action": "approve_shortlist", "args": {"creator_ids": []}}, '
           '"config": {"allow_accept": true, "allow_edit": true, "allow_respond": true, "allow_ignore": true}}')


async def _seed(base: str, approvals: int, campaigns: int) -> tuple[dict[str, str], list[str]]:
    import httpx
    from sqlalchemy import select, text

    from store import db
    from store.db import unit_of_work
    from store.models import AgentRun, Campaign, CampaignStatus, RunKind, RunStatus, User

    async with httpx.AsyncClient(base_url=base) as client:
        # `/ready`, not `/health`: the API's start-up loads (the embedding model, then the heap freeze) run in a
        # thread that holds the GIL for seconds, and would slow whichever measurement they overlap
        started = time.perf_counter()
        for _ in range(1200):
            try:
                if (await client.get("/ready")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        else:
            raise RuntimeError("the API did not report ready within 120 s")
        await asyncio.sleep(1.0)  # the heap freeze follows the model's load
        print(f"API ready in {time.perf_counter() - started:.1f} s")
        await client.post("/auth/register/user", json={
            "email": "bench@example.com", "username": "bench", "password": "correct-horse-1",
            "full_name": "Bench", "company_name": "Bench"})
        tokens = (await client.post("/auth/login", data={"username": "bench", "password": "correct-horse-1"})).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    async with unit_of_work() as session:
        user = (await session.execute(select(User).where(User.username == "bench"))).scalar_one()
        campaign_ids = []
        for index in range(campaigns):
            campaign = Campaign(organization_id=user.organization_id, created_by_id=user.id, name=f"C{index}",
                                status=CampaignStatus.active, brief={"product": "Bench bar"})
            session.add(campaign)
            await session.flush()
            session.add(AgentRun(organization_id=user.organization_id, campaign_id=campaign.id, kind=RunKind.discovery,
                                 idempotency_key=f"bench:{index}", input={}, status=RunStatus.waiting_approval))
            campaign_ids.append(str(campaign.id))
        await session.flush()
        started = time.perf_counter()
        await session.execute(text("""
            INSERT INTO approvals (id, organization_id, campaign_id, run_id, action_id, kind, status, request,
                                   reasoning, created_at, updated_at)
            SELECT gen_random_uuid(), r.organization_id, r.campaign_id, r.id, 'shortlist:' || g, 'shortlist',
                   'pending', CAST(:request AS jsonb), '', now() - g * interval '1 second', now()
            FROM generate_series(1, :total) AS g
            JOIN LATERAL (SELECT * FROM agent_runs WHERE organization_id = :org
                          ORDER BY id OFFSET (g % :campaigns) LIMIT 1) AS r ON true"""),
            {"request": REQUEST, "total": approvals, "org": user.organization_id, "campaigns": campaigns})
    async with db.get_engine().execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
        await connection.execute(text("VACUUM ANALYZE approvals"))
    print(f"seeded {approvals} pending approvals over {campaigns} campaigns in {time.perf_counter() - started:.0f} s")
    return headers, campaign_ids


async def _pending_ids(campaign_ids: list[str], count: int) -> list[str]:
    from sqlalchemy import text

    from store.db import unit_of_work

    async with unit_of_work() as session:
        rows = await session.execute(text("SELECT id FROM approvals WHERE status = 'pending' LIMIT :n"), {"n": count})
        return [str(row[0]) for row in rows]


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each of these processes so far (Linux /proc; a process that is gone is left
    out)."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def _cpu_spent(before: dict[int, float], pids: list[int]) -> float:
    """CPU seconds spent since `before` by these processes (one started since then counts from zero)."""
    return sum(now - before.get(pid, 0.0) for pid, now in _cpu_seconds(pids).items())


def _postgres_pids(data_dir: Path) -> list[int]:
    """The embedded server's processes: its postmaster (command line names the data directory) and children."""
    postmasters, parents = set(), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, PermissionError):
            continue
        if b"postgres" in command and str(data_dir).encode() in command:
            postmasters.add(int(entry.name))
    return [pid for pid, parent in parents.items() if pid in postmasters or parent in postmasters]


async def _load(base: str, seconds: float, request: Any, concurrency: int = 8, api_pid: int = 0,
                data_dir: Path | None = None) -> tuple[float, float, int, float, float, float]:
    """req/s, p99 ms, errors, and ms of CPU per request in the API process, in Postgres (the server under
    `data_dir`, its backends included) and in this process (the load client): `request(client)` in a loop from
    `concurrency` clients for `seconds`."""
    import httpx

    postgres = (lambda: _postgres_pids(data_dir)) if data_dir else list
    api_before, postgres_before = _cpu_seconds([api_pid]), _cpu_seconds(postgres())
    client_before = _cpu_seconds([os.getpid()])
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        async def loop() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                started = time.perf_counter()
                response = await request(client)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code >= 400
        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    count = max(len(latencies), 1)
    return (len(latencies) / elapsed, _percentile(latencies, 0.99), errors,
            1000 * _cpu_spent(api_before, [api_pid]) / count, 1000 * _cpu_spent(postgres_before, postgres()) / count,
            1000 * _cpu_spent(client_before, [os.getpid()]) / count)


async def main(approvals: int, campaigns: int, seconds: float, rounds: int) -> None:
    from core.settings import set_process_defaults

    set_process_defaults()
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-inbox-"))
    url = start_embedded_postgres(data_dir, cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    db.reset_for_tests(url)
    port = _free_port()
    env = _child_environment(data_dir, url, _free_port(), _free_port(), 80) | {"PORT": str(port)}
    api = _spawn([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], env, data_dir / "api.log")
    base = f"http://127.0.0.1:{port}"
    measured: list[dict[str, tuple[float, float, int, float, float, float]]] = []
    try:
        headers, campaign_ids = await _seed(base, approvals, campaigns)
        campaigns_cycle = itertools.cycle(campaign_ids)
        cursors: dict[str, str] = {}

        async def first_page(client: Any) -> Any:
            return await client.get("/approvals", headers=headers, params={
                "campaign_id": next(campaigns_cycle), "status": "pending", "limit": 50})

        async def next_page(client: Any) -> Any:
            campaign = next(campaigns_cycle)
            params = {"campaign_id": campaign, "status": "pending", "limit": 50}
            if campaign in cursors:
                params["cursor"] = cursors[campaign]
            response = await client.get("/approvals", headers=headers, params=params)
            if response.status_code == 200:
                # past a campaign's last page start it again: requests for the empty page after the last one
                # would be cheaper than any real page and flatter the figure
                if cursor := response.json()["next_cursor"]:
                    cursors[campaign] = cursor
                else:
                    cursors.pop(campaign, None)
            return response

        to_decide = iter(await _pending_ids(campaign_ids, 40_000))

        async def decide(client: Any) -> Any:
            return await client.post(f"/approvals/{next(to_decide)}/decision", headers=headers,
                                     json={"action": "ignore"})

        # each round measures /health and then each request kind, so every ratio has a baseline taken moments
        # before it; the median round stands (on a shared machine one /health figure alone varies by ±10 %)
        for _ in range(rounds):
            figures = {"health": await _load(base, seconds, lambda c: c.get("/health"), api_pid=api.pid,
                                             data_dir=data_dir)}
            for kind, request in (("list", first_page), ("cursor", next_page), ("decide", decide)):
                figures[kind] = await _load(base, seconds, request, api_pid=api.pid, data_dir=data_dir)
            measured.append(figures)
    finally:
        _stop([api])
        await db.dispose_engine()
    load = os.getloadavg()[0]
    labels = {"list": "GET /approvals (first page)", "cursor": "GET /approvals (cursor pages)",
              "decide": "POST /approvals/{id}/decision"}
    for number, figures in enumerate(measured, 1):
        health = figures["health"]
        print(f"round {number}: {'GET /health':<30}: {health[0]:6.0f} req/s  p99 {health[1]:5.0f} ms          "
              f"CPU/request: API {health[3]:.2f} ms, load client {health[5]:.2f} ms")
        for kind, label in labels.items():
            result = figures[kind]
            print(f"round {number}: {label:<30}: {result[0]:6.0f} req/s  p99 {result[1]:5.0f} ms  "
                  f"{result[0] / health[0]:.2f}x /health  CPU/request: API {result[3]:.2f} ms, Postgres "
                  f"{result[4]:.2f} ms, load client {result[5]:.2f} ms  errors {result[2]}")
    ratios = {kind: sorted(figures[kind][0] / figures["health"][0] for figures in measured) for kind in labels}
    summary = " ".join(f"{kind}_vs_health={statistics.median(values):.2f} ({values[0]:.2f}-{values[-1]:.2f})"
                       for kind, values in ratios.items())
    print(f"RESULT inbox approvals={approvals} rounds={rounds} {summary} load={load:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--approvals", type=int, default=100_000)
    parser.add_argument("--campaigns", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of all four measurements; the median stands")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.approvals, arguments.campaigns, arguments.seconds, arguments.rounds))
