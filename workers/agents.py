"""Agent actors: `agents.run` starts (or continues) a run, `agents.resume` resumes it after a decision,
`agents.recover` continues a run whose step died, and the periodic `agents.sweep` finds such stranded runs.

The first three are fed by the outbox (the confirmation, the shortlist approval, each decision and the sweep
write the row in their own transaction) and are idempotent (`agents/runner.py`, `agents/recovery.py`):
at-least-once delivery and retries are safe. Tests deliver them (again) through the broker with
`tests/support/jobs.run_job`.
"""

from __future__ import annotations

from agents.recovery import recover_run
from agents.runner import resume_run, start_run
from store.agent_runs.recovery import StrandedRuns
from store.db import unit_of_work
from store.jobs import AGENTS_RECOVER, AGENTS_RESUME, AGENTS_RUN, AGENTS_SWEEP, AgentResume, AgentRun, NoPayload
from workers.jobs import job_actor


@job_actor(AGENTS_RUN)
async def run(job: AgentRun) -> None:
    await start_run(job.run_id)


@job_actor(AGENTS_RESUME)
async def resume(job: AgentResume) -> None:
    await resume_run(job.run_id, job.approval_id)


@job_actor(AGENTS_RECOVER)
async def recover(job: AgentRun) -> str:
    return await recover_run(job.run_id)


async def sweep_stranded_runs() -> dict[str, int]:
    """Stranded runs: one recovery job each, or `needs_attention` after too many (`store/agent_runs/recovery.py`)."""
    async with unit_of_work() as session:
        return await StrandedRuns(session).sweep()


@job_actor(AGENTS_SWEEP)
async def sweep(_: NoPayload) -> dict[str, int]:
    return await sweep_stranded_runs()
