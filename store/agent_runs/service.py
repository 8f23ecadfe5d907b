"""Agent runs: creating them (with their `agents.run` job, in the caller's transaction) and the bookkeeping
the worker does around each graph step. A run's id is its LangGraph thread id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from store.agent_runs.repository import AgentRunRepository
from store.jobs import AGENTS_RECOVER, AGENTS_RUN
from store.jobs import AgentRun as AgentRunJob
from store.models import AgentRun, RunKind, RunStatus
from store.outbox.repository import OutboxRepository

FINISHED = (RunStatus.completed, RunStatus.cancelled)
RETRYABLE = (RunStatus.failed, RunStatus.needs_attention)


@dataclass(frozen=True)
class NewRun:
    organization_id: uuid.UUID
    campaign_id: uuid.UUID
    kind: RunKind
    idempotency_key: str
    input: dict[str, Any]
    parent_run_id: uuid.UUID | None = None
    creator_id: uuid.UUID | None = None
    channel: str | None = None


class AgentRunService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.runs = AgentRunRepository(session)
        self.outbox = OutboxRepository(session)

    async def start(self, new: NewRun) -> AgentRun:
        """Create the run and its `agents.run` job once per idempotency key."""
        run, _ = await self.runs.insert_once({
            "organization_id": new.organization_id, "campaign_id": new.campaign_id, "kind": new.kind,
            "idempotency_key": new.idempotency_key, "input": new.input, "parent_run_id": new.parent_run_id,
            "creator_id": new.creator_id, "channel": new.channel,
        })
        await self.outbox.enqueue(AGENTS_RUN, AgentRunJob(run_id=run.id), f"run:{run.id}")
        return run

    async def get(self, run_id: uuid.UUID) -> AgentRun | None:
        return await self.runs.get(run_id)

    async def begin_step(self, run_id: uuid.UUID) -> AgentRun | None:
        """Mark the run running for one worker step; None when it is gone or was cancelled."""
        return await self.runs.begin_step(run_id, datetime.now(UTC))

    async def end_step(self, run_id: uuid.UUID, *, waiting: bool, finished: bool, outcome: str | None) -> None:
        """Record how the step ended (waiting for a decision, finished, or neither); a cancelled run stays so."""
        status = RunStatus.waiting_approval if waiting else RunStatus.completed if finished else None
        await self.runs.end_step(run_id, status, outcome, datetime.now(UTC))

    async def fail_step(self, run_id: uuid.UUID, error: str) -> None:
        run = await self.runs.get(run_id, for_update=True)
        if run is not None and run.status != RunStatus.cancelled:
            run.status = RunStatus.failed
            run.last_error = error[:4000]
            await self.session.flush()

    async def retry(self, campaign_id: uuid.UUID, run_id: uuid.UUID) -> AgentRun:
        """The manager's retry of a run that failed or stopped recovering by itself: one `agents.recover` job
        continues it from its last checkpoint (`agents/recovery.py`), with a fresh recovery count. The key holds
        the run's step count, so a double click adds one job, and a run already queued again is a 409."""
        run = await self.runs.get(run_id, for_update=True)
        if run is None or run.campaign_id != campaign_id:
            raise NotFound("Agent run not found in this campaign", code="run_not_found")
        if run.status not in RETRYABLE:
            raise Conflict(f"Only a run that failed or needs attention can be retried; this one is {run.status}",
                           code="run_not_retryable")
        run.status, run.recoveries, run.last_error = RunStatus.queued, 0, None
        await self.outbox.enqueue(AGENTS_RECOVER, AgentRunJob(run_id=run.id), f"retry:{run.id}:{run.attempts}")
        await self.session.flush()
        return run

    async def for_campaign(self, campaign_id: uuid.UUID) -> list[AgentRun]:
        return await self.runs.for_campaign(campaign_id)

    async def cancel_for_campaign(self, campaign_id: uuid.UUID) -> None:
        await self.runs.cancel_for_campaign(campaign_id)
