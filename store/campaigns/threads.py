"""One creator's conversation in a campaign (email and WhatsApp in one thread), for the organization's managers."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from store.campaigns.service import CampaignService
from store.conversations.service import ConversationService
from store.models import Message


async def campaign_thread(session: AsyncSession, organization_id: uuid.UUID | None, campaign_id: uuid.UUID,
                          creator_id: uuid.UUID) -> list[Message]:
    campaign = await CampaignService(session).get(organization_id, campaign_id)  # another tenant's: 404
    return await ConversationService(session).thread_for(campaign.id, creator_id)
