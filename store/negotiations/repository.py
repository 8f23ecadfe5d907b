"""All SQL for negotiation records and the conversations they belong to."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Campaign, Conversation, ConversationStatus, Negotiation, NegotiationStatus

COMMITTED = (NegotiationStatus.agreed, NegotiationStatus.contracted)


class NegotiationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_create(self, conversation: Conversation) -> Negotiation:
        """The conversation's record, locked; concurrent callers get the same row. Read first: every turn after
        the first finds it (one round trip); a new one comes back from its insert (locked: it is ours until
        commit)."""
        found = await self.for_conversation(conversation.id, for_update=True)
        if found is not None:
            return found
        found = (await self.session.execute(
            insert(Negotiation).values(id=uuid.uuid4(), organization_id=conversation.organization_id,
                                       campaign_id=conversation.campaign_id, creator_id=conversation.creator_id,
                                       conversation_id=conversation.id, status=NegotiationStatus.open, rounds=0,
                                       deliverables=[])
            .on_conflict_do_nothing(index_elements=[Negotiation.conversation_id])
            .returning(Negotiation))).scalar_one_or_none()
        if found is None:  # a concurrent caller inserted it first (committed by now: the insert waited for it)
            found = await self.for_conversation(conversation.id, for_update=True)
        assert found is not None
        return found

    async def for_conversation(self, conversation_id: uuid.UUID, *, for_update: bool = False) -> Negotiation | None:
        statement = select(Negotiation).where(Negotiation.conversation_id == conversation_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement.execution_options(populate_existing=True))).scalar_one_or_none()

    async def committed_fees(self, campaign_id: uuid.UUID, exclude: uuid.UUID | None) -> Decimal:
        """The sum of fees agreed (or contracted) in the campaign, other than `exclude`'s."""
        statement = select(func.coalesce(func.sum(Negotiation.fee), 0)).where(
            Negotiation.campaign_id == campaign_id, Negotiation.status.in_(COMMITTED))
        if exclude is not None:
            statement = statement.where(Negotiation.id != exclude)
        return Decimal((await self.session.execute(statement)).scalar_one() or 0)

    async def past_agreed(self, organization_id: uuid.UUID, creator_id: uuid.UUID, exclude: uuid.UUID | None,
                          limit: int) -> list[tuple[Negotiation, str]]:
        """The creator's agreed (or contracted) negotiations with this organization, with the campaign's name."""
        statement = (select(Negotiation, Campaign.name).join(Campaign, Campaign.id == Negotiation.campaign_id)
                     .where(Negotiation.organization_id == organization_id, Negotiation.creator_id == creator_id,
                            Negotiation.status.in_(COMMITTED), Negotiation.fee.is_not(None)))
        if exclude is not None:
            statement = statement.where(Negotiation.id != exclude)
        rows = await self.session.execute(statement.order_by(Negotiation.agreed_at.desc().nulls_last()).limit(limit))
        return [(negotiation, name) for negotiation, name in rows]

    async def for_campaign(self, campaign_id: uuid.UUID) -> list[Negotiation]:
        statement = (select(Negotiation).where(Negotiation.campaign_id == campaign_id)
                     .order_by(Negotiation.created_at))
        return list((await self.session.execute(statement)).scalars())

    async def conversations_of_creator(self, creator_id: uuid.UUID) -> list[Conversation]:
        statement = (select(Conversation).where(Conversation.creator_id == creator_id)
                     .order_by(Conversation.updated_at.desc()).with_for_update())
        return list((await self.session.execute(statement)).scalars())

    async def open_conversations(self, conversation_ids: list[uuid.UUID]) -> list[Conversation]:
        """Of these conversations, the open ones, most recently active first."""
        if not conversation_ids:
            return []
        statement = (select(Conversation).where(Conversation.id.in_(conversation_ids),
                                                Conversation.status == ConversationStatus.open)
                     .order_by(func.coalesce(Conversation.last_message_at, Conversation.created_at).desc()))
        return list((await self.session.execute(statement)).scalars())

    async def conversations_by_ids(self, conversation_ids: list[uuid.UUID]) -> list[Conversation]:
        if not conversation_ids:
            return []
        statement = (select(Conversation).where(Conversation.id.in_(conversation_ids))
                     .order_by(func.coalesce(Conversation.last_message_at, Conversation.created_at).desc()))
        return list((await self.session.execute(statement)).scalars())
