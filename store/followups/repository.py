"""All SQL for follow-ups: conversations whose follow-up is due, claimed with SKIP LOCKED."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Campaign, CampaignStatus, Conversation, ConversationStatus


class FollowUpRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due(self, now: datetime, limit: int) -> list[tuple[Conversation, Campaign]]:
        """Open conversations of live, active campaigns whose follow-up time has come; rows locked, others'
        locks skipped (several sweepers never claim the same conversation)."""
        statement = (select(Conversation, Campaign).join(Campaign, Campaign.id == Conversation.campaign_id)
                     .where(Conversation.follow_up_due_at <= now, Conversation.status == ConversationStatus.open,
                            Campaign.status == CampaignStatus.active, Campaign.deleted_at.is_(None))
                     .order_by(Conversation.follow_up_due_at).limit(limit)
                     .with_for_update(of=Conversation, skip_locked=True))
        return [(row[0], row[1]) for row in (await self.session.execute(statement)).all()]
