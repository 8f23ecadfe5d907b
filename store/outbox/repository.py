"""All SQL for the outbox. `enqueue` is called inside the decision's transaction with a job spec and its typed
payload (`store/jobs`); the relay claims rows with SKIP LOCKED so several relays never dispatch the same row at
once, and refuses (marks failed, with the reason) a row whose job is unknown or whose payload does not parse."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import ReturningInsert

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


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(self, job: JobSpec[P], payload: P, idempotency_key: str) -> bool:
        """Record a job; False when a job with this key was already recorded (nothing is added twice)."""
        statement = _enqueue_returning_id()
        parameters = enqueue_parameters(job, payload, idempotency_key)
        return (await self.session.execute(statement, parameters)).scalar_one_or_none() is not None

    async def claim_pending(self, limit: int) -> list[OutboxEvent]:
        """Lock up to `limit` pending rows, oldest first."""
        statement = (
            select(OutboxEvent)
            .where(OutboxEvent.status == OutboxStatus.pending)
            .order_by(OutboxEvent.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(statement)).scalars())

    async def mark_dispatched(self, event_ids: list[uuid.UUID]) -> None:
        if event_ids:
            await self.session.execute(
                update(OutboxEvent).where(OutboxEvent.id.in_(event_ids))
                .values(status=OutboxStatus.dispatched, dispatched_at=datetime.now(UTC),
                        attempts=OutboxEvent.attempts + 1)
            )

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
