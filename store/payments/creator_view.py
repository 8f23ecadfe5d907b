"""A creator's own payments (every organization that pays them) with their invoices, through their login."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.campaigns.repository import CampaignRepository
from store.models import Campaign, Invoice, Payment


async def payments_for_creator_user(session: AsyncSession, user_id: uuid.UUID,
                                    limit: int = 200) -> list[tuple[Payment, Invoice | None, str]]:
    """(payment, its invoice if paid, the campaign's name), newest first; nobody else's."""
    creator = await CampaignRepository(session).creator_of_user(user_id)
    if creator is None:
        return []
    statement = (select(Payment, Invoice, Campaign.name)
                 .join(Campaign, Campaign.id == Payment.campaign_id)
                 .outerjoin(Invoice, Invoice.payment_id == Payment.id)
                 .where(Payment.creator_id == creator.id)
                 .order_by(Payment.created_at.desc(), Payment.milestone_key).limit(limit))
    return [(payment, invoice, name) for payment, invoice, name in await session.execute(statement)]
