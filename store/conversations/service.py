"""Conversations and outbound messages as the agent core writes them (the contract is in
`store/models/message.py`): drafts waiting for approval, queueing an approved message together with its send
job, discarding a rejected draft. Flushes only; the caller's unit of work commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from store.conversations.repository import ConversationRepository
from store.jobs import SendMessage, send_message_job
from store.messages.repository import MessageRepository
from store.models import Conversation, Message, MessageChannel, MessageDirection, MessageStatus
from store.outbox.repository import OutboxRepository
from store.updates import write_changes


@dataclass(frozen=True)
class OutboundText:
    channel: MessageChannel
    subject: str | None
    body_text: str
    to_address: str | None
    body_html: str | None = None
    model: str | None = None
    prompt_version: str | None = None


class ConversationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.conversations = ConversationRepository(session)
        self.messages = MessageRepository(session)
        self.outbox = OutboxRepository(session)

    async def open(self, organization_id: uuid.UUID, campaign_id: uuid.UUID,
                   creator_id: uuid.UUID) -> Conversation:
        return await self.conversations.get_or_create(organization_id, campaign_id, creator_id)

    async def add_outbound(self, conversation: Conversation, text: OutboundText, *, status: MessageStatus,
                           idempotency_key: str, approval_id: uuid.UUID | None = None) -> Message:
        """Add an outbound message once per key (a repeated call returns the first message). Inserted first
        (`ON CONFLICT DO NOTHING RETURNING`: one statement for the usual new draft), read only on a repeat."""
        message = await self.messages.insert_once({
            "conversation_id": conversation.id, "direction": MessageDirection.outbound, "channel": text.channel,
            "status": status, "subject": text.subject, "body_text": text.body_text, "body_html": text.body_html,
            "to_address": text.to_address, "approval_id": approval_id, "idempotency_key": idempotency_key,
            "model": text.model, "prompt_version": text.prompt_version, "send_attempts": 0})
        if message is None:
            existing = await self.messages.by_key(idempotency_key)
            assert existing is not None  # the row the insert conflicted with
            return existing
        conversation.last_message_at = datetime.now(UTC)
        await write_changes(self.session, conversation)
        return message

    async def queue(self, message: Message) -> None:
        """Released for sending: `queued` plus the send job, in the caller's transaction (key `send:<id>`)."""
        message.status = MessageStatus.queued
        message.queued_at = datetime.now(UTC)
        await self.outbox.enqueue(send_message_job(message.channel), SendMessage(message_id=message.id),
                                  f"send:{message.id}")
        await self.session.flush()

    async def discard(self, message: Message) -> None:
        message.status = MessageStatus.discarded
        await self.session.flush()

    async def message_for_approval(self, approval_id: uuid.UUID, *, for_update: bool = False) -> Message | None:
        return await self.conversations.message_for_approval(approval_id, for_update=for_update)

    async def thread_for(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> list[Message]:
        conversation = await self.conversations.for_creator(campaign_id, creator_id)
        return await self.messages.thread(conversation.id) if conversation else []
