"""Helpers for the contracts / deliverables / payments flow tests: an agreed negotiation (created directly, as the
negotiation agent would leave it), and reading what was queued for sending. Jobs run through the one pump
(`tests/support/jobs.run_jobs()`); without a `mail_sink` the sends fail retryably (nothing listens), so tests
assert the queued `Message` and its outbox row.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import select

from store.contracts.service import ContractService
from store.conversations.service import ConversationService
from store.db import unit_of_work
from store.models import Creator, Message, Negotiation, NegotiationStatus, OutboxEvent
from tests.agents_flow import FULL_BRIEF, create_campaign, decide, pending
from tests.conftest import login
from tests.support.jobs import run_jobs

DELIVERABLES = [{"platform": "instagram", "kind": "reel", "quantity": 1, "due_date": "2026-04-10"},
                {"platform": "instagram", "kind": "story", "quantity": 3, "due_date": None}]
# The standard template's schedule: contracts drafted from it match the standard contract clause for clause.
STANDARD_SCHEDULE = [{"kind": "advance", "percent": "50", "net_days": 14}, {"kind": "final", "percent": "50",
                                                                              "net_days": 30}]
TOKEN = re.compile(r"/contracts/([0-9a-f-]{36})/sign\?token=([A-Za-z0-9_\-]+)")


@dataclass(frozen=True)
class Deal:
    campaign_id: str
    creator_id: uuid.UUID
    negotiation_id: uuid.UUID
    creator_headers: dict[str, str] | None


async def register_creator(client: httpx.AsyncClient, name: str) -> tuple[uuid.UUID, dict[str, str]]:
    response = await client.post("/auth/register/creator", json={
        "email": f"{name}@example.com", "username": name, "password": "correct-horse-1",
        "full_name": f"{name.title()} Park", "category": "beauty", "instagram_followers": 52000, "country": "GB"})
    assert response.status_code == 201, response.text
    tokens = await login(client, name)
    async with unit_of_work() as session:
        creator = (await session.execute(select(Creator).where(Creator.email == f"{name}@example.com"))).scalar_one()
    return creator.id, {"Authorization": f"Bearer {tokens['access_token']}"}


async def agreed_negotiation(client: httpx.AsyncClient, headers: dict[str, str], *, creator: str = "cleo",
                             fee: str = "1200.00", budget: int = 20000, status: NegotiationStatus =
                             NegotiationStatus.agreed, campaign_id: str | None = None, **fields: Any) -> Deal:
    """A campaign (budget in EUR), a creator with a login, their conversation and an agreed negotiation record."""
    if campaign_id is None:
        campaign_id = (await create_campaign(client, headers, {**FULL_BRIEF, "budget": budget}))["id"]
    creator_id, creator_headers = await register_creator(client, creator)
    async with unit_of_work() as session:
        from store.campaigns.repository import CampaignRepository

        campaign = await CampaignRepository(session).get_any_tenant(uuid.UUID(campaign_id))
        assert campaign is not None
        conversation = await ConversationService(session).open(campaign.organization_id, campaign.id, creator_id)
        values: dict[str, Any] = {
            "rounds": 2, "creator_ask": Decimal(fee) if fee else None, "our_offer": Decimal(fee) if fee else None,
            "fee": Decimal(fee) if fee else None, "currency": "EUR", "deliverables": DELIVERABLES,
            "start_date": date(2026, 3, 1), "end_date": date(2026, 4, 30), "usage_rights": "organic and paid social",
            "usage_rights_months": 6, "exclusivity": "sports nutrition", "exclusivity_months": 2, "exclusive": True,
            "payment_schedule": STANDARD_SCHEDULE, "agreed_at": datetime.now(UTC), **fields}
        negotiation = Negotiation(organization_id=campaign.organization_id, campaign_id=campaign.id,
                                  creator_id=creator_id, conversation_id=conversation.id, status=status, **values)
        session.add(negotiation)
        await session.flush()
        negotiation_id = negotiation.id
    return Deal(campaign_id=campaign_id, creator_id=creator_id, negotiation_id=negotiation_id,
                creator_headers=creator_headers)


async def contract_approval(client: httpx.AsyncClient, headers: dict[str, str], deal: Deal) -> dict[str, Any]:
    async with unit_of_work() as session:
        assert await ContractService(session).start_for_negotiation(deal.negotiation_id)
    await run_jobs()
    approvals = [item for item in await pending(client, headers, "contract") if item["campaign_id"] == deal.campaign_id]
    assert len(approvals) == 1, approvals
    return approvals[0]


async def sent_contract(client: httpx.AsyncClient, headers: dict[str, str], deal: Deal,
                        edit: dict[str, Any] | None = None) -> dict[str, Any]:
    """The contract after its approval (edited with `edit` when given): rendered, stored and sent."""
    approval = await contract_approval(client, headers, deal)
    response = await (decide(client, headers, approval["id"], "edit", payload=edit) if edit else
                      decide(client, headers, approval["id"], "approve"))
    assert response.status_code == 200, response.text
    await run_jobs()
    contract_id = approval["action_request"]["args"]["contract_id"]
    contract = (await client.get(f"/contracts/{contract_id}", headers=headers)).json()
    assert contract["status"] == "awaiting_signature", contract
    return contract


async def creator_messages(creator_id: uuid.UUID) -> list[Message]:
    async with unit_of_work() as session:
        from store.models import Conversation

        statement = (select(Message).join(Conversation, Conversation.id == Message.conversation_id)
                     .where(Conversation.creator_id == creator_id).order_by(Message.created_at))
        return list((await session.execute(statement)).scalars())


async def signing_token(creator_id: uuid.UUID) -> str:
    """The token in the latest signing link queued for the creator."""
    links = [TOKEN.search(message.body_text) for message in await creator_messages(creator_id)]
    found = [match.group(2) for match in links if match]
    assert found, "no signing link was queued"
    return found[-1]


async def outbox_for(key: str) -> OutboxEvent | None:
    async with unit_of_work() as session:
        statement = select(OutboxEvent).where(OutboxEvent.idempotency_key == key)
        return (await session.execute(statement)).scalar_one_or_none()


async def sign(client: httpx.AsyncClient, contract: dict[str, Any], token: str | None,
               headers: dict[str, str] | None = None, **overrides: Any) -> httpx.Response:
    body = {"full_name": "Cleo Park", "consent": True, "document_sha256": contract["document_sha256"],
            **({"token": token} if token else {}), **overrides}
    return await client.post(f"/contracts/{contract['id']}/sign", json=body, headers=headers or {},
                             )


async def signed_contract(client: httpx.AsyncClient, headers: dict[str, str], deal: Deal,
                          edit: dict[str, Any] | None = None) -> dict[str, Any]:
    contract = await sent_contract(client, headers, deal, edit)
    response = await sign(client, contract, await signing_token(deal.creator_id))
    assert response.status_code == 200, response.text
    return dict(response.json())


async def payment_approvals(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return await pending(client, headers, "payment")
