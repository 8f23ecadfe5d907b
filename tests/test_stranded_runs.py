"""A run whose step died is never left `running`: the agents.sweep writes one `agents.recover` job that continues
it (from its input, its last checkpoint, or the decision its lost `agents.resume` carried), leaves a live step
(advisory lock held) alone, and after AGENT_RUN_MAX_RECOVERIES hands the run to the manager (`needs_attention`
and a notification)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select, text, update

from core.settings import get_settings
from store.agent_runs.locks import run_lock_key
from store.agent_runs.recovery import StrandedRuns
from store.db import get_engine, unit_of_work
from store.jobs import AGENTS_RESUME, AGENTS_RUN
from store.models import AgentRun, Notification, OutboxEvent, RunKind, RunStatus
from tests.agents_flow import confirmed_campaign, decide, pending, seed_creator
from tests.conftest import manager_headers
from tests.support.jobs import run_jobs
from workers.agents import sweep_stranded_runs


def _later() -> datetime:
    return datetime.now(UTC) + timedelta(seconds=get_settings().AGENT_RUN_STALE_AFTER_SECONDS + 5)


async def _strand(run_id: uuid.UUID, recoveries: int = 0) -> None:
    """What a worker killed mid-step leaves: the row `running` (begin_step committed), nothing recorded after."""
    async with unit_of_work() as session:
        await session.execute(update(AgentRun).where(AgentRun.id == run_id)
                              .values(status=RunStatus.running, recoveries=recoveries))


async def _sweep(now: datetime | None = None) -> dict[str, int]:
    async with unit_of_work() as session:
        return await StrandedRuns(session).sweep(now or _later())


async def _run(run_id: uuid.UUID) -> AgentRun:
    async with unit_of_work() as session:
        run = await session.get(AgentRun, run_id)
        assert run is not None
        return run


async def _recover_rows(run_id: uuid.UUID) -> list[str]:
    async with unit_of_work() as session:
        statement = select(OutboxEvent.idempotency_key).where(OutboxEvent.actor_name == "agents.recover",
                                                              OutboxEvent.payload["run_id"].astext == str(run_id))
        return sorted((await session.execute(statement)).scalars())


async def test_a_run_whose_first_step_died_is_started_by_a_recovery_job(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    run_id = uuid.UUID(campaign["run_id"])
    await run_jobs(lose=[AGENTS_RUN])  # the worker died with the job mid-step
    await _strand(run_id)

    assert await _sweep(datetime.now(UTC)) == {"recovered": 0, "needs_attention": 0, "still_running": 0}  # too new
    assert await _sweep() == {"recovered": 1, "needs_attention": 0, "still_running": 0}
    assert await _sweep() == {"recovered": 0, "needs_attention": 0, "still_running": 0}  # one job per window
    assert await _recover_rows(run_id) == [f"recover:{run_id}:1"]

    ran = await run_jobs()
    assert [job.result for job in ran if job.name == "agents.recover"] == ["started"]
    run = await _run(run_id)
    assert run.status == RunStatus.waiting_approval and run.recoveries == 0  # the step ended: count reset
    assert len(await pending(client, headers, "shortlist")) == 1


async def test_a_lost_resume_is_replayed_with_the_recorded_decision(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    run_id = uuid.UUID(campaign["run_id"])
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    assert (await decide(client, headers, shortlist["id"], "approve")).status_code == 200
    await run_jobs(lose=[AGENTS_RESUME])  # the resume died with its worker
    await _strand(run_id)

    assert (await sweep_stranded_runs())["recovered"] == 0  # the worker's own sweep: nothing stale yet
    assert (await _sweep())["recovered"] == 1
    ran = await run_jobs()
    assert [job.result for job in ran if job.name == "agents.recover"] == ["resumed with the recorded decision"]
    run = await _run(run_id)
    assert run.status == RunStatus.completed and run.outcome == "shortlist_approved"
    async with unit_of_work() as session:
        outreach = (await session.execute(select(AgentRun).where(AgentRun.parent_run_id == run_id))).scalars().all()
    assert [r.kind for r in outreach] == [RunKind.outreach]
    assert len(await pending(client, headers, "message")) == 1


async def test_a_live_step_is_left_alone(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await confirmed_campaign(client, headers)
    run_id = uuid.UUID(campaign["run_id"])
    await _strand(run_id)
    async with get_engine().connect() as step:  # a long step, alive: its connection holds the run's lock
        await step.execute(text("SELECT pg_advisory_lock(:key)"), {"key": run_lock_key(run_id)})
        assert await _sweep() == {"recovered": 0, "needs_attention": 0, "still_running": 1}
        await step.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": run_lock_key(run_id)})
    assert (await _run(run_id)).status == RunStatus.running
    assert await _recover_rows(run_id) == []


async def test_after_too_many_recoveries_the_manager_is_asked_to_look(client: httpx.AsyncClient,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "AGENT_RUN_MAX_RECOVERIES", 2)
    headers = await manager_headers(client)
    campaign = await confirmed_campaign(client, headers)
    run_id = uuid.UUID(campaign["run_id"])
    await _strand(run_id, recoveries=2)

    assert await _sweep() == {"recovered": 0, "needs_attention": 1, "still_running": 0}
    run = await _run(run_id)
    assert run.status == RunStatus.needs_attention and "3 times in a row" in (run.last_error or "")
    async with unit_of_work() as session:
        [notification] = (await session.execute(select(Notification))).scalars().all()
    assert notification.kind == "run_needs_attention" and notification.data["run_id"] == str(run_id)
    assert await _sweep() == {"recovered": 0, "needs_attention": 0, "still_running": 0}  # reported once
    cancelled = await client.delete(f"/campaigns/{campaign['id']}", headers=headers)
    assert cancelled.status_code in (200, 204)
    assert (await _run(run_id)).status == RunStatus.cancelled  # still an open run a cancellation reaches


async def test_the_manager_retries_a_run_that_needs_attention(client: httpx.AsyncClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "AGENT_RUN_MAX_RECOVERIES", 0)
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    run_id = uuid.UUID(campaign["run_id"])
    retry = f"/campaigns/{campaign['id']}/runs/{run_id}/retry"
    refused = await client.post(retry, headers=headers)  # queued, not stuck: nothing to retry
    assert refused.status_code == 409 and refused.json()["code"] == "run_not_retryable"
    await _strand(run_id)
    assert await _sweep() == {"recovered": 0, "needs_attention": 1, "still_running": 0}

    other = await manager_headers(client, "olga", "Other Co")  # another organization's manager: not their campaign
    assert (await client.post(retry, headers=other)).status_code == 404
    missing = await client.post(f"/campaigns/{campaign['id']}/runs/{uuid.uuid4()}/retry", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "run_not_found"

    retried = await client.post(retry, headers=headers)
    assert retried.status_code == 200 and retried.json()["status"] == "queued"
    assert (await client.post(retry, headers=headers)).status_code == 409  # a double click adds nothing
    assert len(await _recover_rows(run_id)) == 1
    await run_jobs()
    assert (await _run(run_id)).status == RunStatus.waiting_approval  # continued: the shortlist awaits approval
    assert await pending(client, headers, "shortlist")
