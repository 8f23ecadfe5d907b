"""Agent actors: `agents.run` starts (or continues) a run, `agents.resume` resumes it after a decision.

Both are fed by the outbox (the confirmation, the shortlist approval and each decision write the row in their
own transaction) and are idempotent (`agents/runner.py`): at-least-once delivery and retries are safe.
Tests deliver them (again) through the broker with `tests/support/jobs.run_job`.
"""

from __future__ import annotations

from agents.runner import resume_run, start_run
from store.jobs import AGENTS_RESUME, AGENTS_RUN, AgentResume, AgentRun
from workers.jobs import job_actor


@job_actor(AGENTS_RUN)
async def run(job: AgentRun) -> None:
    await start_run(job.run_id)


@job_actor(AGENTS_RESUME)
async def resume(job: AgentResume) -> None:
    await resume_run(job.run_id, job.approval_id)
