"""Helpers for the analytics tests: a campaign with participating creators, payments written as the contract flow
would (a contract + its payments, without running the agents), and the click/rollup jobs run in-process."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from store.conversations.service import ConversationService
from store.db import unit_of_work
from store.models import Contract, Negotiation, NegotiationStatus, Payment, PaymentStatus
from tests.agents_flow import FULL_BRIEF, create_campaign, seed_creator
from workers.analytics import flush_all_clicks, refresh_rollups


@dataclass(frozen=True)
class Setup:
    campaign_id: uuid.UUID
    organization_id: uuid.UUID
    creator_ids: list[uuid.UUID]
    headers: dict[str, str]


async def campaign_with_creators(client: httpx.AsyncClient, headers: dict[str, str], names: list[str],
                                 brief: dict[str, Any] | None = None, name: str = "Spring launch") -> Setup:
    campaign = await create_campaign(client, headers, brief or FULL_BRIEF, name=name)
    campaign_id = uuid.UUID(campaign["id"])
    creator_ids = [await seed_creator(creator_name) for creator_name in names]
    async with unit_of_work() as session:
        from store.campaigns.repository import CampaignRepository

        row = await CampaignRepository(session).get_any_tenant(campaign_id)
        assert row is not None
        organization_id = row.organization_id
        for creator_id in creator_ids:
            await ConversationService(session).open(organization_id, campaign_id, creator_id)
    return Setup(campaign_id, organization_id, creator_ids, headers)


async def add_payments(setup: Setup, creator_id: uuid.UUID, fee: str, *, paid: str = "0", currency: str = "EUR",
                       paid_at: datetime | None = None) -> None:
    """An agreed negotiation, its contract and two payments (paid + scheduled) summing to `fee`."""
    async with unit_of_work() as session:
        conversation = await ConversationService(session).open(setup.organization_id, setup.campaign_id, creator_id)
        negotiation = Negotiation(organization_id=setup.organization_id, campaign_id=setup.campaign_id,
                                  creator_id=creator_id, conversation_id=conversation.id,
                                  status=NegotiationStatus.contracted, rounds=1, fee=Decimal(fee), currency=currency,
                                  creator_ask=Decimal(fee), agreed_at=datetime.now(UTC))
        session.add(negotiation)
        await session.flush()
        contract = Contract(organization_id=setup.organization_id, campaign_id=setup.campaign_id,
                            creator_id=creator_id, negotiation_id=negotiation.id,
                            reference=f"CTR-{uuid.uuid4().hex[:10].upper()}", template_id="standard",
                            template_version="1", terms={})
        session.add(contract)
        await session.flush()
        rest = Decimal(fee) - Decimal(paid)
        for key, amount, status in (("advance", Decimal(paid), PaymentStatus.paid),
                                    ("final", rest, PaymentStatus.scheduled)):
            if amount:
                session.add(Payment(
                    organization_id=setup.organization_id, campaign_id=setup.campaign_id, contract_id=contract.id,
                    creator_id=creator_id, milestone_key=key, kind=key, trigger="signature", description=key,
                    amount=amount, currency=currency, status=status,
                    paid_at=(paid_at or datetime.now(UTC)) if status == PaymentStatus.paid else None,
                    payout_idempotency_key=f"payout:{contract.id}:{key}"))


async def settle() -> None:
    """What the analytics sweeper does: flush clicks, mark spend changes, refresh rollups."""
    from workers.analytics import mark_changed_spend

    await flush_all_clicks()
    await mark_changed_spend()
    await refresh_rollups()
