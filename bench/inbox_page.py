"""The console inbox page with a full inbox: server time to render 50 items out of 10,000 pending approvals.

    .venv/bin/python -m bench.inbox_page --pending 10000 --requests 100

Loads one organization with `--pending` pending approvals (20 campaigns, message / offer / shortlist / contract /
payment kinds, email and WhatsApp, some escalated) into a throwaway embedded PostgreSQL, signs in through the
console's form, then times in-process requests (httpx over ASGI: no network, so wall time is server time):

- `GET /app/inbox` (the whole page: filters, 50 rows), `GET /app/inbox/items` (what the page polls every 3 s),
  the same with filters, and one approval's card;
- baseline in the same run: the API's `GET /approvals?status=pending&limit=50` (JSON, no joins).

Prints p50 / p95 in ms and the ratio to the baseline's p50. Target: the inbox page p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_TMP = Path(tempfile.mkdtemp(prefix="influency-bench-inbox-"))
os.environ.update({"ENVIRONMENT": "test", "DATA_DIR": str(_TMP / "data"), "SECRET_KEY": "bench-" + "k" * 40,
                   "BROKER": "stub", "LLM_PROVIDER": "offline", "LOG_LEVEL": "WARNING",
                   "EMBEDDING_PROVIDER": "hash", "AUTH_RATE_LIMIT_PER_IP": "100000",
                   "AUTH_RATE_LIMIT_PER_ACCOUNT": "100000"})

import httpx  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from core.settings import set_process_defaults  # noqa: E402

KINDS = [("message", 0.55), ("offer", 0.2), ("shortlist", 0.05), ("contract", 0.1), ("payment", 0.1)]


def _request(kind: str, rng: random.Random, name: str) -> dict[str, Any]:
    channel = "whatsapp" if rng.random() < 0.25 else "email"
    args: dict[str, Any] = {"channel": channel, "to": f"{name.lower()}@example.com", "subject": f"Acme x {name}",
                            "body_text": f"Hi {name},\n\nWe'd love to work with you on our spring launch. " * 3}
    if kind == "offer":
        args |= {"decision": "counter", "rule": "3-counter", "amount": rng.choice([800, 900, 1000]),
                 "currency": "EUR", "creator_ask": rng.choice([1200, 1300, 1500])}
    elif kind == "shortlist":
        args = {"creators": [{"creator_id": str(uuid.uuid4()), "display_name": name, "score": 0.9, "followers": 52000,
                              "reasons": ["based in ES", "niche 'fitness'"]}], "searches": []}
    elif kind in ("contract", "payment"):
        args = {"reference": "CTR-BENCH", "amount": {"amount": "600.00", "currency": "EUR"}, "clause_diff": []}
    return {"action_request": {"action": f"send_{channel}", "args": args},
            "config": {"allow_accept": True, "allow_edit": True, "allow_respond": True, "allow_ignore": True},
            "description": f"Send this {channel} message to {name}? Edit it, or reject with feedback.",
            "kind": kind}


async def _load(pending: int) -> None:
    from store.db import unit_of_work
    from store.models import AgentRun, Approval, Campaign, Creator, RunKind
    from store.users.service import AuthService, NewUser

    rng = random.Random(7)
    async with unit_of_work() as session:
        user = await AuthService(session).register_manager(
            NewUser(email="maria@acme.com", username="maria", password="correct-horse-1", full_name="Maria Lopez"),
            "Acme")
        organization_id = user.organization_id
    campaign_ids = [uuid.uuid4() for _ in range(20)]
    creator_ids = [uuid.uuid4() for _ in range(2000)]
    run_ids = [uuid.uuid4() for _ in range(200)]
    now = datetime.now(UTC)
    async with unit_of_work() as session:
        await session.execute(insert(Campaign), [
            {"id": cid, "organization_id": organization_id, "name": f"Campaign {index:02d}", "description": "",
             "brief": {"currency": "EUR", "budget": "20000"}} for index, cid in enumerate(campaign_ids)])
        await session.execute(insert(Creator), [
            {"id": cid, "display_name": f"Creator {index:04d}", "bio": "", "categories": ["fitness"], "country": "ES",
             "languages": ["es"], "audience": {"instagram": {"followers": 50000}}} for index, cid in
            enumerate(creator_ids)])
        await session.execute(insert(AgentRun), [
            {"id": rid, "organization_id": organization_id, "campaign_id": campaign_ids[index % 20],
             "kind": RunKind.outreach, "idempotency_key": f"bench:{rid}"} for index, rid in enumerate(run_ids)])
        kinds, weights = zip(*KINDS, strict=True)
        rows = []
        for index in range(pending):
            kind = rng.choices(kinds, weights)[0]
            run = index % len(run_ids)
            creator = creator_ids[index % len(creator_ids)]
            rows.append({"id": uuid.uuid4(), "organization_id": organization_id, "campaign_id": campaign_ids[run % 20],
                         "run_id": run_ids[run], "action_id": f"a{index}", "kind": kind, "status": "pending",
                         "creator_id": creator, "request": _request(kind, rng, f"Creator{index % 2000:04d}"),
                         "reasoning": "", "created_at": now - timedelta(minutes=rng.randint(1, 60 * 24 * 5)),
                         "escalated_at": now if rng.random() < 0.05 else None})
        for start in range(0, len(rows), 2000):
            await session.execute(insert(Approval), rows[start:start + 2000])


async def _time(http: httpx.AsyncClient, url: str, requests: int, **kwargs: Any) -> list[float]:
    for _ in range(5):  # warm-up: template compilation, connections, plans
        assert (await http.get(url, **kwargs)).status_code == 200
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = await http.get(url, **kwargs)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text[:300]
    return timings


def _figures(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def main(pending: int, requests: int) -> None:
    from api.app import create_app
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    url = start_embedded_postgres(_TMP, cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    db.reset_for_tests(url)
    set_process_defaults()
    started = time.perf_counter()
    await _load(pending)
    print(f"loaded {pending:,} pending approvals in {time.perf_counter() - started:.1f} s")
    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', (await http.get("/app/login")).text)
        assert token
        await http.post("/app/login", data={"username": "maria", "password": "correct-horse-1",
                                            "csrf_token": token.group(1)})
        pair = (await http.post("/auth/login", data={"username": "maria", "password": "correct-horse-1"})).json()
        api_headers = {"Authorization": f"Bearer {pair['access_token']}"}
        listing = (await http.get("/approvals", params={"status": "pending", "limit": 1}, headers=api_headers)).json()
        one = listing["items"][0]["id"]
        baseline = _figures(await _time(http, "/approvals", requests, params={"status": "pending", "limit": 50},
                                        headers=api_headers))
        cases = [("GET /app/inbox (page, 50 rows)", "/app/inbox", {}),
                 ("GET /app/inbox/items (the 3 s poll)", "/app/inbox/items", {}),
                 ("GET /app/inbox/items?kind=offer&channel=email", "/app/inbox/items",
                  {"kind": "offer", "channel": "email"}),
                 ("GET /app/inbox/items?age=24h&escalated=1", "/app/inbox/items", {"age": "24h", "escalated": "1"}),
                 ("GET /app/inbox/{id} (one card)", f"/app/inbox/{one}", {})]
        print(f"{'request':48} {'p50 ms':>8} {'p95 ms':>8} {'p50 / API p50':>14}")
        print(f"{'baseline: GET /approvals?status=pending&limit=50':48} {baseline[0]:8.1f} {baseline[1]:8.1f} "
              f"{1.0:14.2f}")
        for label, path, params in cases:
            p50, p95 = _figures(await _time(http, path, requests, params=params))
            print(f"{label:48} {p50:8.1f} {p95:8.1f} {p50 / baseline[0]:14.2f}")
    await db.dispose_engine()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pending", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.pending, arguments.requests))
