"""Inbound replies → their conversation → one stored message → one agent turn; and opt-outs. Flushes only.

Thread matching (the first that finds one wins):
- email: the conversation's reply token in a `reply+<token>@` recipient; then `In-Reply-To` / `References`
  against the Message-IDs of our messages; then the sender's address against the addresses we wrote to (the
  most recently active open conversation);
- WhatsApp: the wamid the creator replied to (`context.id`); then the sender's number against the numbers we
  wrote to (the most recently active open conversation, else the most recent one);
- in the app: the creator's own conversation for the campaign (`api/routers/negotiation.py`).

`receive` stores the reply once (`inbound:<channel>:<provider id>`, ON CONFLICT DO NOTHING: concurrent
deliveries of the same webhook store one row and start one turn), clears the pending follow-up and queues the
turn. `opt_out` (STOP, unsubscribe, "remove me", decided in code before any model sees the text) puts every
address we have for the creator on the global do-not-contact list, closes their open conversations and cancels
every draft still waiting for approval; queued messages are refused by the send actors themselves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from store.approvals.service import ApprovalService
from store.contacts.service import DoNotContactService
from store.conversations.repository import ConversationRepository
from store.followups.service import FollowUpService
from store.messages.repository import MessageRepository
from store.models import (
    Channel,
    Conversation,
    ConversationStatus,
    Creator,
    Message,
    MessageChannel,
    MessageDirection,
    MessageStatus,
)
from store.negotiations.repository import NegotiationRepository
from store.negotiations.service import NegotiationService


@dataclass(frozen=True)
class InboundText:
    channel: MessageChannel
    text: str  # the creator's own words (quoted history and signatures already removed)
    provider_id: str  # the provider's id of the item (Message-ID, wamid) or our own for app messages
    sender: str | None = None
    subject: str | None = None
    auto_reply: bool = False  # an email auto-reply (out of office): may move the follow-up, never answered


class InboundRouter:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.messages = MessageRepository(session)
        self.negotiations = NegotiationRepository(session)

    # ------------------------------------------------------------------ matching
    async def match_email(self, payload: dict[str, Any], sender: str | None) -> Conversation | None:
        token = payload.get("reply_token")
        if token:
            found = await ConversationRepository(self.session).by_reply_token(str(token))
            if found is not None:
                return found
        ids = [value for value in [payload.get("in_reply_to"), *(payload.get("references") or [])] if value]
        conversation_id = await self.messages.conversation_for_provider_ids([str(value) for value in ids])
        if conversation_id is not None:
            return await self.session.get(Conversation, conversation_id)
        return await self._by_address(MessageChannel.email, sender)

    async def match_whatsapp(self, payload: dict[str, Any], sender: str | None) -> Conversation | None:
        context = (payload.get("message") or {}).get("context") or {}
        if context.get("id"):
            conversation_id = await self.messages.conversation_for_provider_ids([str(context["id"])])
            if conversation_id is not None:
                return await self.session.get(Conversation, conversation_id)
        return await self._by_address(MessageChannel.whatsapp, sender)

    async def _by_address(self, channel: MessageChannel, address: str | None) -> Conversation | None:
        if not address:
            return None
        ids = await self.messages.conversations_written_to(channel, address)
        candidates = await self.negotiations.open_conversations(ids) or await self.negotiations.conversations_by_ids(
            ids[:1])
        return candidates[0] if candidates else None

    # ------------------------------------------------------------------ a reply
    async def receive(self, conversation: Conversation, inbound: InboundText, *,
                      start_turn: bool = True) -> tuple[Message | None, str]:
        """Store the reply once and queue the turn; (None, "duplicate") when this item was stored before."""
        now = datetime.now(UTC)
        message = await self.messages.insert_once({
            "conversation_id": conversation.id, "direction": MessageDirection.inbound, "channel": inbound.channel,
            "status": MessageStatus.received, "subject": inbound.subject, "body_text": inbound.text,
            "from_address": inbound.sender, "provider_message_id": inbound.provider_id,
            "idempotency_key": f"inbound:{inbound.channel.value}:{inbound.provider_id}", "send_attempts": 0})
        if message is None:
            return None, "duplicate"
        conversation.last_message_at = now
        FollowUpService.stop(conversation)
        if not start_turn:
            await self.session.flush()
            return message, "stored"
        if conversation.status == ConversationStatus.closed:
            conversation.status = ConversationStatus.open  # they declined before and wrote again
        started = await NegotiationService(self.session).start_turn(conversation, {
            "kind": "reply", "id": str(message.id), "message_id": str(message.id), "auto_reply": inbound.auto_reply})
        await self.session.flush()
        return message, "turn queued" if started else "stored (the campaign's agents are stopped)"

    # ------------------------------------------------------------------ opting out
    async def opt_out(self, *, creator_id: uuid.UUID | None, channel: Channel | None, address: str | None,
                      reason: str) -> list[str]:
        """Block the creator everywhere we reach them; close their conversations; cancel their pending drafts.
        Returns the addresses now blocked."""
        contacts = DoNotContactService(self.session)
        targets: set[tuple[Channel, str]] = {(channel, address)} if channel and address else set()
        creator = await self.session.get(Creator, creator_id) if creator_id else None
        conversations = await self.negotiations.conversations_of_creator(creator.id) if creator else []
        if creator is not None:
            targets |= await self._addresses_of(creator, conversations)
        blocked = []
        for target_channel, target in sorted(targets):
            try:
                await contacts.handle_stop(target_channel, target, creator_id=creator.id if creator else None,
                                           reason=reason)
            except DomainError:  # an address that does not parse cannot be written to either
                continue
            blocked.append(f"{target_channel.value}:{target}")
        if creator is not None:
            for conversation in conversations:
                FollowUpService.stop(conversation)
                if conversation.status == ConversationStatus.open:
                    await NegotiationService(self.session).close(conversation, reason=reason)
            await ApprovalService(self.session).cancel_pending_for_creator(creator.id, f"opted out: {reason}")
        await self.session.flush()
        return blocked

    async def _addresses_of(self, creator: Creator, conversations: list[Conversation]) -> set[tuple[Channel, str]]:
        addresses: set[tuple[Channel, str]] = set()
        if creator.email:
            addresses.add((Channel.email, creator.email))
        phone = getattr(creator, "whatsapp_phone", None)
        if phone:
            addresses.add((Channel.whatsapp, str(phone)))
        for conversation in conversations:
            for message in await self.messages.thread(conversation.id):
                if message.direction == MessageDirection.outbound and message.to_address and message.channel in (
                        MessageChannel.email, MessageChannel.whatsapp):
                    addresses.add((Channel(message.channel.value), message.to_address))
        return addresses
