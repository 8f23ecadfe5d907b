"""Crashes and duplicates lose nothing and do nothing twice: the decision and its `agents.resume` row commit
together; a resume that dies midway is retried from the last checkpoint; a job delivered twice at once runs
once (the run's advisory lock), and a job delivered again later finds nothing to do."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from agents.outreach import nodes as outreach_nodes
from store.approvals.service import ApprovalService
from store.campaigns.service import CampaignService
from store.jobs import AGENTS_RESUME, AGENTS_RUN
from store.models import OutboxStatus
from tests.agents_flow import (
    confirmed_campaign,
    decide,
    one_message_draft,
    outbox_rows,
    pending,
    seed_creator,
)
from tests.conftest import manager_headers
from tests.support.jobs import run_job, run_jobs


def fail_once(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    original = getattr(owner, name)
    calls: list[int] = []

    async def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("worker lost its database mid-step")
        return await original(*args, **kwargs)

    monkeypatch.setattr(owner, name, flaky)
    return calls


async def test_decision_survives_a_worker_that_never_resumed(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    draft = await one_message_draft(client, headers)
    await decide(client, headers, draft["id"], "approve")
    # the worker died before resuming: the decision, the send job and the resume job are all committed
    [resume] = [row for row in await outbox_rows("agents.resume") if row.payload["approval_id"] == draft["id"]]
    assert resume.status == OutboxStatus.pending and len(await outbox_rows("messages.send_email")) == 1
    jobs = await run_jobs()  # a new worker picks it up
    resumed = {"run_id": draft["run_id"], "approval_id": draft["id"]}
    assert ("agents.resume", resumed) in [(job.name, job.kwargs) for job in jobs]
    runs = (await client.get(f"/campaigns/{draft['campaign_id']}/runs", headers=headers)).json()
    assert {(r["kind"], r["status"]) for r in runs} == {("discovery", "completed"), ("outreach", "completed")}


async def test_resume_that_crashes_midway_is_retried_from_the_checkpoint(client: httpx.AsyncClient,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    draft = await one_message_draft(client, headers)
    calls = fail_once(monkeypatch, CampaignService, "mark_invited")  # the node after the approval
    await decide(client, headers, draft["id"], "approve")
    with pytest.raises(ConnectionError):
        await run_jobs()
    runs = (await client.get(f"/campaigns/{draft['campaign_id']}/runs", headers=headers)).json()
    failed = next(r for r in runs if r["kind"] == "outreach")
    assert failed["status"] == "failed" and "ConnectionError" in failed["last_error"]
    await run_job(AGENTS_RESUME, run_id=draft["run_id"], approval_id=draft["id"])  # Dramatiq's retry
    assert len(calls) == 2
    runs = (await client.get(f"/campaigns/{draft['campaign_id']}/runs", headers=headers)).json()
    assert next(r for r in runs if r["kind"] == "outreach")["status"] == "completed"
    assert len(await outbox_rows("messages.send_email")) == 1


async def test_a_worker_killed_mid_step_leaves_a_resumable_thread(client: httpx.AsyncClient,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With checkpoints written only when a step stops (`AGENT_CHECKPOINT_DURABILITY="exit"`), a worker killed
    inside a step (its task cancelled in the node after the approval: nothing after it runs, no clean exit)
    leaves the thread at its last checkpoint; the redelivered resume replays the step and sends exactly once."""
    headers = await manager_headers(client)
    draft = await one_message_draft(client, headers)
    reached, original, calls = asyncio.Event(), CampaignService.mark_invited, []

    async def hangs_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            reached.set()
            await asyncio.Event().wait()  # the process dies here
        return await original(*args, **kwargs)

    monkeypatch.setattr(CampaignService, "mark_invited", hangs_once)
    await decide(client, headers, draft["id"], "approve")
    killed = asyncio.create_task(run_jobs())
    await asyncio.wait_for(reached.wait(), 30)
    killed.cancel()
    await asyncio.gather(killed, return_exceptions=True)
    await run_job(AGENTS_RESUME, run_id=draft["run_id"], approval_id=draft["id"])  # the broker redelivers it
    assert len(calls) == 2
    runs = (await client.get(f"/campaigns/{draft['campaign_id']}/runs", headers=headers)).json()
    assert next(r for r in runs if r["kind"] == "outreach")["status"] == "completed"
    assert len(await outbox_rows("messages.send_email")) == 1


async def test_approvals_lost_after_the_graph_step_are_recreated_once(client: httpx.AsyncClient,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    fail_once(monkeypatch, ApprovalService, "open")
    with pytest.raises(ConnectionError):
        await run_jobs()
    assert await pending(client, headers, "shortlist") == []
    await run_job(AGENTS_RUN, run_id=campaign["run_id"])  # redelivered: the thread waits at the interrupt already
    await run_job(AGENTS_RUN, run_id=campaign["run_id"])
    assert len(await pending(client, headers, "shortlist")) == 1


async def test_the_same_resume_delivered_twice_at_once_runs_once(client: httpx.AsyncClient,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    headers = await manager_headers(client)
    draft = await one_message_draft(client, headers)
    await decide(client, headers, draft["id"], "reject", feedback="Warmer tone")
    drafting_calls: list[str | None] = []
    original = outreach_nodes.draft_outreach

    async def counted(*args: Any, **kwargs: Any) -> Any:
        drafting_calls.append(kwargs.get("feedback"))
        await asyncio.sleep(0.01)  # give a concurrent duplicate every chance to interleave
        return await original(*args, **kwargs)

    monkeypatch.setattr(outreach_nodes, "draft_outreach", counted)
    await asyncio.gather(*(run_job(AGENTS_RESUME, run_id=draft["run_id"], approval_id=draft["id"]) for _ in range(3)))
    assert drafting_calls == ["Warmer tone"]
    redrafts = await pending(client, headers, "message")
    assert [d["action_id"] for d in redrafts] == ["message:2"]
    await run_jobs()
    assert [d["action_id"] for d in await pending(client, headers, "message")] == ["message:2"]


async def test_many_runs_progress_concurrently(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    for index in range(6):
        await seed_creator(f"Creator {index}")
    campaign = await confirmed_campaign(client, headers)
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    await decide(client, headers, shortlist["id"], "approve")
    await run_jobs()  # the resume starts six outreach runs...
    drafts = await pending(client, headers, "message")
    assert len(drafts) == 6 and len({d["run_id"] for d in drafts}) == 6
    for draft in drafts:
        await decide(client, headers, draft["id"], "approve")
    await asyncio.gather(*(run_job(AGENTS_RESUME, run_id=d["run_id"], approval_id=d["id"]) for d in drafts))
    runs = (await client.get(f"/campaigns/{campaign['id']}/runs", headers=headers)).json()
    assert sorted(r["status"] for r in runs) == ["completed"] * 7
