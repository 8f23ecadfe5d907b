"""Sending one approved message exactly once as far as Postgres can tell, and what providers report afterwards.
Flushes only; the caller's unit of work commits (the send actor commits the claim BEFORE calling the provider).

    claim (own transaction)  →  provider call (no transaction)  →  record (own transaction)

- `claim` moves `queued → sending` in one UPDATE (`send_attempts + 1`, lease `MESSAGE_SEND_LEASE_SECONDS`), so
  only one attempt at a time holds a message; then checks do-not-contact and the campaign (a blocked address or
  a cancelled campaign fails the message and nothing is sent) and returns a `SendJob` of plain values.
- `record` stores the outcome: `sent` + provider id (the email's Message-ID or the wamid), or a retryable failure
  (back to `queued`; the actor retries with backoff) or a permanent one (`failed` + reason; bounces and opt-outs
  go on the do-not-contact list).
- Residual window, stated honestly: a worker that dies after the provider accepted the message but before
  `record` commits leaves the claim `sending`; after the lease the sweeper re-drives it and it is sent again.
  Email keeps the same Message-ID (derived from `message:<id>`), so the duplicate is recognisable by receivers and
  by our own inbound matching; WhatsApp's Cloud API has no idempotency key, so a duplicate there is a second
  message. The window is the time between the provider's answer and one small commit (milliseconds).
- `redrive` (the message sweeper) writes a new send job for claims whose lease ran out and for messages still
  `queued` long after approval (a lost job); the claim makes extra deliveries harmless.
- `apply_whatsapp_receipt` mirrors a `whatsapp_sends` status onto its message with `advance_status` (never
  backwards); a free-text message refused outside the 24-hour window (131047) is queued again as a template.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from core.settings import get_settings
from store.channels.delivery import DeliveryStatus, advance_status
from store.channels.repository import WhatsAppSendRepository
from store.channels.service import WhatsAppSendService, apply_status_to
from store.contacts.service import DoNotContactService
from store.followups.service import FollowUpService
from store.jobs import MESSAGES_SEND_WHATSAPP, SendMessage, send_message_job
from store.messages.repository import MessageRepository
from store.models import (
    BlockSource,
    Campaign,
    CampaignStatus,
    Conversation,
    Creator,
    Message,
    MessageChannel,
    MessageDirection,
    MessageStatus,
    Organization,
    WhatsAppSend,
)
from store.outbox.repository import OutboxRepository

OUTSIDE_WINDOW = 131047  # WhatsApp: free text more than 24 hours after the creator's last message
_AS_DELIVERY = {MessageStatus.queued: DeliveryStatus.queued, MessageStatus.sending: DeliveryStatus.queued,
                MessageStatus.sent: DeliveryStatus.sent, MessageStatus.delivered: DeliveryStatus.delivered,
                MessageStatus.read: DeliveryStatus.read, MessageStatus.failed: DeliveryStatus.failed}
_GONE_OUT = (MessageStatus.sent, MessageStatus.delivered, MessageStatus.read)
_TIME_FIELD = {DeliveryStatus.sent: "sent_at", DeliveryStatus.delivered: "delivered_at",
               DeliveryStatus.read: "read_at"}


@dataclass(frozen=True)
class SendJob:
    """Everything the provider call needs, as plain values read inside the claim's transaction."""

    message_id: uuid.UUID
    attempt: int
    channel: MessageChannel
    to_address: str
    body_text: str
    idempotency_key: str  # `message:<id>`: fixes the email's Message-ID; the WhatsApp send's key
    reply_token: str
    subject: str | None = None
    body_html: str | None = None
    to_name: str | None = None
    creator_id: uuid.UUID | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    last_inbound_at: datetime | None = None  # WhatsApp: opens the 24-hour window
    template_name: str | None = None  # WhatsApp: the approved template used outside the window
    template_language: str = "en"
    template_parameters: list[str] = field(default_factory=list)
    template_only: bool = False  # WhatsApp refused the free text (131047): send the template alone


@dataclass(frozen=True)
class Claim:
    job: SendJob | None
    outcome: str  # claimed | not claimable (<status>) | do_not_contact | campaign_closed | too_many_attempts | ...


@dataclass(frozen=True)
class SendOutcome:
    """A provider's answer as plain values (the worker translates `tools.integrations.DeliveryResult`)."""

    ok: bool
    provider_message_id: str | None = None
    reason: str | None = None
    detail: str | None = None
    retryable: bool = False
    bounce: bool = False
    opted_out: bool = False
    error_code: int | None = None
    content: dict[str, Any] | None = None  # WhatsApp: the text or template actually sent

    @property
    def description(self) -> str:
        reason = self.reason or "failed"
        return f"{reason}: {self.detail}" if self.detail else reason


def advance_message(message: Message, incoming: DeliveryStatus, at: datetime, reason: str | None = None) -> None:
    """Move an outbound message along queued → sent → delivered → read | failed, never backwards."""
    current = _AS_DELIVERY.get(MessageStatus(message.status))
    if current is None:  # draft, discarded, received: not a delivery state
        return
    after = advance_status(current, incoming)
    if after != current:
        message.status = MessageStatus(after.value)
    time_field = _TIME_FIELD.get(incoming)
    if time_field and getattr(message, time_field) is None and (after != DeliveryStatus.failed):
        setattr(message, time_field, at)
    if after == DeliveryStatus.failed and incoming == DeliveryStatus.failed and reason:
        message.failure_reason = reason


