"""The test job pump (`tests/support/jobs.py`) runs jobs as workers do and fails loudly: an unknown job name in
the outbox or on the broker fails the test instead of being skipped; test helpers refuse unknown attributes."""

from __future__ import annotations

import dramatiq
import pytest
from dramatiq.errors import ActorNotFound

from store.db import unit_of_work
from store.jobs import SYSTEM_PING, Ping
from store.models import OutboxEvent
from store.outbox.repository import OutboxRepository
from tests.agents_flow import seed_creator
from tests.support.jobs import RanJob, run_jobs


async def test_outbox_rows_and_broker_messages_run_through_their_actors() -> None:
    import workers.actors  # noqa: F401

    dramatiq.get_broker().flush_all()
    async with unit_of_work() as session:
        await OutboxRepository(session).enqueue(SYSTEM_PING, Ping(marker="from the outbox"), "ping:outbox")
    dramatiq.get_broker().get_actor(SYSTEM_PING.name).send(marker="straight to the broker")
    ran = await run_jobs()
    assert sorted(ran, key=lambda job: job.result) == [
        RanJob("system.ping", {"marker": "from the outbox"}, "from the outbox"),
        RanJob("system.ping", {"marker": "straight to the broker"}, "straight to the broker")]
    assert await run_jobs() == []


async def test_an_unknown_job_in_the_outbox_fails_the_pump() -> None:
    async with unit_of_work() as session:
        session.add(OutboxEvent(actor_name="system.pong", payload={}, idempotency_key="pong"))
    with pytest.raises(AssertionError, match="unknown job 'system.pong'"):
        await run_jobs()


async def test_an_unknown_actor_on_the_broker_fails_the_pump() -> None:
    broker = dramatiq.get_broker()
    broker.flush_all()
    broker.enqueue(dramatiq.Message(queue_name="interactive", actor_name="system.pong", args=(), kwargs={},
                                    options={}))
    with pytest.raises(ActorNotFound):
        await run_jobs()


async def test_seed_helpers_refuse_unknown_attributes() -> None:
    with pytest.raises(TypeError, match="folowers"):
        await seed_creator("Ana Ruiz", folowers=10)  # a typo must not pass silently
    await seed_creator("Ana Ruiz", whatsapp_phone="+34600000000")  # a real column is set
