"""All SQL for sending messages and reading threads: the atomic send claim, in-flight lookups for the sweeper,
inbound messages inserted once, and the ids a thread is matched by."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.inserts import insert_once_statement
from store.models import Campaign, Conversation, Creator, Message, MessageChannel, MessageDirection, MessageStatus


@cache
def _by_key() -> Any:
    return select(Message).where(Message.idempotency_key == bindparam("key"))


@cache
def _thread() -> Any:
    """Built once: every reply's turn reads its thread."""
    return (select(Message).where(Message.conversation_id == bindparam("conversation_id"))
            .order_by(Message.created_at, Message.id))


class MessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim_many(self, message_ids: Sequence[uuid.UUID], now: datetime,
                         lease_until: datetime) -> list[Message]:
        """`queued → sending` (or take over a `sending` claim whose lease ran out) for every claimable message of
        `message_ids` in one UPDATE; the others (sent, failed, discarded, claimed by a live attempt) are left out.
        Rows are locked in id order first, so two attempts over overlapping sets cannot deadlock."""
        claimable = or_(Message.status == MessageStatus.queued,
                        and_(Message.status == MessageStatus.sending, Message.send_lease_until < now))
        picked = (select(Message.id)
                  .where(Message.id.in_(list(message_ids)), Message.direction == MessageDirection.outbound, claimable)
                  .order_by(Message.id).with_for_update())
        statement = (update(Message)
                     .where(Message.id.in_(picked), claimable)
                     .values(status=MessageStatus.sending, send_attempts=Message.send_attempts + 1,
                             send_lease_until=lease_until, updated_at=now)
                     .returning(Message)
                     .execution_options(populate_existing=True, synchronize_session=False))
        return list((await self.session.execute(statement)).scalars())

    async def statuses(self, message_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        """The current status of each message that exists (why a claim left it out)."""
        rows = await self.session.execute(select(Message.id, Message.status).where(Message.id.in_(list(message_ids))))
        return {row.id: str(row.status) for row in rows}

    async def contexts(self, conversation_ids: Sequence[uuid.UUID]
                       ) -> dict[uuid.UUID, tuple[Conversation, Campaign, Creator]]:
        """Each conversation with its campaign and creator, in one query (the send path is hot)."""
        statement = (select(Conversation, Campaign, Creator)
                     .join(Campaign, Campaign.id == Conversation.campaign_id)
                     .join(Creator, Creator.id == Conversation.creator_id)
                     .where(Conversation.id.in_(list(set(conversation_ids)))))
        return {row[0].id: (row[0], row[1], row[2]) for row in (await self.session.execute(statement)).all()}

    async def for_record(self, message_ids: Sequence[uuid.UUID]
                         ) -> dict[uuid.UUID, tuple[Message, Conversation | None, Campaign | None]]:
        """The messages locked FOR UPDATE (in id order) with their conversation and campaign (none for a manager's
        direct WhatsApp message), in one round trip: recording a send's outcome needs all three."""
        statement = (select(Message, Conversation, Campaign)
                     .outerjoin(Conversation, Conversation.id == Message.conversation_id)
                     .outerjoin(Campaign, Campaign.id == Conversation.campaign_id)
                     .where(Message.id.in_(list(message_ids)))
                     .order_by(Message.id)
                     .with_for_update(of=Message)
                     .execution_options(populate_existing=True))
        return {row[0].id: (row[0], row[1], row[2]) for row in (await self.session.execute(statement)).all()}

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
        statement = insert_once_statement(Message, tuple(sorted(values)), ("idempotency_key",))
        return (await self.session.execute(statement, {"id": uuid.uuid4(), **values})).scalar_one_or_none()

    async def by_key(self, idempotency_key: str) -> Message | None:
        return (await self.session.execute(_by_key(), {"key": idempotency_key})).scalar_one_or_none()

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

    async def thread_outlines(self, conversation_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
        """Each thread as (id, channel, direction, status, provider_message_id) rows, oldest first: what a send
        needs for its threading headers and template choice, without loading every message's text."""
        statement = (select(Message.conversation_id, Message.id, Message.channel, Message.direction, Message.status,
                            Message.provider_message_id)
                     .where(Message.conversation_id.in_(list(set(conversation_ids))))
                     .order_by(Message.conversation_id, Message.created_at, Message.id))
        threads: dict[uuid.UUID, list[Any]] = {conversation_id: [] for conversation_id in conversation_ids}
        for row in (await self.session.execute(statement)).all():
            threads[row.conversation_id].append(row)
        return threads

    async def thread(self, conversation_id: uuid.UUID) -> list[Message]:
        return list((await self.session.execute(_thread(), {"conversation_id": conversation_id})).scalars())
