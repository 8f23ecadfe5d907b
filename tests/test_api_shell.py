"""Health, readiness, metrics, request ids, body limit, error format."""

from __future__ import annotations

import httpx
import pytest


async def test_health_ready_metrics(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok", "broker": "ok",
                                     "embeddings": "ok"}
    metrics = await client.get("/metrics")
    assert "influency_http_requests_total" in metrics.text


async def test_ready_is_503_when_redis_is_down(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import redis.asyncio as aioredis

    from store import redis as store_redis

    unreachable = aioredis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    monkeypatch.setattr(store_redis._clients, "get", lambda: unreachable)  # this loop's client (core/loops.py)
    response = await client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")


async def test_request_id_is_returned_and_honoured(client: httpx.AsyncClient) -> None:
    first, second = [(await client.get("/health")).headers["x-request-id"] for _ in range(2)]
    assert len(first) == len(second) == 32 and first != second
    response = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


def test_fastapi_telemetry_is_off_unless_enabled() -> None:
    from fastapi import FastAPI

    from api.app import _telemetry_option

    assert _telemetry_option(True) == {}
    option = _telemetry_option(False)
    if option:  # this FastAPI has native telemetry: its per-request check short-circuits
        assert not FastAPI(**option)._native_telemetry.enabled()


async def test_body_over_limit_is_413(client: httpx.AsyncClient) -> None:
    from core.settings import get_settings

    too_big = b"x" * (get_settings().MAX_REQUEST_BODY_BYTES + 1)
    response = await client.post("/auth/register/user", content=too_big,
                                 headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


async def test_unknown_route_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/nope")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
