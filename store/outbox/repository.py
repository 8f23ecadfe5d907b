"""All SQL for the outbox. `enqueue` is called inside the decision's transaction with a job spec and its typed
payload (`store/jobs`); the relay claims rows with SKIP LOCKED so several relays never dispatch the same row at
once, and refuses (marks failed, with the reason) a row whose job is unknown or whose payload does not parse."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import ARRAY, Select, Table, Update, any_, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

from store.driver import fetchrow_in_transaction
from store.jobs.spec import JobSpec
from store.models.outbox import OutboxEvent, OutboxStatus

P = TypeVar("P", bound=BaseModel)
REFUSED = "refused: "  # how a refused row's last_error starts (counted by `count_refused`)


@cache
def enqueue_statement() -> Insert:
    """The INSERT that records a job once per idempotency key, with `enqueue_parameters` — built once (the
    outbox is written by every decision), for `enqueue` or to run inside a caller's statement (e.g. a
    data-modifying CTE that records a decision and its job in one round trip). Its parameters start with `job_`."""
    return (insert(OutboxEvent)
            .values(id=bindparam("job_id"), actor_name=bindparam("job_name"), payload=bindparam("job_payload"),
                    idempotency_key=bindparam("job_key"), status=bindparam("job_status", OutboxStatus.pending),
                    attempts=bindparam("job_attempts", 0))
            .on_conflict_do_nothing(index_elements=[OutboxEvent.idempotency_key]))


def enqueue_parameters(job: JobSpec[P], payload: P, idempotency_key: str) -> dict[str, Any]:
    return {"job_id": uuid.uuid4(), "job_name": job.name, "job_payload": job.dump(payload),
            "job_key": idempotency_key}


@cache
def _enqueue_returning_id() -> ReturningInsert[uuid.UUID]:
    return enqueue_statement().returning(OutboxEvent.id)


class PendingEvent(NamedTuple):
    """A claimed outbox row: what the relay needs to send it or to count a failed attempt."""

    id: uuid.UUID
    actor_name: str
    payload: dict[str, Any]
    attempts: int


# The relay runs these two on every pass (a pass per commit notification): built once, on the table (no ORM
# objects loaded, no session synchronisation for the UPDATE).
@cache
def _claim_pending() -> Select[tuple[uuid.UUID, str, dict[str, Any], int]]:
    table = cast(Table, OutboxEvent.__table__)
    return (select(table.c.id, table.c.actor_name, table.c.payload, table.c.attempts)
            .where(table.c.status == OutboxStatus.pending).order_by(table.c.created_at)
            .limit(bindparam("limit")).with_for_update(skip_locked=True))


@cache
def _mark_dispatched() -> Update:
    table = cast(Table, OutboxEvent.__table__)
    return (table.update().where(table.c.id == any_(bindparam("ids", type_=ARRAY(table.c.id.type))))
            .values(status=OutboxStatus.dispatched, dispatched_at=bindparam("now", type_=table.c.dispatched_at.type),
                    attempts=table.c.attempts + 1))


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(self, job: JobSpec[P], payload: P, idempotency_key: str) -> bool:
        """Record a job; False when a job with this key was already recorded (nothing is added twice)."""
        # on the driver (`store/driver.py`): every decision, reply and turn writes one
        parameters = enqueue_parameters(job, payload, idempotency_key)
        return await fetchrow_in_transaction(self.session, _enqueue_returning_id(), parameters) is not None

    async def claim_pending(self, limit: int) -> list[PendingEvent]:
        """Lock up to `limit` pending rows, oldest first (as plain rows: the relay only reads them)."""
        rows = await self.session.execute(_claim_pending(), {"limit": limit})
        return [PendingEvent(*row) for row in rows]

    async def mark_dispatched(self, event_ids: list[uuid.UUID]) -> None:
        if event_ids:
            await self.session.execute(_mark_dispatched(), {"ids": event_ids, "now": datetime.now(UTC)})

    async def mark_failed_attempt(self, event_id: uuid.UUID, error: str, give_up: bool) -> None:
        await self.session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id).values(
                attempts=OutboxEvent.attempts + 1, last_error=error[:2000],
                status=OutboxStatus.failed if give_up else OutboxStatus.pending)
        )

    async def mark_refused(self, event_id: uuid.UUID, reason: str) -> None:
        """Give up on a row no retry can fix (unknown job, invalid payload): failed, with the reason."""
        await self.session.execute(
            update(OutboxEvent).where(OutboxEvent.id == event_id).values(
                attempts=OutboxEvent.attempts + 1, last_error=(REFUSED + reason)[:2000], status=OutboxStatus.failed)
        )

    async def count_refused(self) -> dict[str, int]:
        """Refused rows per job name (for /metrics)."""
        statement = (select(OutboxEvent.actor_name, func.count())
                     .where(OutboxEvent.status == OutboxStatus.failed, OutboxEvent.last_error.startswith(REFUSED))
                     .group_by(OutboxEvent.actor_name))
        return {name: int(count) for name, count in (await self.session.execute(statement)).all()}

    async def count_pending(self) -> int:
        statement = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.status == OutboxStatus.pending)
        return int((await self.session.execute(statement)).scalar_one())

    async def by_key(self, idempotency_key: str) -> OutboxEvent | None:
        statement = select(OutboxEvent).where(OutboxEvent.idempotency_key == idempotency_key)
        return (await self.session.execute(statement)).scalar_one_or_none()
