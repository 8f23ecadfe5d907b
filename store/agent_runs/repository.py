"""All SQL for agent runs."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.agent_runs.locks import run_lock_key
from store.models import AgentRun, RunStatus


class AgentRunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, object]) -> tuple[AgentRun, bool]:
        """Insert unless a run with this idempotency key exists; return the run and whether it is new."""
        statement = (insert(AgentRun).values(id=uuid.uuid4(), status=RunStatus.queued, attempts=0, **values)
                     .on_conflict_do_nothing(index_elements=[AgentRun.idempotency_key]).returning(AgentRun.id))
        new_id = (await self.session.execute(statement)).scalar_one_or_none()
        run = await self.by_key(str(values["idempotency_key"]))
        assert run is not None
        return run, new_id is not None

    async def by_key(self, idempotency_key: str) -> AgentRun | None:
        statement = select(AgentRun).where(AgentRun.idempotency_key == idempotency_key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get(self, run_id: uuid.UUID, *, for_update: bool = False) -> AgentRun | None:
        statement = select(AgentRun).where(AgentRun.id == run_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

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
