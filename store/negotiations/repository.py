"""All SQL for negotiation records and the conversations they belong to."""

from __future__ import annotations

import uuid
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Campaign, Conversation, ConversationStatus, Negotiation, NegotiationStatus

COMMITTED = (NegotiationStatus.agreed, NegotiationStatus.contracted)


# The reads every reply's turn makes (decide_terms): built once per process per shape, ids as `bindparam`s
# (building an ORM statement costs about as much CPU as running it).
@cache
def _for_conversation(for_update: bool) -> Any:
    statement = select(Negotiation).where(Negotiation.conversation_id == bindparam("conversation_id"))
    if for_update:
        statement = statement.with_for_update()
    return statement.execution_options(populate_existing=True)


@cache
def _committed_fees(excluding: bool) -> Any:
    statement = select(func.coalesce(func.sum(Negotiation.fee), 0)).where(
        Negotiation.campaign_id == bindparam("campaign_id"), Negotiation.status.in_(COMMITTED))
    return statement.where(Negotiation.id != bindparam("exclude")) if excluding else statement


@cache
def _past_agreed(excluding: bool) -> Any:
    statement = (select(Negotiation, Campaign.name).join(Campaign, Campaign.id == Negotiation.campaign_id)
                 .where(Negotiation.organization_id == bindparam("organization_id"),
                        Negotiation.creator_id == bindparam("creator_id"),
                        Negotiation.status.in_(COMMITTED), Negotiation.fee.is_not(None)))
    if excluding:
        statement = statement.where(Negotiation.id != bindparam("exclude"))
    return statement.order_by(Negotiation.agreed_at.desc().nulls_last()).limit(bindparam("limit"))


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
        return (await self.session.execute(_for_conversation(for_update), {"conversation_id": conversation_id})
                ).scalar_one_or_none()

    async def committed_fees(self, campaign_id: uuid.UUID, exclude: uuid.UUID | None) -> Decimal:
        """The sum of fees agreed (or contracted) in the campaign, other than `exclude`'s."""
        parameters = {"campaign_id": campaign_id, "exclude": exclude}
        return Decimal((await self.session.execute(_committed_fees(exclude is not None), parameters)).scalar_one() or 0)

    async def past_agreed(self, organization_id: uuid.UUID, creator_id: uuid.UUID, exclude: uuid.UUID | None,
                          limit: int) -> list[tuple[Negotiation, str]]:
        """The creator's agreed (or contracted) negotiations with this organization, with the campaign's name."""
        parameters = {"organization_id": organization_id, "creator_id": creator_id, "exclude": exclude,
                      "limit": limit}
        rows = await self.session.execute(_past_agreed(exclude is not None), parameters)
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
