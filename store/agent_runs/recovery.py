"""Runs stranded by a dead step are recovered or handed to a person, never left `running` (the `agents.sweep`).

A step marks its run `running` (committed), then holds the run's advisory lock on its checkpointer connection
while it advances the graph, and records the outcome (`waiting_approval`, `completed`, `failed`). A worker
killed mid-step leaves the row `running`; Postgres releases the lock with the dead connection. So a run is
*stranded* when it is `running`, untouched for AGENT_RUN_STALE_AFTER_SECONDS, and its lock is free.

Usually the broker has already brought the dead step's job back (workers/broker_maintenance.py) and it simply
runs again; the sweep is the backstop for a job that is gone (retries exhausted, dropped for age). For each
stranded run it writes one `agents.recover` job (outbox key `recover:<run>:<n>`, so a repeated sweep adds
nothing) that continues the thread from its last checkpoint (`agents/recovery.py`), and touches the row so the
next sweep waits a whole window again. After AGENT_RUN_MAX_RECOVERIES recoveries without a step that ended, the
run becomes `needs_attention` and its campaign's manager gets a notification. Flushes only.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings, get_settings
from store.agent_runs.repository import AgentRunRepository
from store.campaigns.repository import CampaignRepository
from store.jobs import AGENTS_RECOVER
from store.jobs import AgentRun as AgentRunJob
from store.models import AgentRun, RunStatus
from store.notifications.service import NewNotification, NotificationService
from store.outbox.repository import OutboxRepository


class StrandedRuns:
    def __init__(self, session: AsyncSession, settings: Settings | None = None) -> None:
        self.session = session
        self.settings = settings or get_settings()
        self.runs = AgentRunRepository(session)

    async def sweep(self, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
        now = now or datetime.now(UTC)
        before = now - timedelta(seconds=self.settings.AGENT_RUN_STALE_AFTER_SECONDS)
        counts = {"recovered": 0, "needs_attention": 0, "still_running": 0}
        for run in await self.runs.running_untouched_since(before, limit):
            if await self.runs.step_in_progress(run.id):  # a long step, alive: leave it alone
                counts["still_running"] += 1
                continue
            if run.recoveries >= self.settings.AGENT_RUN_MAX_RECOVERIES:
                await self._needs_attention(run, now)
                counts["needs_attention"] += 1
            else:
                run.recoveries += 1
                run.updated_at = now  # the next sweep gives the recovery a whole window
                await OutboxRepository(self.session).enqueue(AGENTS_RECOVER, AgentRunJob(run_id=run.id),
                                                             f"recover:{run.id}:{run.recoveries}")
                counts["recovered"] += 1
        await self.session.flush()
        return counts

    async def _needs_attention(self, run: AgentRun, now: datetime) -> None:
        run.status = RunStatus.needs_attention
        run.updated_at = now
        run.last_error = (f"its step died {run.recoveries + 1} times in a row (worker crash or restart); "
                          "stopped recovering it automatically")
        campaign = await CampaignRepository(self.session).get_any_tenant(run.campaign_id)
        if campaign is None:
            return
        who = f" with creator {run.creator_id}" if run.creator_id else ""
        await NotificationService(self.session).notify(NewNotification(
            organization_id=run.organization_id, user_id=campaign.created_by_id, campaign_id=campaign.id,
            kind="run_needs_attention", idempotency_key=f"needs-attention:{run.id}:{run.attempts}",
            subject=f"An agent run of {campaign.name} needs your attention",
            body=(f"The {run.kind} run{who} in \"{campaign.name}\" stopped {run.recoveries + 1} times in a row "
                  "while it was working (a worker crashed or was restarted) and is no longer retried "
                  "automatically. Nothing was sent without your approval; the campaign's other runs go on. Check its "
                  "approvals and the worker logs."),
            data={"run_id": str(run.id), "kind": str(run.kind), "attempts": run.attempts}))
