"""All SQL for sending messages and reading threads: the atomic send claim, in-flight lookups for the sweeper,
inbound messages inserted once, and the ids a thread is matched by."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Campaign, Conversation, Creator, Message, MessageChannel, MessageDirection, MessageStatus


class MessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, message_id: uuid.UUID, now: datetime, lease_until: datetime) -> Message | None:
        """`queued → sending` (or take over a `sending` claim whose lease ran out) in one UPDATE; None when the
        message is not claimable: sent, failed, discarded, or claimed by a live attempt."""
        claimable = or_(Message.status == MessageStatus.queued,
                        and_(Message.status == MessageStatus.sending, Message.send_lease_until < now))
        statement = (update(Message)
                     .where(Message.id == message_id, Message.direction == MessageDirection.outbound, claimable)
                     .values(status=MessageStatus.sending, send_attempts=Message.send_attempts + 1,
                             send_lease_until=lease_until, updated_at=now)
                     .returning(Message)
                     .execution_options(populate_existing=True, synchronize_session=False))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get(self, message_id: uuid.UUID) -> Message | None:
        statement = select(Message).where(Message.id == message_id)
        return (await self.session.execute(statement.execution_options(populate_existing=True))).scalar_one_or_none()

    async def context(self, conversation_id: uuid.UUID) -> tuple[Conversation, Campaign, Creator] | None:
        """A message's conversation, campaign and creator in one query (the send path is hot)."""
        statement = (select(Conversation, Campaign, Creator)
                     .join(Campaign, Campaign.id == Conversation.campaign_id)
                     .join(Creator, Creator.id == Conversation.creator_id)
                     .where(Conversation.id == conversation_id))
        row = (await self.session.execute(statement)).first()
        return (row[0], row[1], row[2]) if row else None

    async def for_record(self, message_id: uuid.UUID) -> tuple[Message, Conversation | None, Campaign | None] | None:
        """The message locked FOR UPDATE with its conversation and campaign (none for a manager's direct WhatsApp
        message), in one round trip: recording a send's outcome needs all three."""
        statement = (select(Message, Conversation, Campaign)
                     .outerjoin(Conversation, Conversation.id == Message.conversation_id)
                     .outerjoin(Campaign, Campaign.id == Conversation.campaign_id)
                     .where(Message.id == message_id)
                     .with_for_update(of=Message)
                     .execution_options(populate_existing=True))
        row = (await self.session.execute(statement)).first()
        return (row[0], row[1], row[2]) if row else None

    async def expired_claims(self, now: datetime, limit: int) -> list[Message]:
        """Sends claimed by an attempt that never recorded its outcome (the worker died) and whose lease ran out."""
        statement = (select(Message)
                     .where(Message.status == MessageStatus.sending, Message.send_lease_until < now)
                     .order_by(Message.send_lease_until).limit(limit).with_for_update(skip_locked=True))
        return list((await self.session.execute(statement)).scalars())

    async def stale_queued(self, before: datetime, limit: int) -> list[Message]:
        """Approved messages nobody attempted (or released after a retryable failure) since `before`."""
        statement = (select(Message)
                     .where(Message.status == MessageStatus.queued, Message.direction == MessageDirection.outbound,
                            func.coalesce(Message.queued_at, Message.created_at) < before,
                            Message.updated_at < before)
                     .order_by(Message.updated_at).limit(limit).with_for_update(skip_locked=True))
        return list((await self.session.execute(statement)).scalars())

    async def insert_once(self, values: dict[str, Any]) -> Message | None:
        """Insert unless a message with this idempotency key exists (concurrent deliveries race on the unique
        index); the new message, or None."""
        statement = (insert(Message).values(id=uuid.uuid4(), **values)
                     .on_conflict_do_nothing(index_elements=[Message.idempotency_key])
                     .returning(Message))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_key(self, idempotency_key: str) -> Message | None:
        statement = select(Message).where(Message.idempotency_key == idempotency_key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_provider_id(self, provider_message_id: str, *, for_update: bool = False) -> Message | None:
        statement = (select(Message).where(Message.provider_message_id == provider_message_id,
                                           Message.direction == MessageDirection.outbound)
                     .order_by(Message.created_at.desc()).limit(1))
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def outbound_whatsapp(self, reference: str, organization_id: uuid.UUID | None) -> Message | None:
        """One of our WhatsApp messages by its id or wamid, only within the organization (None: admin, any):
        a direct message by its own organization, a thread message by its conversation's."""
        try:
            condition = or_(Message.id == uuid.UUID(reference), Message.provider_message_id == reference)
        except ValueError:
            condition = Message.provider_message_id == reference
        statement = (select(Message).outerjoin(Conversation, Conversation.id == Message.conversation_id)
                     .where(condition, Message.direction == MessageDirection.outbound,
                            Message.channel == MessageChannel.whatsapp))
        if organization_id is not None:
            statement = statement.where(or_(Message.organization_id == organization_id,
                                            Conversation.organization_id == organization_id))
        return (await self.session.execute(statement.limit(1))).scalar_one_or_none()

    async def conversation_for_provider_ids(self, provider_ids: list[str]) -> uuid.UUID | None:
        """The conversation of the newest of our messages with one of these provider ids (Message-IDs, wamids)."""
        if not provider_ids:
            return None
        statement = (select(Message.conversation_id).where(Message.provider_message_id.in_(provider_ids),
                                                           Message.conversation_id.is_not(None))
                     .order_by(Message.created_at.desc()).limit(1))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def conversations_written_to(self, channel: MessageChannel, address: str) -> list[uuid.UUID]:
        """Conversations in which we sent (or queued) a message to `address`, most recent first (a manager's
        direct WhatsApp messages belong to none)."""
        statement = (select(Message.conversation_id, func.max(Message.created_at).label("last"))
                     .where(Message.channel == channel, Message.to_address == address,
                            Message.direction == MessageDirection.outbound, Message.conversation_id.is_not(None))
                     .group_by(Message.conversation_id).order_by(func.max(Message.created_at).desc()))
        return [row[0] for row in (await self.session.execute(statement)).all() if row[0] is not None]

    async def thread_outline(self, conversation_id: uuid.UUID) -> Sequence[Any]:
        """The thread as (id, channel, direction, status, provider_message_id) rows, oldest first: what a send
        needs for its threading headers and template choice, without loading every message's text."""
        statement = (select(Message.id, Message.channel, Message.direction, Message.status,
                            Message.provider_message_id)
                     .where(Message.conversation_id == conversation_id).order_by(Message.created_at, Message.id))
        return (await self.session.execute(statement)).all()

    async def thread(self, conversation_id: uuid.UUID) -> list[Message]:
        statement = (select(Message).where(Message.conversation_id == conversation_id)
                     .order_by(Message.created_at, Message.id))
        return list((await self.session.execute(statement)).scalars())