class MessageSendService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.messages = MessageRepository(session)
        self.contacts = DoNotContactService(session)
        self.outbox = OutboxRepository(session)
        self.settings = get_settings()

    # ------------------------------------------------------------------ claim
    async def claim(self, message_id: uuid.UUID, now: datetime | None = None) -> Claim:
        now = now or datetime.now(UTC)
        lease = now + timedelta(seconds=self.settings.MESSAGE_SEND_LEASE_SECONDS)
        message = await self.messages.claim(message_id, now, lease)
        if message is None:
            current = await self.messages.get(message_id)
            return Claim(None, f"not claimable ({current.status if current else 'missing'})")
        context = await self.messages.context(message.conversation_id)
        assert context is not None  # a message always has its conversation (and campaign, creator: cascades)
        conversation, campaign, creator = context
        refusal = await self._refusal(message, conversation, campaign)
        if refusal is not None:
            self._fail(message, refusal)
            await self.session.flush()
            return Claim(None, refusal)
        return Claim(await self._job(message, conversation, campaign, creator), "claimed")

    async def _refusal(self, message: Message, conversation: Conversation, campaign: Campaign) -> str | None:
        if message.send_attempts > self.settings.MESSAGE_SEND_MAX_ATTEMPTS:
            return "too_many_attempts"
        if campaign.deleted_at is not None or campaign.status == CampaignStatus.cancelled:
            return "campaign_closed"
        if not message.to_address:
            return "no_address"
        try:
            blocked = await self.contacts.is_blocked(str(message.channel), message.to_address,
                                                     conversation.organization_id)
        except DomainError:
            return "invalid_address"
        return "do_not_contact" if blocked else None

    async def _job(self, message: Message, conversation: Conversation, campaign: Campaign,
                   creator: Creator) -> SendJob:
        common: dict[str, Any] = {
            "message_id": message.id, "attempt": message.send_attempts, "channel": MessageChannel(message.channel),
            "to_address": message.to_address or "", "body_text": message.body_text,
            "idempotency_key": f"message:{message.id}", "reply_token": conversation.reply_token,
            "creator_id": conversation.creator_id, "to_name": creator.display_name}
        thread = [m for m in await self.messages.thread(conversation.id) if m.id != message.id]
        if message.channel == MessageChannel.email:
            ids = [m.provider_message_id for m in thread
                   if m.channel == MessageChannel.email and m.provider_message_id
                   and (m.direction == MessageDirection.inbound or m.status in _GONE_OUT)]
            return SendJob(**common, subject=message.subject or "(no subject)", body_html=message.body_html,
                           in_reply_to=ids[-1] if ids else None, references=ids[-10:])
        return await self._whatsapp_job(message, common, thread, creator, campaign)

    async def _whatsapp_job(self, message: Message, common: dict[str, Any], thread: list[Message],
                            creator: Creator, campaign: Campaign) -> SendJob:
        sends = WhatsAppSendService(self.session)
        earlier = [m for m in thread if m.direction == MessageDirection.outbound and m.status in _GONE_OUT]
        organization = await self.session.get(Organization, campaign.organization_id)
        first_name = creator.display_name.split()[0] if creator.display_name else "there"
        template_only = await self._refused_outside_window(message.id)
        key = f"message:{message.id}" + (":template" if template_only else "")
        job = SendJob(**{**common, "idempotency_key": key},
                      last_inbound_at=await sends.last_inbound_at(message.to_address or ""),
                      template_name=(self.settings.WHATSAPP_FOLLOW_UP_TEMPLATE if earlier
                                     else self.settings.WHATSAPP_OUTREACH_TEMPLATE),
                      template_language=self.settings.WHATSAPP_TEMPLATE_LANGUAGE,
                      template_parameters=[first_name, organization.name if organization else "our team"],
                      template_only=template_only)
        await WhatsAppSendRepository(self.session).insert({
            "organization_id": campaign.organization_id, "message_id": message.id,
            "to_phone": message.to_address, "kind": "text", "content": {"text": message.body_text},
            "idempotency_key": key, "status": DeliveryStatus.queued})
        return job

    async def _refused_outside_window(self, message_id: uuid.UUID) -> bool:
        send = await WhatsAppSendRepository(self.session).by_key(f"message:{message_id}")
        return send is not None and send.error_code == OUTSIDE_WINDOW

    # ------------------------------------------------------------------ record
    async def record(self, job: SendJob, outcome: SendOutcome, now: datetime | None = None) -> str:
        """Store the provider's answer: sent | retry (raise to retry) | requeued (a new job resends it as a
        template) | failed | stale (another attempt owns the message now)."""
        now = now or datetime.now(UTC)
        message = await self.messages.get(job.message_id, for_update=True)
        if message is None:
            return "stale"
        send = (await WhatsAppSendRepository(self.session).by_key(job.idempotency_key)
                if job.channel == MessageChannel.whatsapp else None)
        if outcome.ok:
            await self._record_sent(message, send, outcome, now)
            return "sent"
        if message.status != MessageStatus.sending or message.send_attempts != job.attempt:
            return "stale"
        if send is not None:
            send.attempts += 1
        if outcome.retryable and message.send_attempts < self.settings.MESSAGE_SEND_MAX_ATTEMPTS:
            message.status = MessageStatus.queued
            message.send_lease_until = None
            message.failure_reason = f"attempt {message.send_attempts}: {outcome.description}"
            await self.session.flush()
            return "retry"
        self._fail(message, outcome.description)
        if send is not None:
            apply_status_to(send, DeliveryStatus.failed, now, outcome.error_code, outcome.description)
            if outcome.error_code == OUTSIDE_WINDOW and not job.template_only:
                await self._requeue_as_template(message)
                await self.session.flush()
                return "requeued"
        await self._block_if_unreachable(message, outcome)
        await self.session.flush()
        return "failed"

    async def _record_sent(self, message: Message, send: WhatsAppSend | None, outcome: SendOutcome,
                           now: datetime) -> None:
        if message.status == MessageStatus.sending:
            message.status = MessageStatus.queued  # so the ladder below moves it to sent
        message.provider_message_id = outcome.provider_message_id or message.provider_message_id
        message.send_lease_until = None
        message.failure_reason = None
        advance_message(message, DeliveryStatus.sent, now)
        if send is not None:
            send.attempts += 1
            send.provider_message_id = outcome.provider_message_id
            if outcome.content:
                send.kind = str(outcome.content.get("type", send.kind))
                send.content = {**send.content, "sent": outcome.content}
            apply_status_to(send, DeliveryStatus.sent, now)
        context = await self.messages.context(message.conversation_id)
        if context is not None:
            conversation, campaign, _ = context
            conversation.last_message_at = now
            FollowUpService(self.session).after_sent(conversation, campaign, now)
        await self.session.flush()

    @staticmethod
    def _fail(message: Message, reason: str) -> None:
        message.status = MessageStatus.failed
        message.failure_reason = reason
        message.send_lease_until = None

    async def _block_if_unreachable(self, message: Message, outcome: SendOutcome) -> None:
        if not (outcome.bounce or outcome.opted_out) or not message.to_address:
            return
        conversation = await self.session.get(Conversation, message.conversation_id)
        await self.contacts.block(str(message.channel), message.to_address,
                                  source=BlockSource.bounce if outcome.bounce else BlockSource.unsubscribe,
                                  creator_id=conversation.creator_id if conversation else None,
                                  reason=outcome.description)

    # ------------------------------------------------------------------ receipts
    async def apply_whatsapp_receipt(self, send: WhatsAppSend) -> Message | None:
        """Mirror the send's status onto its message; re-queue as a template after a 131047 refusal."""
        message = (await self.messages.get(send.message_id, for_update=True) if send.message_id
                   else await self.messages.by_provider_id(send.provider_message_id or "", for_update=True))
        if message is None:
            return None
        at = send.read_at or send.delivered_at or send.failed_at or send.sent_at or datetime.now(UTC)
        advance_message(message, DeliveryStatus(send.status), at, send.failure_reason)
        for time_field in _TIME_FIELD.values():  # receipts are facts even when they arrive out of order
            if getattr(message, time_field) is None and getattr(send, time_field) is not None:
                setattr(message, time_field, getattr(send, time_field))
        retry_as_template = (send.status == DeliveryStatus.failed and send.error_code == OUTSIDE_WINDOW
                             and not send.idempotency_key.endswith(":template")
                             and message.status == MessageStatus.failed)
        if retry_as_template:
            await self._requeue_as_template(message)
        await self.session.flush()
        return message

    async def _requeue_as_template(self, message: Message) -> None:
        message.status = MessageStatus.queued
        message.send_lease_until = None
        message.failure_reason = "outside the 24-hour window: sending the approved template instead"
        await self.outbox.enqueue(MESSAGES_SEND_WHATSAPP, SendMessage(message_id=message.id),
                                  f"send:{message.id}:template")

    # ------------------------------------------------------------------ sweeper
    async def redrive(self, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
        """New send jobs for expired claims and for long-queued messages (at most one per window)."""
        now = now or datetime.now(UTC)
        queued_after = self.settings.MESSAGE_REDRIVE_QUEUED_AFTER_SECONDS
        bucket = int(now.timestamp() // max(queued_after, 1))
        counts = {"expired_claims": 0, "stale_queued": 0}
        groups = (("expired_claims", await self.messages.expired_claims(now, limit)),
                  ("stale_queued", await self.messages.stale_queued(now - timedelta(seconds=queued_after), limit)))
        for name, messages in groups:
            for message in messages:
                key = f"send:{message.id}:redrive:{message.send_attempts}:{bucket}"
                if await self.outbox.enqueue(send_message_job(message.channel), SendMessage(message_id=message.id),
                                             key):
                    counts[name] += 1
        return counts

