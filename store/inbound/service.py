"""The one inbound path: every message a creator sends us and every delivery report a provider sends about our
messages enters here. Flushes only; the webhook request or the worker's unit of work commits.

1. `record` (webhook routers, after authenticating and parsing with `tools/inbound/`): each new item becomes an
   `inbound_events` row plus, in the same transaction, the `inbound.process` job (key `inbound:<event id>`).
   Redelivered items are counted, not stored again. Replay protection beyond dedupe: items whose provider
   timestamp is missing, older than `max_age`, or further in the future than `MAX_CLOCK_SKEW`, are ignored (a captured,
   validly signed body replayed later stores nothing new).
2. `process` (the `inbound.process` actor; the event row is locked, marked processed in the same transaction,
   so a redelivered job does nothing):
   - a reply: matched to its conversation (`store/inbound/matching.py`); a request to stop
     (`store/contacts/stop_words.py`, in code, before any model sees the text) blocks the creator everywhere
     and starts nothing (`store/contacts/opt_out.py`); anything else is stored once as an inbound `Message`
     (`inbound:<channel>:<provider id>`, ON CONFLICT DO NOTHING), the pending follow-up is cleared and one
     negotiation turn is queued (`NegotiationService.start_turn`). The negotiation graph classifies it.
     Email auto-replies are stored and reach the graph (an out-of-office moves the follow-up), never answered.
   - a WhatsApp delivery report: advances our message (`MessageSendService.apply_whatsapp_status`, never
     backwards); 131050 (the user stopped our messages) blocks the number. A report that arrives before the
     send recorded its wamid raises `StatusBeforeSend` for `UNMATCHED_STATUS_GRACE`, then is left unmatched.
3. `creator_message` (a registered creator writing in the app): the same rules, on their own conversation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from store.channels.delivery import parse_status
from store.contacts.opt_out import OptOutService
from store.contacts.service import DoNotContactService
from store.contacts.stop_words import asks_to_stop
from store.followups.service import FollowUpService
from store.inbound.items import DeliveryReport, InboundItem, InboundReply
from store.inbound.matching import ConversationMatcher
from store.inbound.repository import InboundEventRepository
from store.jobs import INBOUND_PROCESS, InboundProcess
from store.messages.repository import MessageRepository
from store.messages.service import MessageSendService
from store.models import (
    BlockSource,
    Channel,
    Conversation,
    ConversationStatus,
    Creator,
    InboundEvent,
    InboundKind,
    Message,
    MessageChannel,
    MessageDirection,
    MessageStatus,
)
from store.negotiations.service import NegotiationService
from store.outbox.repository import OutboxRepository
from store.updates import write_changes

MAX_CLOCK_SKEW = timedelta(minutes=10)
UNMATCHED_STATUS_GRACE = timedelta(minutes=3)  # inside the actor's retry budget (~6 min)


class StatusBeforeSend(Exception):
    """A status for a wamid no send has recorded yet (the webhook beat the send's commit): retry later."""


@dataclass
class RecordSummary:
    stored: int = 0
    duplicates: int = 0
    stale: int = 0


@dataclass(frozen=True)
class _Inbound:
    """One reply on its way into a conversation."""

    channel: MessageChannel
    reply: InboundReply
    provider_id: str  # the provider's id of the item (Message-ID, wamid) or our own for app messages
    sender: str | None


class InboundService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.events = InboundEventRepository(session)
        self.messages = MessageRepository(session)

    # ------------------------------------------------------------------ 1. webhooks
    async def record(self, items: list[InboundItem], *, max_age: timedelta | None = None,
                     now: datetime | None = None) -> RecordSummary:
        now = now or datetime.now(UTC)
        summary = RecordSummary()
        outbox = OutboxRepository(self.session)
        for item in items:
            # With a replay window, an item must prove it is recent: no (or an unreadable) timestamp is stale too,
            # else a captured body stripped of its timestamps would replay forever.
            if max_age is not None and (item.occurred_at is None or not (
                    now - max_age <= item.occurred_at <= now + MAX_CLOCK_SKEW)):
                summary.stale += 1
                continue
            event_id = await self.events.insert(
                channel=item.channel, kind=item.kind, external_id=item.external_id,
                provider_message_id=item.provider_message_id, sender=item.sender, occurred_at=item.occurred_at,
                payload=item.stored_payload())
            if event_id is None:
                summary.duplicates += 1
                continue
            await outbox.enqueue(INBOUND_PROCESS, InboundProcess(event_id=event_id), f"inbound:{event_id}")
            summary.stored += 1
        return summary

    # ------------------------------------------------------------------ 2. the processing job
    async def process(self, event_id: uuid.UUID) -> str:
        """Apply one stored event; returns a short outcome for operators (`inbound_events.outcome`)."""
        event = await self.events.get_for_update(event_id)
        if event is None:
            return "missing"
        if event.processed_at is not None:
            return "already processed"
        if event.kind == InboundKind.status:
            outcome = await self._apply_status(event)
        else:
            outcome = await self._route_reply(event)
        await self.events.mark_processed(event.id, outcome)
        return outcome

    async def _route_reply(self, event: InboundEvent) -> str:
        channel = MessageChannel(event.channel.value)
        reply = InboundReply.from_payload(event.payload)
        conversation = await ConversationMatcher(self.session).match(channel, reply, event.sender)
        return await self._receive(conversation, _Inbound(channel, reply, event.provider_message_id, event.sender))

    async def _apply_status(self, event: InboundEvent) -> str:
        report = DeliveryReport.from_payload(event.payload)
        incoming = parse_status(report.status)
        if incoming is None:
            return f"ignored status {report.status!r}"
        if report.opted_out and report.recipient:
            await DoNotContactService(self.session).block(Channel.whatsapp, report.recipient,
                                                          source=BlockSource.unsubscribe,
                                                          reason=report.reason or "opted out")
        message = await MessageSendService(self.session).apply_whatsapp_status(
            event.provider_message_id, incoming, event.occurred_at, report.error_code, report.reason)
        if message is None:
            if datetime.now(UTC) - event.received_at < UNMATCHED_STATUS_GRACE:
                raise StatusBeforeSend(event.provider_message_id)
            return f"no message with id {event.provider_message_id}"
        return f"{incoming.value} → message {message.id} is {message.status.value}"

    # ------------------------------------------------------------------ 3. in the app
    async def creator_message(self, user_id: uuid.UUID, campaign_id: uuid.UUID,
                              text: str) -> tuple[Conversation, Message | None, str]:
        """A registered creator writes in the app: one more inbound channel into the same thread."""
        conversation = await NegotiationService(self.session).creator_conversation(user_id, campaign_id)
        creator = await self.session.get(Creator, conversation.creator_id)
        inbound = _Inbound(MessageChannel.app, InboundReply(text=text), uuid.uuid4().hex,
                           creator.email if creator else None)
        outcome = await self._receive(conversation, inbound)
        return conversation, await self.messages.by_key(_message_key(inbound)), outcome

    # ------------------------------------------------------------------ the rules for every reply
    async def _receive(self, conversation: Conversation | None, inbound: _Inbound) -> str:
        reply = inbound.reply
        if asks_to_stop(reply.text) and not reply.auto_reply:
            if conversation is not None:
                await self._store(conversation, inbound, start_turn=False)
            contact_channel = (Channel(inbound.channel.value)
                               if inbound.channel in (MessageChannel.email, MessageChannel.whatsapp) else None)
            blocked = await OptOutService(self.session).opt_out(
                creator_id=conversation.creator_id if conversation else None, channel=contact_channel,
                address=inbound.sender, reason=f"replied {reply.text[:80]!r}")
            return f"STOP: blocked {', '.join(blocked) or 'nothing'}; no further sends"
        if conversation is None:
            return "no conversation matched"
        if not reply.text.strip():
            await self._store(conversation, inbound, start_turn=False)
            return "stored (no text to answer)"
        return await self._store(conversation, inbound)

    async def _store(self, conversation: Conversation, inbound: _Inbound, *, start_turn: bool = True) -> str:
        """Store the reply once and queue the turn; "duplicate" when this item was stored before."""
        message = await self.messages.insert_once({
            "conversation_id": conversation.id, "direction": MessageDirection.inbound, "channel": inbound.channel,
            "status": MessageStatus.received, "subject": inbound.reply.subject, "body_text": inbound.reply.text,
            "from_address": inbound.sender, "provider_message_id": inbound.provider_id,
            "idempotency_key": _message_key(inbound), "send_attempts": 0})
        if message is None:
            return "duplicate"
        conversation.last_message_at = datetime.now(UTC)
        FollowUpService.stop(conversation)
        if start_turn and conversation.status == ConversationStatus.closed:
            conversation.status = ConversationStatus.open  # they declined before and wrote again
        await write_changes(self.session, conversation)
        if not start_turn:
            await self.session.flush()
            return "stored"
        started = await NegotiationService(self.session).start_turn(conversation, {
            "kind": "reply", "id": str(message.id), "message_id": str(message.id),
            "auto_reply": inbound.reply.auto_reply})
        await self.session.flush()
        return "turn queued" if started else "stored (the campaign's agents are stopped)"


def _message_key(inbound: _Inbound) -> str:
    return f"inbound:{inbound.channel.value}:{inbound.provider_id}"
