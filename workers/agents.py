"""Agent actors: `agents.run` starts (or continues) a run, `agents.resume` resumes it after a decision.

Both are fed by the outbox (the confirmation, the shortlist approval and each decision write the row in their
own transaction) and are idempotent (`agents/runner.py`): at-least-once delivery and retries are safe.
Tests call `run_agent` / `resume_agent` directly, the functions the actors wrap.
"""

from __future__ import annotations

import uuid

import dramatiq

from agents.runner import resume_run, start_run
from core.settings import get_settings
from workers import broker as _broker  # noqa: F401  (installs the broker)

_TIME_LIMIT_MS = get_settings().AGENT_RUN_TIME_LIMIT_SECONDS * 1000


async def run_agent(run_id: str) -> None:
    await start_run(uuid.UUID(run_id))


async def resume_agent(run_id: str, approval_id: str) -> None:
    await resume_run(uuid.UUID(run_id), uuid.UUID(approval_id))


run = dramatiq.actor(actor_name="agents.run", max_retries=5, min_backoff=1_000, max_backoff=60_000,
                     time_limit=_TIME_LIMIT_MS)(run_agent)
resume = dramatiq.actor(actor_name="agents.resume", max_retries=5, min_backoff=1_000, max_backoff=60_000,
                        time_limit=_TIME_LIMIT_MS)(resume_agent)
