"""All SQL for conversations and messages."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Campaign, Conversation, Creator, Message, Organization
from store.models.conversation import ConversationStatus, new_reply_token


# The reads every reply's turn makes: built once per process (building an ORM statement costs about as much CPU as
# running it); `bindparam`s carry the ids.
@cache
def _with_parties() -> Any:
    return (select(Conversation, Campaign, Creator, Organization)
            .outerjoin(Campaign, Campaign.id == Conversation.campaign_id)
            .outerjoin(Creator, Creator.id == Conversation.creator_id)
            .outerjoin(Organization, Organization.id == Conversation.organization_id)
            .where(Conversation.id == bindparam("conversation_id")))


@cache
def _with_campaign_for_update() -> Any:
    return (select(Conversation, Campaign).join(Campaign, Campaign.id == Conversation.campaign_id)
            .where(Conversation.id == bindparam("conversation_id")).with_for_update(of=Conversation)
            .execution_options(populate_existing=True))


@cache
def _for_creator() -> Any:
    return select(Conversation).where(Conversation.campaign_id == bindparam("campaign_id"),
                                      Conversation.creator_id == bindparam("creator_id"))


@cache
def _by_reply_token() -> Any:
    return select(Conversation).where(Conversation.reply_token == bindparam("token"))


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_create(self, organization_id: uuid.UUID, campaign_id: uuid.UUID,
                            creator_id: uuid.UUID) -> Conversation:
        """The (campaign, creator) conversation; concurrent callers get the same row. Read first: every draft after
        the first one finds it (one round trip); a new one comes back from its insert."""
        found = await self.for_creator(campaign_id, creator_id)
        if found is not None:
            return found
        statement = (
            insert(Conversation)
            .values(id=uuid.uuid4(), organization_id=organization_id, campaign_id=campaign_id,
                    creator_id=creator_id, status=ConversationStatus.open, reply_token=new_reply_token())
            .on_conflict_do_nothing(index_elements=[Conversation.campaign_id, Conversation.creator_id])
            .returning(Conversation)
        )
        found = (await self.session.execute(statement)).scalar_one_or_none()
        if found is None:  # a concurrent caller inserted it first (committed by now: the insert waited for it)
            found = await self.for_creator(campaign_id, creator_id)
        assert found is not None
        return found

    async def with_parties(self, conversation_id: uuid.UUID) -> tuple[
            Conversation, Campaign | None, Creator | None, Organization | None] | None:
        """The conversation with its campaign, creator and organization, in one round trip (a turn's first read);
        None when the conversation is gone. Any tenant's: the caller checks the organization."""
        row = (await self.session.execute(_with_parties(), {"conversation_id": conversation_id})).first()
        return (row[0], row[1], row[2], row[3]) if row is not None else None

    async def with_campaign_for_update(self, conversation_id: uuid.UUID) -> tuple[Conversation, Campaign] | None:
        """The conversation, locked, with its campaign, in one round trip; None when either is gone."""
        row = (await self.session.execute(_with_campaign_for_update(), {"conversation_id": conversation_id})).first()
        return (row[0], row[1]) if row is not None else None

    async def for_creator(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> Conversation | None:
        parameters = {"campaign_id": campaign_id, "creator_id": creator_id}
        return (await self.session.execute(_for_creator(), parameters)).scalar_one_or_none()

    async def by_reply_token(self, reply_token: str) -> Conversation | None:
        return (await self.session.execute(_by_reply_token(), {"token": reply_token})).scalar_one_or_none()

    async def message_for_approval(self, approval_id: uuid.UUID, *, for_update: bool = False) -> Message | None:
        statement = select(Message).where(Message.approval_id == approval_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()
