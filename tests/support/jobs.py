"""The one job pump for tests: jobs run the way workers run them, in process.

`run_jobs()` relays committed outbox rows onto the stub broker (`workers/outbox_relay.relay_once`, the relay
process's own code), takes every message from every queue (so jobs a test or the scheduler sent straight to the
broker run too), resolves each actor through the broker (`broker.get_actor(name)`) and runs it through the
actor's own payload parsing (`workers/jobs.job_actor`). Rounds repeat until no job is left.

It fails the test, never skips: an outbox row for a job the registry does not know or whose payload does not
parse (the relay refused it), a message for an actor the broker does not declare, an actor that raises. A
`dramatiq.Retry` is recorded as the result `RETRY` (a worker would redeliver it later). `lose=` drops the
messages of the named jobs unrun (a message lost in transit, a worker that died with it).

`run_job(spec, **payload)` delivers one job again (a redelivery, Dramatiq's retry), through the same actor.
Email goes to the SMTP server the settings name (the `mail_sink` fixture points them at its sink; without it,
at a closed port: a retryable connection error); WhatsApp to `WHATSAPP_API_BASE_URL` likewise.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any, NamedTuple

import dramatiq
from sqlalchemy import select

from store.db import unit_of_work
from store.jobs import JobSpec
from store.models import OutboxEvent, OutboxStatus
from store.outbox.repository import REFUSED
from workers.outbox_relay import relay_once

RETRY = "retry"


class RanJob(NamedTuple):
    name: str
    kwargs: dict[str, Any]
    result: Any


async def run_jobs(*, lose: Iterable[JobSpec[Any]] = (), max_rounds: int = 50) -> list[RanJob]:
    """Relay and run every job until none is left; the jobs run, in order."""
    lost = {spec.name for spec in lose}
    done: list[RanJob] = []
    for _ in range(max_rounds):
        await relay_once()
        await _fail_on_refused_rows()
        messages = [message for message in _take_messages() if message.actor_name not in lost]
        if not messages:
            return done
        for message in messages:
            done.append(RanJob(message.actor_name, dict(message.kwargs),
                               await _run(message.actor_name, dict(message.kwargs))))
    raise AssertionError(f"jobs did not settle in {max_rounds} rounds: last ran {[job.name for job in done[-5:]]}")


async def run_job(spec: JobSpec[Any], **payload: Any) -> Any:
    """Deliver one job (again) to its actor, as a worker would on a redelivery."""
    return await _run(spec.name, payload)


def _take_messages() -> list[dramatiq.Message[Any]]:
    """Every message on every queue of the stub broker (delay queues too: a test has no clock), oldest first."""
    broker = dramatiq.get_broker()
    messages = []
    for queue in broker.queues.values():  # type: ignore[attr-defined]
        while not queue.empty():
            messages.append(dramatiq.Message.decode(queue.get_nowait()))
            queue.task_done()
    return sorted(messages, key=lambda message: message.message_timestamp)


async def _run(name: str, kwargs: dict[str, Any]) -> Any:
    actor = dramatiq.get_broker().get_actor(name)  # ActorNotFound: an unknown job fails the test
    # `perform` is what the actor's function runs (payload parsing, then the handler), returning the outcome; it
    # runs here on the test's event loop, where the database engine lives (Dramatiq would use its loop thread).
    perform = getattr(actor, "perform", None)
    assert perform is not None, f"actor {name!r} is not declared with workers.jobs.job_actor"
    try:
        result = perform(**kwargs)
        return await result if inspect.isawaitable(result) else result
    except dramatiq.Retry:
        return RETRY


async def _fail_on_refused_rows() -> None:
    async with unit_of_work() as session:
        statement = select(OutboxEvent).where(OutboxEvent.status == OutboxStatus.failed,
                                              OutboxEvent.last_error.startswith(REFUSED))
        refused = list((await session.execute(statement)).scalars())
    if refused:
        raise AssertionError("the relay refused outbox rows: "
                             + "; ".join(f"{row.actor_name} ({row.last_error})" for row in refused))
