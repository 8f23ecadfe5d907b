"""All SQL for agent runs."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.agent_runs.locks import run_lock_key
from store.inserts import insert_once_statement
from store.models import AgentRun, RunStatus


# A turn's steps run these two: built once per process (building an ORM statement costs as much CPU as running it).
@cache
def _begin_step() -> Any:
    """A Core UPDATE ... RETURNING read into the mapped class (`from_statement`): the ORM's bulk-update path would
    rebuild the statement on every execution."""
    table = cast(Table, AgentRun.__table__)
    row = (table.update().where(table.c.id == bindparam("run_id"), table.c.status != RunStatus.cancelled)
           .values(status=RunStatus.running, attempts=table.c.attempts + 1,
                   started_at=func.coalesce(table.c.started_at, bindparam("now", type_=table.c.started_at.type)))
           .returning(*table.c))
    return select(AgentRun).from_statement(row).execution_options(populate_existing=True)


@cache
def _by_key() -> Any:
    return select(AgentRun).where(AgentRun.idempotency_key == bindparam("key"))


@cache
def _end_step(outcome: bool, status: bool, completed: bool) -> Any:
    """On the table, not the mapped class: nothing in the session needs updating from it, and a Core UPDATE skips
    the ORM's bulk-update preparation (a third of the statement's CPU)."""
    table = cast(Table, AgentRun.__table__)
    values: dict[str, object] = {"last_error": None, "recoveries": 0}
    if outcome:
        values["outcome"] = bindparam("outcome", type_=table.c.outcome.type)
    if status:
        values["status"] = bindparam("status", type_=table.c.status.type)
    if completed:
        values["finished_at"] = func.coalesce(table.c.finished_at, bindparam("now", type_=table.c.finished_at.type))
    return (table.update().where(table.c.id == bindparam("run_id"), table.c.status != RunStatus.cancelled)
            .values(**values))


class AgentRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, object]) -> tuple[AgentRun, bool]:
        """Insert unless a run with this idempotency key exists; return the run and whether it is new. Read first:
        a conversation's every reply after the first finds its run (one round trip); a new run comes back from
        its insert."""
        key = str(values["idempotency_key"])
        run = await self.by_key(key)
        if run is not None:
            return run, False
        row = {"status": RunStatus.queued, "attempts": 0, **values}
        statement = insert_once_statement(AgentRun, tuple(sorted(row)), ("idempotency_key",))
        run = (await self.session.execute(statement, {"id": uuid.uuid4(), **row})).scalar_one_or_none()
        if run is not None:
            return run, True
        run = await self.by_key(key)  # a concurrent caller inserted it first (committed by now)
        assert run is not None
        return run, False

    async def by_key(self, idempotency_key: str) -> AgentRun | None:
        return (await self.session.execute(_by_key(), {"key": idempotency_key})).scalar_one_or_none()

    async def get(self, run_id: uuid.UUID, *, for_update: bool = False) -> AgentRun | None:
        statement = select(AgentRun).where(AgentRun.id == run_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    # A step's start and end are one UPDATE each (no read, then write): two of a turn's round trips fewer. The
    # row lock the UPDATE takes is the one the read FOR UPDATE took before; a cancelled run is left alone.
    async def begin_step(self, run_id: uuid.UUID, now: datetime) -> AgentRun | None:
        """Running, one attempt more, started now unless it had started; None when gone or cancelled."""
        return (await self.session.execute(_begin_step(), {"run_id": run_id, "now": now})).scalar_one_or_none()

    async def end_step(self, run_id: uuid.UUID, status: RunStatus | None, outcome: str | None,
                       now: datetime) -> None:
        """The step ended: no error, a fresh recovery count (a later crash starts a new one), `status` when
        given (completed: finished now unless it had finished), `outcome` when given."""
        parameters: dict[str, object] = {"run_id": run_id, "now": now}
        if outcome:
            parameters["outcome"] = outcome
        if status is not None:
            parameters["status"] = status
        await self.session.execute(_end_step(bool(outcome), status is not None, status == RunStatus.completed),
                                   parameters)

    async def for_campaign(self, campaign_id: uuid.UUID) -> list[AgentRun]:
        statement = select(AgentRun).where(AgentRun.campaign_id == campaign_id).order_by(AgentRun.created_at)
        return list((await self.session.execute(statement)).scalars())

    async def cancel_for_campaign(self, campaign_id: uuid.UUID) -> None:
        open_statuses = (RunStatus.queued, RunStatus.running, RunStatus.waiting_approval, RunStatus.failed,
                         RunStatus.needs_attention)
        await self.session.execute(
            update(AgentRun).where(AgentRun.campaign_id == campaign_id, AgentRun.status.in_(open_statuses))
            .values(status=RunStatus.cancelled)
        )

    async def running_untouched_since(self, before: datetime, limit: int) -> list[AgentRun]:
        """Runs still `running` whose row nobody touched since `before`, locked (SKIP LOCKED: a concurrent
        sweep or a step that is just recording takes the others)."""
        statement = (select(AgentRun).where(AgentRun.status == RunStatus.running, AgentRun.updated_at < before)
                     .order_by(AgentRun.updated_at).limit(limit).with_for_update(skip_locked=True))
        return list((await self.session.execute(statement)).scalars())

    async def step_in_progress(self, run_id: uuid.UUID) -> bool:
        """True while a live job holds the run's advisory lock. When it is free, this transaction takes it until it
        ends, so no step starts on the run while the sweep decides about it."""
        taken = (await self.session.execute(select(func.pg_try_advisory_xact_lock(run_lock_key(run_id))))).scalar()
        return not taken
