"""`Idempotency-Key` on a toy endpoint mounted for the test: replay, reuse with another request (422), a duplicate
in flight (409), concurrent duplicates (one effect), failures and validation errors release the key, expiry and
takeover of a crashed attempt."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import func, select, update

from api.deps import ManagerDep, SessionDep
from api.idempotency import IdempotencyDep, RequiredIdempotencyDep
from core.errors import Conflict
from store.db import unit_of_work
from store.jobs import SYSTEM_PING, Ping
from store.models import IdempotencyKey, OutboxEvent
from store.outbox.repository import OutboxRepository
from tests.conftest import manager_headers

router = APIRouter()
gate: dict[str, asyncio.Event] = {}


class EffectIn(BaseModel):
    marker: str = Field(min_length=1)
    fail: bool = False


async def _effect(session: SessionDep, body: EffectIn) -> dict:
    if body.marker in gate:
        await gate[body.marker].wait()
    if body.fail:
        raise Conflict("the effect failed", code="effect_failed")
    # the "side effect": a row written in the request's transaction
    await OutboxRepository(session).enqueue(SYSTEM_PING, Ping(marker=body.marker), uuid.uuid4().hex)
    return {"marker": body.marker, "effect_id": str(uuid.uuid4())}


@router.post("/_test/effects", status_code=201)
async def create_effect(body: EffectIn, principal: ManagerDep, session: SessionDep,
                        idempotency: IdempotencyDep) -> JSONResponse:
    return await idempotency.run(session, lambda: _effect(session, body), status_code=201)


@router.post("/_test/effects-strict", status_code=201)
async def create_effect_strict(body: EffectIn, principal: ManagerDep, session: SessionDep,
                               idempotency: RequiredIdempotencyDep) -> JSONResponse:
    return await idempotency.run(session, lambda: _effect(session, body), status_code=201)


@pytest.fixture
async def http(client: httpx.AsyncClient) -> httpx.AsyncClient:
    app: FastAPI = client._transport.app  # type: ignore[attr-defined]
    if not any(getattr(route, "path", "") == "/_test/effects" for route in app.routes):
        app.include_router(router)
    client.headers.update(await manager_headers(client))
    return client


async def _effects() -> int:
    async with unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(OutboxEvent))).scalar_one())


async def test_same_key_and_request_replays_the_first_response(http: httpx.AsyncClient) -> None:
    first = await http.post("/_test/effects", json={"marker": "a"}, headers={"Idempotency-Key": "k1"})
    assert first.status_code == 201 and first.headers.get("Idempotent-Replayed") is None
    # same JSON with other key order and spacing is the same request
    again = await http.post("/_test/effects", content=b'{ "marker" : "a" }',
                            headers={"Idempotency-Key": "k1", "content-type": "application/json"})
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert await _effects() == 1


async def test_same_key_with_another_request_is_422(http: httpx.AsyncClient) -> None:
    await http.post("/_test/effects", json={"marker": "a"}, headers={"Idempotency-Key": "k1"})
    reused = await http.post("/_test/effects", json={"marker": "b"}, headers={"Idempotency-Key": "k1"})
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    other_path = await http.post("/_test/effects-strict", json={"marker": "a"}, headers={"Idempotency-Key": "k1"})
    assert other_path.status_code == 422
    assert await _effects() == 1


async def test_keys_are_scoped_to_the_organization(http: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    await http.post("/_test/effects", json={"marker": "a"}, headers={"Idempotency-Key": "shared"})
    other = await manager_headers(client, "olga", "Other Org")
    response = await client.post("/_test/effects", json={"marker": "b"},
                                 headers={**other, "Idempotency-Key": "shared"})
    assert response.status_code == 201 and response.json()["marker"] == "b"


async def test_a_duplicate_in_flight_is_409_and_concurrent_duplicates_act_once(http: httpx.AsyncClient) -> None:
    gate["slow"] = asyncio.Event()
    try:
        first = asyncio.create_task(http.post("/_test/effects", json={"marker": "slow"},
                                              headers={"Idempotency-Key": "k-slow"}))
        for _ in range(200):  # until the first request holds the key
            async with unit_of_work() as session:
                if (await session.execute(select(IdempotencyKey))).first():
                    break
            await asyncio.sleep(0.01)
        duplicates = await asyncio.gather(*(http.post("/_test/effects", json={"marker": "slow"},
                                                      headers={"Idempotency-Key": "k-slow"}) for _ in range(5)))
        assert {d.status_code for d in duplicates} == {409}
        assert {d.json()["code"] for d in duplicates} == {"idempotency_request_in_progress"}
        gate["slow"].set()
        assert (await first).status_code == 201
    finally:
        gate.pop("slow", None)
    replay = await http.post("/_test/effects", json={"marker": "slow"}, headers={"Idempotency-Key": "k-slow"})
    assert replay.status_code == 201 and replay.json() == (await first).json()
    assert await _effects() == 1


async def test_concurrent_identical_requests_produce_one_effect(http: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(*(http.post("/_test/effects", json={"marker": "race"},
                                                 headers={"Idempotency-Key": "k-race"}) for _ in range(8)))
    assert sorted({r.status_code for r in responses}) in ([201], [201, 409])
    bodies = {r.text for r in responses if r.status_code == 201}
    assert len(bodies) == 1  # winners and replays carry the same response
    assert await _effects() == 1


async def test_a_failed_request_stores_nothing_and_releases_the_key(http: httpx.AsyncClient) -> None:
    failed = await http.post("/_test/effects", json={"marker": "x", "fail": True}, headers={"Idempotency-Key": "k2"})
    assert failed.status_code == 409 and failed.json()["code"] == "effect_failed"
    async with unit_of_work() as session:
        assert (await session.execute(select(IdempotencyKey))).first() is None
    invalid = await http.post("/_test/effects", json={"marker": ""}, headers={"Idempotency-Key": "k3"})
    assert invalid.status_code == 422 and invalid.json()["code"] == "validation_error"
    retried = await http.post("/_test/effects", json={"marker": "ok"}, headers={"Idempotency-Key": "k3"})
    assert retried.status_code == 201
    assert await _effects() == 1


async def test_without_a_key_each_call_acts_and_a_required_key_is_enforced(http: httpx.AsyncClient) -> None:
    for _ in range(2):
        assert (await http.post("/_test/effects", json={"marker": "n"})).status_code == 201
    assert await _effects() == 2
    missing = await http.post("/_test/effects-strict", json={"marker": "n"})
    assert missing.status_code == 422 and missing.json()["code"] == "idempotency_key_required"
    bad = await http.post("/_test/effects", json={"marker": "n"}, headers={"Idempotency-Key": "x" * 300})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_idempotency_key"


async def test_expired_keys_are_forgotten_and_crashed_attempts_taken_over(http: httpx.AsyncClient) -> None:
    await http.post("/_test/effects", json={"marker": "old"}, headers={"Idempotency-Key": "k4"})
    past = datetime.now(UTC) - timedelta(seconds=1)
    async with unit_of_work() as session:
        await session.execute(update(IdempotencyKey).values(expires_at=past))
    fresh = await http.post("/_test/effects", json={"marker": "new"}, headers={"Idempotency-Key": "k4"})
    assert fresh.status_code == 201 and fresh.json()["marker"] == "new"  # a new request, not a 422
    # a crashed attempt: in progress, lease run out
    async with unit_of_work() as session:
        await session.execute(update(IdempotencyKey).values(status="in_progress", locked_until=past,
                                                            response_status=None, response_body=None))
    taken_over = await http.post("/_test/effects", json={"marker": "new"}, headers={"Idempotency-Key": "k4"})
    assert taken_over.status_code == 201 and taken_over.headers.get("Idempotent-Replayed") is None
    assert await _effects() == 3


async def test_purge_removes_expired_records(http: httpx.AsyncClient) -> None:
    from store.idempotency.service import purge_expired

    await http.post("/_test/effects", json={"marker": "a"}, headers={"Idempotency-Key": "k5"})
    async with unit_of_work() as session:
        assert await purge_expired(session) == 0
        await session.execute(update(IdempotencyKey).values(expires_at=datetime.now(UTC) - timedelta(hours=1)))
        assert await purge_expired(session) == 1
