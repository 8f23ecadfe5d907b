"""The outbox: one job per key, dispatched only after commit, handed to the named actor on its queue; a row
whose job is unknown or whose payload does not parse is refused (failed, with the reason, counted in /metrics)."""

from __future__ import annotations

import dramatiq
from sqlalchemy import select

from store.db import unit_of_work
from store.jobs import SYSTEM_PING, Ping
from store.models import OutboxEvent, OutboxStatus
from store.outbox.repository import OutboxRepository
from workers.outbox_relay import relay_once


async def test_same_key_is_recorded_once_and_relayed_to_the_actor() -> None:
    import workers.actors  # noqa: F401

    broker = dramatiq.get_broker()
    broker.flush_all()
    async with unit_of_work() as session:
        outbox = OutboxRepository(session)
        assert await outbox.enqueue(SYSTEM_PING, Ping(marker="a"), "ping:a") is True
        assert await outbox.enqueue(SYSTEM_PING, Ping(marker="a"), "ping:a") is False
    assert await relay_once() == 1
    assert await relay_once() == 0
    assert len(broker.queues["interactive"].queue) == 1  # type: ignore[attr-defined]
    async with unit_of_work() as session:
        event = (await session.execute(select(OutboxEvent))).scalar_one()
        assert event.status == OutboxStatus.dispatched


async def test_rolled_back_decision_leaves_no_job() -> None:
    try:
        async with unit_of_work() as session:
            await OutboxRepository(session).enqueue(SYSTEM_PING, Ping(marker="b"), "ping:b")
            raise RuntimeError("decision failed")
    except RuntimeError:
        pass
    assert await relay_once() == 0
