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


async def test_rows_that_can_never_run_are_refused_and_counted(client) -> None:  # type: ignore[no-untyped-def]
    import workers.actors  # noqa: F401

    broker = dramatiq.get_broker()
    broker.flush_all()
    async with unit_of_work() as session:
        session.add_all([
            OutboxEvent(actor_name="agents.rerun", payload={"run_id": "x"}, idempotency_key="typo"),
            OutboxEvent(actor_name="agents.run", payload={"run_id": "not-a-uuid"}, idempotency_key="bad"),
        ])
        await OutboxRepository(session).enqueue(SYSTEM_PING, Ping(marker="c"), "ping:c")
    assert await relay_once() == 1  # the good row goes out; the others do not block it, nor stay pending
    assert await relay_once() == 0
    async with unit_of_work() as session:
        rows = {row.idempotency_key: row for row in (await session.execute(select(OutboxEvent))).scalars()}
    assert rows["ping:c"].status == OutboxStatus.dispatched
    assert rows["typo"].status == OutboxStatus.failed
    assert rows["typo"].last_error == "refused: unknown job 'agents.rerun'"
    assert rows["bad"].status == OutboxStatus.failed
    assert (rows["bad"].last_error or "").startswith("refused: job 'agents.run': invalid payload")
    metrics = (await client.get("/metrics")).text
    assert 'influency_outbox_refused_jobs_total{job="agents.rerun"} 1.0' in metrics
    assert 'influency_outbox_refused_jobs_total{job="agents.run"} 1.0' in metrics


async def test_the_relay_wakes_on_the_commit_not_on_its_poll() -> None:
    """With a one-minute safety-net poll, a committed row still reaches the broker at once: the insert trigger's
    NOTIFY (delivered on commit) wakes the LISTENing relay."""
    import asyncio

    import workers.actors  # noqa: F401
    from workers.outbox_relay import run_relay

    broker = dramatiq.get_broker()
    broker.flush_all()
    queue = broker.queues["interactive"].queue  # type: ignore[attr-defined]
    relay = asyncio.create_task(run_relay(poll_interval=60.0))
    try:
        await asyncio.sleep(0.3)  # LISTENing, first pass done (nothing pending)
        async with unit_of_work() as session:
            await OutboxRepository(session).enqueue(SYSTEM_PING, Ping(marker="woken"), "ping:woken")
        for _ in range(100):  # well under the poll: only the notification can have woken it
            if len(queue):
                break
            await asyncio.sleep(0.02)
        assert len(queue) == 1
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
