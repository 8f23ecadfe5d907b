"""`store/driver.fetchrow_in_transaction` / `load_in_transaction`: a statement run straight on the driver is part
of the unit's transaction (even as its first statement, before the session has sent BEGIN), binds its parameters
as the session would, and a loaded row becomes the session's object as a query would make it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import DBAPIError

from store.db import unit_of_work
from store.driver import fetchrow_in_transaction, load_in_transaction
from store.models.outbox import OutboxEvent, OutboxStatus
from store.outbox.repository import enqueue_statement

RETURNING_ID = enqueue_statement().returning(OutboxEvent.id)


def _job(key: str) -> dict[str, Any]:
    # a JSON payload with a nested object and a UUID (the engine's serializer writes it as text); status and
    # attempts are left to the values the statement carries
    return {"job_id": uuid.uuid4(), "job_name": "tests.noop", "job_key": key,
            "job_payload": {"run_id": uuid.UUID(int=7), "nested": {"n": [1, 2]}}}


async def _stored(key: str) -> OutboxEvent | None:
    async with unit_of_work() as session:
        statement = select(OutboxEvent).where(OutboxEvent.idempotency_key == key)
        return (await session.execute(statement)).scalar_one_or_none()


async def test_a_first_statement_write_rolls_back_with_its_unit(client: Any) -> None:
    key = f"driver-rollback-{uuid.uuid4()}"
    with pytest.raises(RuntimeError):
        async with unit_of_work() as session:
            row = await fetchrow_in_transaction(session, RETURNING_ID, _job(key))
            assert row is not None
            raise RuntimeError("the unit fails after the write")
    assert await _stored(key) is None  # the write was inside the unit's transaction


async def test_a_write_commits_with_its_unit_bound_as_the_session_binds(client: Any) -> None:
    key = f"driver-commit-{uuid.uuid4()}"
    async with unit_of_work() as session:
        await session.execute(select(1))  # the session's own BEGIN first: the write joins that transaction
        row = await fetchrow_in_transaction(session, RETURNING_ID, _job(key))
        assert row is not None
        written_id = row[0]
        seen = (await session.execute(select(OutboxEvent.id).where(OutboxEvent.idempotency_key == key))).scalar()
        assert seen == written_id  # the session sees the write in its own transaction
    stored = await _stored(key)
    assert stored is not None and stored.id == written_id
    assert stored.payload == {"run_id": str(uuid.UUID(int=7)), "nested": {"n": [1, 2]}}
    assert stored.status == OutboxStatus.pending and stored.attempts == 0  # the statement's own values
    async with unit_of_work() as session:  # the same key again: ON CONFLICT DO NOTHING returns no row
        assert await fetchrow_in_transaction(session, RETURNING_ID, _job(key)) is None


async def test_what_the_session_holds_unwritten_is_flushed_first(client: Any) -> None:
    """As `session.execute` autoflushes: a job the session holds unflushed is written before the driver's write,
    whose same key then conflicts (no row back), and the unit commits one row."""
    key = f"driver-autoflush-{uuid.uuid4()}"
    async with unit_of_work() as session:
        session.add(OutboxEvent(actor_name="tests.noop", payload={}, idempotency_key=key))
        assert await fetchrow_in_transaction(session, RETURNING_ID, _job(key)) is None
    stored = await _stored(key)
    assert stored is not None and stored.payload == {}


LOCKED = select(OutboxEvent).where(OutboxEvent.id == bindparam("event_id")).with_for_update()


async def _job_row(key: str) -> uuid.UUID:
    async with unit_of_work() as session:
        row = await fetchrow_in_transaction(session, RETURNING_ID, _job(key))
        assert row is not None
        return uuid.UUID(str(row[0]))


async def test_a_loaded_row_is_the_object_a_query_would_load(client: Any) -> None:
    event_id = await _job_row(f"driver-load-{uuid.uuid4()}")
    async with unit_of_work() as session:
        queried = (await session.execute(select(OutboxEvent).where(OutboxEvent.id == event_id))).scalar_one()
        expected = {column.key: getattr(queried, column.key) for column in OutboxEvent.__table__.columns}
    async with unit_of_work() as session:
        loaded = await load_in_transaction(session, OutboxEvent, LOCKED, {"event_id": event_id})
        assert loaded is not None
        assert {key: getattr(loaded, key) for key in expected} == expected
        assert isinstance(loaded.status, OutboxStatus) and isinstance(loaded.payload, dict)
        assert await session.get(OutboxEvent, event_id) is loaded  # the session's own, persistent object
        assert await load_in_transaction(session, OutboxEvent, LOCKED, {"event_id": event_id}) is loaded
        session.expire(loaded)  # as a rolled-back savepoint leaves it: loading it again reloads it
        assert await load_in_transaction(session, OutboxEvent, LOCKED, {"event_id": event_id}) is loaded
        assert loaded.attempts == expected["attempts"]  # readable without a lazy load
        loaded.attempts = 3  # an ordinary change, written by the unit's flush
    async with unit_of_work() as session:
        stored = await session.get(OutboxEvent, event_id)
        assert stored is not None and stored.attempts == 3


async def test_a_row_loaded_for_update_stays_locked_until_the_unit_ends(client: Any) -> None:
    event_id = await _job_row(f"driver-lock-{uuid.uuid4()}")
    async with unit_of_work() as session:  # the load is the unit's first statement
        assert await load_in_transaction(session, OutboxEvent, LOCKED, {"event_id": event_id}) is not None
        with pytest.raises(DBAPIError, match="could not obtain lock"):
            async with unit_of_work() as other:
                await other.execute(text("SELECT 1 FROM outbox_events WHERE id = :id FOR UPDATE NOWAIT"),
                                    {"id": event_id})
    async with unit_of_work() as other:  # released with the unit's commit
        await other.execute(text("SELECT 1 FROM outbox_events WHERE id = :id FOR UPDATE NOWAIT"), {"id": event_id})
    async with unit_of_work() as session:
        assert await load_in_transaction(session, OutboxEvent, LOCKED, {"event_id": uuid.uuid4()}) is None


async def test_a_parameter_the_caller_must_give_is_never_sent_as_null(client: Any) -> None:
    job = _job(f"driver-required-{uuid.uuid4()}")
    del job["job_name"]
    async with unit_of_work() as session:
        with pytest.raises(KeyError, match="job_name"):
            await fetchrow_in_transaction(session, RETURNING_ID, job)
