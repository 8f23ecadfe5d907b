"""The rows a turn finds or makes in one round trip (conversation, negotiation record, agent run, approval) and the
run's step start and end as one UPDATE each: concurrent callers still get one row, a repeat still finds the first,
and a cancelled run is never started or changed."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select, update

from store.agent_runs.repository import AgentRunRepository
from store.agent_runs.service import AgentRunService
from store.approvals.repository import ApprovalRepository
from store.conversations.repository import ConversationRepository
from store.db import unit_of_work
from store.models import AgentRun, Approval, ApprovalKind, Campaign, Conversation, Negotiation, RunKind, RunStatus
from store.negotiations.repository import NegotiationRepository
from tests.agents_flow import create_campaign, seed_creator
from tests.conftest import manager_headers

CALLERS = 4


async def _campaign(client: httpx.AsyncClient) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """(organization, campaign, creator) ids."""
    campaign_id = uuid.UUID((await create_campaign(client, await manager_headers(client)))["id"])
    creator_id = await seed_creator("Ana Ruiz")
    async with unit_of_work() as session:
        organization_id = (await session.execute(
            select(Campaign.organization_id).where(Campaign.id == campaign_id))).scalar_one()
    return organization_id, campaign_id, creator_id


async def _count(model: Any, *conditions: Any) -> int:
    async with unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(model).where(*conditions))).scalar_one())


def _run_values(organization_id: uuid.UUID, campaign_id: uuid.UUID, key: str) -> dict[str, object]:
    return {"organization_id": organization_id, "campaign_id": campaign_id, "kind": RunKind.negotiation,
            "idempotency_key": key, "input": {}}


async def test_concurrent_callers_get_one_conversation_negotiation_and_run(client: httpx.AsyncClient) -> None:
    organization_id, campaign_id, creator_id = await _campaign(client)

    async def conversation() -> Conversation:
        async with unit_of_work() as session:
            return await ConversationRepository(session).get_or_create(organization_id, campaign_id, creator_id)

    conversations = await asyncio.gather(*(conversation() for _ in range(CALLERS)))
    assert len({found.id for found in conversations}) == 1
    assert await _count(Conversation, Conversation.campaign_id == campaign_id) == 1
    assert (await conversation()).id == conversations[0].id  # a later caller reads it

    async def negotiation() -> uuid.UUID:
        async with unit_of_work() as session:
            return (await NegotiationRepository(session).get_or_create(conversations[0])).id

    negotiations = await asyncio.gather(*(negotiation() for _ in range(CALLERS)))
    assert len(set(negotiations)) == 1 and await negotiation() == negotiations[0]
    assert await _count(Negotiation, Negotiation.conversation_id == conversations[0].id) == 1

    async def run() -> tuple[uuid.UUID, bool]:
        async with unit_of_work() as session:
            found, created = await AgentRunRepository(session).insert_once(
                _run_values(organization_id, campaign_id, f"negotiation:{conversations[0].id}"))
            return found.id, created

    runs = await asyncio.gather(*(run() for _ in range(CALLERS)))
    assert len({run_id for run_id, _ in runs}) == 1
    assert sum(created for _, created in runs) == 1  # exactly one caller made it
    assert await run() == (runs[0][0], False)


async def test_an_approval_is_inserted_once_per_run_and_action(client: httpx.AsyncClient) -> None:
    organization_id, campaign_id, creator_id = await _campaign(client)
    async with unit_of_work() as session:
        run, _ = await AgentRunRepository(session).insert_once(_run_values(organization_id, campaign_id, "run:a"))
    values = {"organization_id": organization_id, "campaign_id": campaign_id, "run_id": run.id,
              "action_id": "reply:1", "kind": ApprovalKind.message, "creator_id": creator_id,
              "request": {"action_request": {"action": "send_message", "args": {}}}}
    async with unit_of_work() as session:
        first, created = await ApprovalRepository(session).insert_once(values)
        assert created and first.created_at is not None and first.request == values["request"]
    async with unit_of_work() as session:
        again, created_again = await ApprovalRepository(session).insert_once(values | {"request": {"changed": 1}})
    assert not created_again and again.id == first.id and again.request == values["request"]
    assert await _count(Approval, Approval.run_id == run.id) == 1


async def test_a_step_starts_and_ends_in_one_update_and_never_touches_a_cancelled_run(
        client: httpx.AsyncClient) -> None:
    organization_id, campaign_id, _ = await _campaign(client)
    async with unit_of_work() as session:
        run, _ = await AgentRunRepository(session).insert_once(_run_values(organization_id, campaign_id, "run:b"))

    async with unit_of_work() as session:
        started = await AgentRunService(session).begin_step(run.id)
    assert started is not None and started.status == RunStatus.running and started.attempts == 1
    assert started.started_at is not None and started.kind == RunKind.negotiation  # the whole row came back
    async with unit_of_work() as session:
        await AgentRunService(session).end_step(run.id, waiting=True, finished=False, outcome=None)
    async with unit_of_work() as session:
        again = await AgentRunService(session).begin_step(run.id)
    assert again is not None and again.attempts == 2 and again.started_at == started.started_at
    async with unit_of_work() as session:
        await AgentRunService(session).end_step(run.id, waiting=False, finished=True, outcome="agreed")
        finished = await session.get(AgentRun, run.id, populate_existing=True)
        assert finished is not None and finished.status == RunStatus.completed and finished.outcome == "agreed"
        assert finished.finished_at is not None and finished.recoveries == 0 and finished.last_error is None

    async with unit_of_work() as session:
        await session.execute(update(AgentRun).where(AgentRun.id == run.id)
                              .values(status=RunStatus.cancelled, finished_at=None, outcome=None))
    async with unit_of_work() as session:
        assert await AgentRunService(session).begin_step(run.id) is None
        await AgentRunService(session).end_step(run.id, waiting=False, finished=True, outcome="late")
    async with unit_of_work() as session:
        cancelled = await session.get(AgentRun, run.id)
        assert cancelled is not None and cancelled.status == RunStatus.cancelled
        assert cancelled.outcome is None and cancelled.finished_at is None and cancelled.attempts == 2
