"""Liveness, readiness (database, Redis, broker) and Prometheus metrics."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.metrics import render_metrics
from store.db import get_engine
from store.redis import get_redis
from tools.broker import broker_reachable
from tools.embeddings.warmup import start_warmup, warmup_status

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def _check_database() -> None:
    async with get_engine().connect() as connection:
        await connection.execute(text("SELECT 1"))


async def _check_redis() -> None:
    await get_redis().ping()


async def _check_broker() -> None:
    if not await asyncio.to_thread(broker_reachable):
        raise RuntimeError("broker not reachable")


@router.get("/ready")
async def ready() -> Any:
    checks = {"database": _check_database, "redis": _check_redis, "broker": _check_broker}
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check(), timeout=3)
            results[name] = "ok"
        except Exception as exc:
            results[name] = f"error: {type(exc).__name__}: {exc}"[:200]
    # Search and shortlists need the embedding model: not ready until it is loaded (it loads at start).
    loading = start_warmup()  # a process started without the lifespan (tests, a bare ASGI server) starts it here
    if loading is not None:
        await asyncio.to_thread(loading.join, 0.5)  # the hash embedder is ready at once
    embeddings = warmup_status()
    results["embeddings"] = "ok" if embeddings == "ready" else embeddings
    healthy = all(value == "ok" for value in results.values())
    return JSONResponse({"status": "ready" if healthy else "unavailable", "checks": results},
                        status_code=200 if healthy else 503)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(await render_metrics(), media_type="text/plain; version=0.0.4; charset=utf-8")
