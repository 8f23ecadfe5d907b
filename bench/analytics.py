"""Analytics at scale: ingestion rates, the short-link redirect against /health, and analytics endpoint latency.

    .venv/bin/python -m bench.analytics               # small: 20 campaigns, 1,000 creators, 100k clicks, 4k orders
    .venv/bin/python -m bench.analytics --size 1      # the issue's scale: 1,000 / 50,000 / 5M / 200k (~15 min)

Loads (one creator per campaign slot, a tracked link, a promo code, a post and a reading per creator × campaign),
then times each ingestion path as production runs it: clicks buffered in Redis as the redirect's pusher does and
moved to Postgres by the click flusher (bot/dedup verdicts included), in rounds of BUFFER_ROUND; orders through the
order-history import (`POST /analytics/orders/import`'s service: row validation, then set-based attribution, half by
promo code, half by click token); rollups recomputed by the rollup worker for every dirty pair. Then, against the API
served by uvicorn in a child process: `GET /r/{code}` throughput (codes drawn uniformly from every link, so most
resolve on a cache miss) as a ratio to `GET /health` (same client, same concurrency, same run), and p50/p95 of
`/analytics/campaigns` and `/campaigns/{id}/analytics` for the organizations' managers. Uses a throwaway embedded
PostgreSQL (restarted once so the embedded defaults apply; `--keep` keeps it) and its own Redis database; stops what
it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FULL = {"campaigns": 1_000, "creators": 50_000, "clicks": 5_000_000, "orders": 200_000}
ORGANIZATIONS = 10
VISITORS_PER_LINK = 20
BUFFER_ROUND = 200_000  # clicks buffered in Redis before the flusher drains them
FLUSH_BATCH = 10_000
IMPORT_ROWS = 20_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _percentile(samples: list[float], quantile: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]


def _environment(data_dir: Path, database_url: str, redis_url: str) -> dict[str, str]:
    values = {"ENVIRONMENT": "development", "DATA_DIR": str(data_dir), "DATABASE_URL": database_url,
              "REDIS_URL": redis_url, "BROKER": "stub", "LOG_LEVEL": "WARNING", "LLM_PROVIDER": "offline",
              "EMBEDDING_PROVIDER": "hash", "AUTH_RATE_LIMIT_PER_IP": "100000", "AUTH_RATE_LIMIT_PER_ACCOUNT": "100000",
              "SECRET_KEY": secrets.token_urlsafe(32)}
    os.environ.update(values)
    return dict(os.environ)


def _start_api(environment: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=environment, start_new_session=True)


async def _serve(environment: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _free_port()
    process = _start_api(environment, port)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            try:
                if (await http.get(f"{base}/health")).status_code == 200:
                    return process, base
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the API did not start")


async def _managers(base: str) -> list[tuple[uuid.UUID, str]]:
    """One manager (and organization) per tenant: (organization id, access token)."""
    import httpx

    managers = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        for index in range(ORGANIZATIONS):
            name = f"bench{index}{secrets.token_hex(3)}"
            created = await http.post("/auth/register/user", json={
                "email": f"{name}@example.com", "username": name, "password": "correct-horse-1", "full_name": name,
                "company_name": f"Brand {index}"})
            created.raise_for_status()
            token = (await http.post("/auth/login", data={"username": name, "password": "correct-horse-1"})).json()
            me = (await http.get("/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"})).json()
            managers.append((uuid.UUID(me["organization_id"]), token["access_token"]))
    return managers


async def _load(url: str, sizes: dict[str, int], managers: list[tuple[uuid.UUID, str]],
                rng: random.Random) -> dict[str, Any]:
    """Campaigns, creators, participation, links, promo codes, posts with a reading (bulk, untimed)."""
    from sqlalchemy import insert

    from store.creators.bulk import copy_creators, raw_connection
    from store.creators.synthetic import synthetic_creators
    from store.db import unit_of_work
    from store.models import (
        Campaign,
        CampaignCreator,
        DirtyPair,
        MetricSnapshot,
        ParticipationSource,
        ParticipationStatus,
        Post,
        PromoCode,
        TrackedLink,
    )

    creators = list(synthetic_creators(sizes["creators"], 7))
    connection = await raw_connection(url)
    try:
        async with connection.transaction():
            await copy_creators(connection, creators)
    finally:
        await connection.close()
    campaigns: list[dict[str, Any]] = [
        {"id": uuid.uuid4(), "organization_id": managers[index % len(managers)][0],
         "name": f"Campaign {index}", "description": "", "status": "active",
         "brief": {"budget": 50_000, "currency": rng.choice(["EUR", "EUR", "USD", "GBP"])}}
        for index in range(sizes["campaigns"])]
    pairs, links, codes, posts, readings = [], [], [], [], []
    now = datetime.now(UTC)
    for index, creator in enumerate(creators):
        campaign = campaigns[index % len(campaigns)]
        pair = {"campaign_id": campaign["id"], "creator_id": creator["id"]}
        pairs.append(pair | {"id": uuid.uuid4(), "status": ParticipationStatus.accepted,
                             "source": ParticipationSource.manual, "reasons": []})
        common = pair | {"organization_id": campaign["organization_id"]}
        links.append(common | {"id": uuid.uuid4(), "code": f"b{index:07d}{secrets.token_hex(2)}",
                               "destination_url": "https://shop.example.com/p", "utm_source": f"creator-{index}",
                               "utm_medium": "influencer", "utm_campaign": campaign["name"].lower()})
        codes.append(common | {"id": uuid.uuid4(), "code": f"C{index:07d}"})
        post_id = uuid.uuid4()
        posts.append(common | {"id": post_id, "platform": "instagram", "url": f"https://www.instagram.com/p/b{index}/",
                               "published_at": now - timedelta(days=10)})
        reach = rng.randint(2_000, 200_000)
        readings.append(pair | {"id": uuid.uuid4(), "post_id": post_id, "captured_at": now - timedelta(days=1),
                                "source": "import", "impressions": int(reach * 1.3), "reach": reach,
                                "likes": reach // 30, "comments": reach // 600, "shares": reach // 900,
                                "saves": reach // 700})
    async with unit_of_work() as session:
        for model, rows in ((Campaign, campaigns), (CampaignCreator, pairs), (TrackedLink, links),
                            (PromoCode, codes), (Post, posts), (MetricSnapshot, readings),
                            (DirtyPair, [{"campaign_id": p["campaign_id"], "creator_id": p["creator_id"]}
                                         for p in pairs])):
            for start in range(0, len(rows), 10_000):  # executemany: batched multi-row INSERTs
                await session.execute(insert(model), rows[start:start + 10_000])
    return {"campaigns": campaigns, "links": links, "codes": codes}


async def _ingest_clicks(count: int, links: list[dict[str, Any]], rng: random.Random) -> tuple[float, float]:
    """(clicks/s buffered as the redirect does, clicks/s flushed to Postgres by the flusher's code), in rounds of
    BUFFER_ROUND so Redis never holds millions of records at once."""
    from store.analytics.clicks import BUFFER_KEY, flush_clicks
    from store.redis import get_redis

    redis = get_redis()
    buffering = flushing = 0.0
    written = 0
    now = time.time()
    while written < count:
        round_size = min(BUFFER_ROUND, count - written)
        started = time.perf_counter()
        for start in range(0, round_size, 20_000):
            batch = []
            for _ in range(min(20_000, round_size - start)):
                link = links[rng.randrange(len(links))]
                at = now - rng.random() * 86_400 * 20
                batch.append(json.dumps({
                    "id": uuid.UUID(int=(int(at * 1000) << 80) | 0x7 << 76 | 0b10 << 62 | rng.getrandbits(62)).hex,
                    "link": link["id"].hex, "org": link["organization_id"].hex, "campaign": link["campaign_id"].hex,
                    "creator": link["creator_id"].hex, "at": at,
                    "visitor": f"{link['code']}{rng.randrange(VISITORS_PER_LINK)}"[:32], "bot": rng.random() < 0.05}))
            await redis.rpush(BUFFER_KEY, *batch)
        buffering += time.perf_counter() - started
        started = time.perf_counter()
        while await flush_clicks(FLUSH_BATCH):
            pass
        flushing += time.perf_counter() - started
        written += round_size
    return count / buffering, count / flushing


async def _ingest_orders(count: int, loaded: dict[str, Any], rng: random.Random) -> tuple[float, dict[str, int]]:
    """Orders/s through the order-history import (`POST /analytics/orders/import`'s service: row validation, then
    set-based attribution), one import of up to IMPORT_ROWS rows per organization at a time."""
    from store.analytics.click_ids import click_token, new_click_id
    from store.db import unit_of_work
    from tools.analytics.order_import import import_orders

    links, codes = loaded["links"], loaded["codes"]
    per_organization: dict[uuid.UUID, list[dict[str, Any]]] = {}
    now = datetime.now(UTC)
    for number in range(count):
        index = rng.randrange(len(links))
        link, code = links[index], codes[index]
        ordered = now - timedelta(minutes=rng.randint(1, 20 * 1440))
        row = {"order_id": f"o{number}", "currency": rng.choice(["EUR", "USD"]),
               "amount": str(Decimal(rng.randrange(1500, 15000)) / 100), "occurred_at": ordered.isoformat()}
        if rng.random() < 0.5:
            row["promo_code"] = code["code"]
        else:
            row["click_id"] = click_token(link["code"], new_click_id(ordered - timedelta(minutes=rng.randint(1, 600))))
        per_organization.setdefault(link["organization_id"], []).append(row)
    attributed: dict[str, int] = {}
    started = time.perf_counter()
    for organization_id, rows in per_organization.items():
        for start in range(0, len(rows), IMPORT_ROWS):
            async with unit_of_work() as session:
                report = await import_orders(session, organization_id, rows[start:start + IMPORT_ROWS])
            for how, number in report.attributed.items():
                attributed[how] = attributed.get(how, 0) + number
    return count / (time.perf_counter() - started), attributed


async def _throughput(base: str, path: Any, seconds: float, concurrency: int) -> float:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30, follow_redirects=False) as http:
        deadline, count = time.perf_counter() + seconds, 0

        async def worker() -> None:
            nonlocal count
            while time.perf_counter() < deadline:
                response = await http.get(path(), headers={"User-Agent": "Mozilla/5.0 bench"})
                assert response.status_code in (200, 302), response.status_code
                count += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return count / (time.perf_counter() - started)


async def _latency(base: str, requests: list[tuple[str, str]]) -> list[float]:
    import httpx

    samples = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for path, token in requests:
            started = time.perf_counter()
            response = await http.get(path, headers={"Authorization": f"Bearer {token}"})
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text[:200]
    return samples


async def _analyze() -> None:
    from sqlalchemy import text

    from store.db import get_engine

    async with get_engine().connect() as connection:
        await connection.execute(text("ANALYZE"))


async def run(args: argparse.Namespace) -> None:
    sizes = {name: max(1, int(full * args.size)) for name, full in FULL.items()}
    sizes["creators"] = max(sizes["creators"], sizes["campaigns"])
    rng = random.Random(args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-analytics-"))
    from bench.search import start_server

    # restarted once so the embedded defaults (shared_buffers 1GB) apply, as they do for `influency up`
    url = start_server(data_dir, args.keep, "1GB")
    environment = _environment(data_dir, url, f"redis://127.0.0.1:6379/{args.redis_db}")
    from store import db
    from store.migrate import upgrade_in_thread
    from store.redis import get_redis

    upgrade_in_thread(url)
    db.reset_for_tests(url)
    await get_redis().flushdb()
    server, base = await _serve(environment)
    try:
        managers = await _managers(base)
        begun = time.perf_counter()
        print(f"loading {sizes['campaigns']:,} campaigns, {sizes['creators']:,} creators "
              f"({ORGANIZATIONS} organizations) ...", flush=True)
        loaded = await _load(url, sizes, managers, rng)
        print(f"  loaded in {time.perf_counter() - begun:.0f} s; clicks ...", flush=True)
        buffered, flushed = await _ingest_clicks(sizes["clicks"], loaded["links"], rng)
        print(f"  {time.perf_counter() - begun:.0f} s; orders ...", flush=True)
        orders, attributed = await _ingest_orders(sizes["orders"], loaded, rng)
        print(f"  {time.perf_counter() - begun:.0f} s; rollups ...", flush=True)
        await _analyze()  # as after any backfill (autovacuum would, later)
        from workers.analytics import refresh_rollups

        started = time.perf_counter()
        pairs = await refresh_rollups(max_rounds=10_000, batch=500)
        rollup_rate = pairs / (time.perf_counter() - started)
        await _analyze()
        print(f"  {time.perf_counter() - begun:.0f} s; endpoints ...", flush=True)
        load_before = os.getloadavg()
        codes = [link["code"] for link in loaded["links"]]
        health = await _throughput(base, lambda: "/health", args.seconds, args.concurrency)
        redirect = await _throughput(base, lambda: f"/r/{rng.choice(codes)}", args.seconds, args.concurrency)
        health_again = await _throughput(base, lambda: "/health", args.seconds, args.concurrency)
        tokens = dict(managers)
        campaign_requests = [(f"/campaigns/{campaign['id']}/analytics", tokens[campaign["organization_id"]])
                             for campaign in rng.choices(loaded["campaigns"], k=args.requests)]
        list_requests = [("/analytics/campaigns?limit=50", rng.choice(managers)[1]) for _ in range(args.requests)]
        await _latency(base, campaign_requests[:10] + list_requests[:10])  # warm up
        # interleaved, so both endpoints see the same background load
        timings = await _latency(base, [request for pair in zip(campaign_requests, list_requests, strict=True)
                                        for request in pair])
        single, listing = timings[0::2], timings[1::2]
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        await get_redis().flushdb()
        await db.dispose_engine()
    health_rate = statistics.mean([health, health_again])
    if args.keep:
        print(f"kept: DATA_DIR={data_dir} (the embedded PostgreSQL data; it starts again on use)")
    print(f"\nscale: {sizes['campaigns']:,} campaigns · {sizes['creators']:,} creators · {sizes['clicks']:,} clicks · "
          f"{sizes['orders']:,} orders (--size {args.size})")
    print(f"load average (1/5/15 min) before the API measurements {'/'.join(f'{x:.1f}' for x in load_before)}, "
          f"after {'/'.join(f'{x:.1f}' for x in load_after)}")
    print(f"ingestion  clicks buffered (redirect path)  {buffered:>10,.0f} /s")
    print(f"           clicks flushed to Postgres       {flushed:>10,.0f} /s  (bot + dedup verdicts)")
    print(f"           orders attributed and stored      {orders:>10,.0f} /s  (order-history import; {attributed})")
    print(f"           rollups recomputed                {rollup_rate:>10,.0f} pairs/s  ({pairs:,} pairs)")
    print(f"redirect   GET /r/{{code}} {redirect:,.0f} req/s vs GET /health {health_rate:,.0f} req/s "
          f"= ratio {redirect / health_rate:.2f}  (goal ≥ 0.5; concurrency {args.concurrency})")
    for name, samples in (("/analytics/campaigns", listing), ("/campaigns/{id}/analytics", single)):
        print(f"latency    {name:<28} p50 {statistics.median(samples):6.1f} ms   p95 {_percentile(samples, 0.95):6.1f} "
              f"ms  ({len(samples)} requests; goal p95 ≤ 100 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=float, default=0.02, help="fraction of the issue's scale (1 = full)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput measurement")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per analytics endpoint")
    parser.add_argument("--redis-db", type=int, default=14, help="a Redis database this run may flush")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the loaded database (printed) to profile against")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
