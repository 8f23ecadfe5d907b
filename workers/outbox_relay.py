"""The outbox relay: moves committed outbox rows onto the Dramatiq broker.

Runs as its own process (`influency services start outbox-relay`, started by `influency up`). Each pass claims
pending rows (SKIP LOCKED), enqueues each to its actor — email sends pending together as batches of
MESSAGE_SEND_BATCH_SIZE (`store/jobs/coalesce.py`) — (the pass's messages reach Redis in one round trip), and
marks them dispatched in the same transaction.
Passes are event-driven: the relay LISTENs for the notification the outbox insert trigger sends on commit
(`store/outbox/wakeups.py`), so a job reaches the broker a few milliseconds after its decision commits; a poll
every `OUTBOX_RELAY_POLL_SECONDS` is only the safety net (a lost connection, a notification missed).
If the broker is down the transaction rolls back and the rows stay pending; if the process dies after
enqueueing but before commit, a row can be enqueued twice — actors are idempotent on their own keys.

A row whose job is not in the registry (`store/jobs/registry.py`), or whose payload does not parse into the
job's model, is refused: logged, marked failed with the reason (`refused: ...`), counted in /metrics
(`influency_outbox_refused_jobs_total`) — never left pending for ever, never retried.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import AbstractContextManager, nullcontext

import dramatiq
from pydantic import ValidationError

from core.settings import get_settings
from store.db import unit_of_work
from store.jobs import UnknownJob, job_spec
from store.jobs.coalesce import PendingRow, coalesce
from store.outbox.repository import OutboxRepository, PendingEvent
from store.outbox.wakeups import OutboxWakeups
from workers import broker as _broker  # noqa: F401  (installs the broker)
from workers.liveness import Heartbeat

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20


async def relay_once(batch_size: int = 200) -> int:
    """Dispatch up to `batch_size` pending events; return how many were dispatched."""
    import workers.actors  # noqa: F401  (declares every actor so names resolve)

    broker = dramatiq.get_broker()
    async with unit_of_work() as session:
        outbox = OutboxRepository(session)
        dispatched: list[uuid.UUID] = []
        failed: list[tuple[PendingEvent, str]] = []
        events = await outbox.claim_pending(batch_size)
        valid: dict[uuid.UUID, PendingEvent] = {}
        for event in events:
            refusal = _refusal(event)
            if refusal is not None:
                log.error("outbox event %s refused: %s", event.id, refusal)
                await outbox.mark_refused(event.id, refusal)
            else:
                valid[event.id] = event
        rows = [PendingRow(event.id, event.actor_name, event.payload) for event in valid.values()]
        with _batched(broker):  # one round trip to Redis for the pass (workers/redis_broker.py)
            for dispatch in coalesce(rows, get_settings().MESSAGE_SEND_BATCH_SIZE):
                try:
                    broker.get_actor(dispatch.job).send_with_options(kwargs=dispatch.payload)
                    dispatched.extend(dispatch.row_ids)
                except Exception as exc:
                    failed.extend((valid[row_id], repr(exc)) for row_id in dispatch.row_ids)
        # a batch Redis refused raised above: the transaction rolls back, every row stays pending for the next pass
        for event, error in failed:
            log.warning("outbox event %s (%s) not dispatched: %s", event.id, event.actor_name, error)
            await outbox.mark_failed_attempt(event.id, error, give_up=event.attempts + 1 >= MAX_ATTEMPTS)
        await outbox.mark_dispatched(dispatched)
    return len(dispatched)


def _batched(broker: dramatiq.Broker) -> AbstractContextManager[None]:
    batched = getattr(broker, "batched_enqueues", None)
    return batched() if batched is not None else nullcontext()


def _refusal(event: PendingEvent) -> str | None:
    """Why the row can never run (unknown job, payload that does not parse), or None."""
    try:
        job_spec(event.actor_name).parse(event.payload)
    except UnknownJob as exc:
        return str(exc)
    except ValidationError as exc:
        return f"job {event.actor_name!r}: invalid payload: {exc}"
    return None


async def run_relay(poll_interval: float | None = None, batch_size: int = 200) -> None:
    """Relay on every commit notification, and at least every `poll_interval` seconds (the safety net; the
    short `OUTBOX_RELAY_FALLBACK_POLL_SECONDS` while LISTEN is unavailable)."""
    settings = get_settings()
    safety_net = poll_interval if poll_interval is not None else settings.OUTBOX_RELAY_POLL_SECONDS
    wakeups = OutboxWakeups()
    log.info("outbox relay running")
    heartbeat = Heartbeat("outbox-relay")  # `influency healthcheck outbox-relay`
    try:
        while True:
            heartbeat.beat()
            listening = settings.OUTBOX_RELAY_LISTEN and await wakeups.connect()
            try:
                count = await relay_once(batch_size)
            except Exception:
                log.exception("outbox relay pass failed; retrying")
                count = 0
            if count < batch_size:
                await wakeups.wait(safety_net if listening else settings.OUTBOX_RELAY_FALLBACK_POLL_SECONDS)
    finally:
        await wakeups.close()
