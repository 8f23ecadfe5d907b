"""All SQL for conversations and messages."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Conversation, Message
from store.models.conversation import ConversationStatus, new_reply_token


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_create(self, organization_id: uuid.UUID, campaign_id: uuid.UUID,
                            creator_id: uuid.UUID) -> Conversation:
        """The (campaign, creator) conversation; concurrent callers get the same row."""
        statement = (
            insert(Conversation)
            .values(id=uuid.uuid4(), organization_id=organization_id, campaign_id=campaign_id,
                    creator_id=creator_id, status=ConversationStatus.open, reply_token=new_reply_token())
            .on_conflict_do_nothing(index_elements=[Conversation.campaign_id, Conversation.creator_id])
        )
        await self.session.execute(statement)
        found = await self.for_creator(campaign_id, creator_id)
        assert found is not None
        return found

    async def for_creator(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> Conversation | None:
        statement = select(Conversation).where(Conversation.campaign_id == campaign_id,
                                               Conversation.creator_id == creator_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_reply_token(self, reply_token: str) -> Conversation | None:
        statement = select(Conversation).where(Conversation.reply_token == reply_token)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add_message(self, message: Message) -> Message:
        self.session.add(message)
        await self.session.flush()
        return message

    async def message_by_key(self, idempotency_key: str) -> Message | None:
        statement = select(Message).where(Message.idempotency_key == idempotency_key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def message_for_approval(self, approval_id: uuid.UUID, *, for_update: bool = False) -> Message | None:
        statement = select(Message).where(Message.approval_id == approval_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def thread(self, conversation_id: uuid.UUID) -> list[Message]:
        statement = (select(Message).where(Message.conversation_id == conversation_id)
                     .order_by(Message.created_at, Message.id))
        return list((await self.session.execute(statement)).scalars())
