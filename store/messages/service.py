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
- A manager's direct WhatsApp message (no conversation, `store/messages/whatsapp.py`) takes the same path: its
  organization's do-not-contact list is checked, its own template is used outside the 24-hour window.
- `redrive` (the message sweeper) writes a new send job for claims whose lease ran out and for messages still
  `queued` long after approval (a lost job); the claim makes extra deliveries harmless.
- `apply_whatsapp_status` applies a WhatsApp status webhook to the message with that wamid (`advance_status`,
  never backwards); a free-text message refused outside the 24-hour window (131047), at send time or by a later
  status, is queued again as its template (`template_only`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import get_settings
from store.channels.delivery import DeliveryStatus, advance_status
from store.contacts.service import DoNotContactService
from store.followups.service import FollowUpService
from store.jobs import MESSAGES_SEND_WHATSAPP, SendMessage, send_message_job
from store.messages.repository import MessageRepository
from store.messages.whatsapp_window import window_opened_at
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
)
from store.outbox.repository import OutboxRepository

OUTSIDE_WINDOW = 131047  # WhatsApp: free text more than 24 hours after the creator's last message
_AS_DELIVERY = {MessageStatus.queued: DeliveryStatus.queued, MessageStatus.sending: DeliveryStatus.queued,
                MessageStatus.sent: DeliveryStatus.sent, MessageStatus.delivered: DeliveryStatus.delivered,
                MessageStatus.read: DeliveryStatus.read, MessageStatus.failed: DeliveryStatus.failed}
_GONE_OUT = (MessageStatus.sent, MessageStatus.delivered, MessageStatus.read)
_TIME_FIELD = {DeliveryStatus.sent: "sent_at", DeliveryStatus.delivered: "delivered_at",
               DeliveryStatus.read: "read_at", DeliveryStatus.failed: "failed_at"}


@dataclass(frozen=True)
class SendJob:
    """Everything the provider call needs, as plain values read inside the claim's transaction."""

    message_id: uuid.UUID
    attempt: int
    channel: MessageChannel
    to_address: str
    body_text: str
    idempotency_key: str  # `message:<id>`: fixes the email's Message-ID (WhatsApp: `:template` when resent)
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


def advance_message(message: Message, incoming: DeliveryStatus, at: datetime, reason: str | None = None,
                    error_code: int | None = None) -> None:
    """Move an outbound message along queued → sent → delivered → read | failed, never backwards."""
    current = _AS_DELIVERY.get(MessageStatus(message.status))
    if current is None:  # draft, discarded, received: not a delivery state
        return
    after = advance_status(current, incoming)
    if after != current:
        message.status = MessageStatus(after.value)
    time_field = _TIME_FIELD.get(incoming)
    # receipts are facts even when they arrive late (read before delivered); a contradicted failure is not
    failed = DeliveryStatus.failed
    if time_field and getattr(message, time_field) is None and ((incoming == failed) == (after == failed)):
        setattr(message, time_field, at)
    if after == failed and incoming == failed:
        message.failure_reason = reason or message.failure_reason
        message.error_code = error_code


class MessageSendService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.messages = MessageRepository(session)
        self.contacts = DoNotContactService(session)
        self.outbox = OutboxRepository(session)
        self.settings = get_settings()

    # ------------------------------------------------------------------ claim
    async def claim(self, message_id: uuid.UUID, now: datetime | None = None) -> Claim:
        return (await self.claim_many([message_id], now))[0]

    async def claim_many(self, message_ids: Sequence[uuid.UUID], now: datetime | None = None) -> list[Claim]:
        """Claim a batch of messages (one claim per distinct id, in order): one UPDATE, then the conversations,
        do-not-contact entries and threads of all of them in one query each — a batch of sends costs a handful of
        round trips, not a handful per message. A refused message is failed here and gets no job."""
        now = now or datetime.now(UTC)
        message_ids = list(dict.fromkeys(message_ids))  # an id twice in a batch is still one send
        lease = now + timedelta(seconds=self.settings.MESSAGE_SEND_LEASE_SECONDS)
        claimed = {message.id: message for message in await self.messages.claim_many(message_ids, now, lease)}
        missing = [message_id for message_id in message_ids if message_id not in claimed]
        statuses = await self.messages.statuses(missing) if missing else {}
        in_threads = [m.conversation_id for m in claimed.values() if m.conversation_id is not None]
        contexts = await self.messages.contexts(in_threads) if in_threads else {}
        threads = await self.messages.thread_outlines(in_threads) if in_threads else {}
        messages = list(claimed.values())
        campaigns: list[Campaign | None] = [
            contexts[m.conversation_id][1] if m.conversation_id is not None else None for m in messages]
        organizations = [contexts[m.conversation_id][0].organization_id if m.conversation_id is not None
                         else m.organization_id for m in messages]
        refusals = dict(zip(claimed, await self._refusals(messages, organizations, campaigns), strict=True))
        claims: list[Claim] = []
        for message_id in message_ids:
            message = claimed.get(message_id)
            if message is None:
                claims.append(Claim(None, f"not claimable ({statuses.get(message_id, 'missing')})"))
                continue
            refusal = refusals[message_id]
            if refusal is not None:
                self._fail(message, refusal, now)
                claims.append(Claim(None, refusal))
            elif message.conversation_id is None:  # a manager's direct WhatsApp message
                claims.append(Claim(await self._direct_whatsapp_job(message), "claimed"))
            else:
                conversation, campaign, creator = contexts[message.conversation_id]
                thread = [m for m in threads[message.conversation_id] if m.id != message.id]
                claims.append(Claim(await self._job(message, thread, conversation, campaign, creator), "claimed"))
        await self.session.flush()
        return claims

    async def _refusals(self, messages: Sequence[Message], organization_ids: Sequence[uuid.UUID | None],
                        campaigns: Sequence[Campaign | None]) -> list[str | None]:
        """Why each message may not go out (checked at the claim, so a block added after approval still wins)."""
        refusals: list[str | None] = []
        for message, campaign in zip(messages, campaigns, strict=True):
            if message.send_attempts > self.settings.MESSAGE_SEND_MAX_ATTEMPTS:
                refusals.append("too_many_attempts")
            elif campaign is not None and (campaign.deleted_at is not None
                                           or campaign.status == CampaignStatus.cancelled):
                refusals.append("campaign_closed")
            elif not message.to_address:
                refusals.append("no_address")
            else:
                refusals.append(None)
        checked = [index for index, refusal in enumerate(refusals) if refusal is None]
        blocked = await self.contacts.blocked_among(
            [(str(messages[i].channel), messages[i].to_address or "", organization_ids[i]) for i in checked])
        for index, verdict in zip(checked, blocked, strict=True):
            refusals[index] = "invalid_address" if verdict is None else "do_not_contact" if verdict else None
        return refusals

    async def _job(self, message: Message, thread: Sequence[Any], conversation: Conversation, campaign: Campaign,
                   creator: Creator) -> SendJob:
        common: dict[str, Any] = {
            "message_id": message.id, "attempt": message.send_attempts, "channel": MessageChannel(message.channel),
            "to_address": message.to_address or "", "body_text": message.body_text,
            "idempotency_key": f"message:{message.id}", "reply_token": conversation.reply_token,
            "creator_id": conversation.creator_id, "to_name": creator.display_name}
        if message.channel == MessageChannel.email:
            ids = [m.provider_message_id for m in thread
                   if m.channel == MessageChannel.email and m.provider_message_id
                   and (m.direction == MessageDirection.inbound or m.status in _GONE_OUT)]
            return SendJob(**common, subject=message.subject or "(no subject)", body_html=message.body_html,
                           in_reply_to=ids[-1] if ids else None, references=ids[-10:])
        earlier = [m for m in thread if m.direction == MessageDirection.outbound and m.status in _GONE_OUT]
        organization = await self.session.get(Organization, campaign.organization_id)
        first_name = creator.display_name.split()[0] if creator.display_name else "there"
        return await self._whatsapp_job(
            message, common, template_name=(self.settings.WHATSAPP_FOLLOW_UP_TEMPLATE if earlier
                                             else self.settings.WHATSAPP_OUTREACH_TEMPLATE),
            template_language=self.settings.WHATSAPP_TEMPLATE_LANGUAGE,
            template_parameters=[first_name, organization.name if organization else "our team"])

    async def _direct_whatsapp_job(self, message: Message) -> SendJob:
        template = message.whatsapp_template or {}
        common: dict[str, Any] = {
            "message_id": message.id, "attempt": message.send_attempts, "channel": MessageChannel.whatsapp,
            "to_address": message.to_address or "", "body_text": message.body_text,
            "idempotency_key": f"message:{message.id}", "reply_token": ""}
        return await self._whatsapp_job(message, common, template_name=template.get("name"),
                                        template_language=str(template.get("language") or "en"),
                                        template_parameters=list(template.get("body_parameters") or []))

    async def _whatsapp_job(self, message: Message, common: dict[str, Any], *, template_name: str | None,
                            template_language: str, template_parameters: list[str]) -> SendJob:
        template_only = message.error_code == OUTSIDE_WINDOW  # the free text was refused: send the template
        return SendJob(**{**common, "idempotency_key": common["idempotency_key"] + (
                           ":template" if template_only else "")},
                       last_inbound_at=await window_opened_at(self.session, message.to_address or ""),
                       template_name=template_name, template_language=template_language,
                       template_parameters=template_parameters, template_only=template_only)

    # ------------------------------------------------------------------ record
    async def record(self, job: SendJob, outcome: SendOutcome, now: datetime | None = None) -> str:
        return (await self.record_many([(job, outcome)], now))[0]

    async def record_many(self, results: Sequence[tuple[SendJob, SendOutcome]],
                          now: datetime | None = None) -> list[str]:
        """Store each provider answer (the messages locked in one query, written in one flush): sent | retry
        (raise to retry) | requeued (a new job resends it as a template) | failed | stale (another attempt owns
        the message now)."""
        now = now or datetime.now(UTC)
        found = await self.messages.for_record([job.message_id for job, _ in results])
        recorded = [await self._record_one(job, outcome, found.get(job.message_id), now) for job, outcome in results]
        await self.session.flush()
        return recorded

    async def _record_one(self, job: SendJob, outcome: SendOutcome,
                          found: tuple[Message, Conversation | None, Campaign | None] | None, now: datetime) -> str:
        if found is None:
            return "stale"
        message, conversation, campaign = found
        if outcome.ok:
            self._record_sent(message, conversation, campaign, outcome, now)
            return "sent"
        if message.status != MessageStatus.sending or message.send_attempts != job.attempt:
            return "stale"
        self._note_kind(message, outcome)
        if outcome.retryable and message.send_attempts < self.settings.MESSAGE_SEND_MAX_ATTEMPTS:
            message.status = MessageStatus.queued
            message.send_lease_until = None
            message.failure_reason = f"attempt {message.send_attempts}: {outcome.description}"
            return "retry"
        self._fail(message, outcome.description, now, outcome.error_code)
        if outcome.error_code == OUTSIDE_WINDOW and not job.template_only and job.template_name:
            await self._requeue_as_template(message)
            return "requeued"
        await self._block_if_unreachable(message, outcome)
        return "failed"

    def _record_sent(self, message: Message, conversation: Conversation | None, campaign: Campaign | None,
                     outcome: SendOutcome, now: datetime) -> None:
        if message.status == MessageStatus.sending:
            message.status = MessageStatus.queued  # so the ladder below moves it to sent
        message.provider_message_id = outcome.provider_message_id or message.provider_message_id
        message.send_lease_until = None
        message.failure_reason = None
        message.error_code = None
        self._note_kind(message, outcome)
        advance_message(message, DeliveryStatus.sent, now)
        if conversation is not None and campaign is not None:
            conversation.last_message_at = now
            FollowUpService(self.session).after_sent(conversation, campaign, now)

    @staticmethod
    def _note_kind(message: Message, outcome: SendOutcome) -> None:
        """WhatsApp: text or template, as attempted (a refused free text is resent as the template)."""
        if outcome.content and outcome.content.get("type"):
            message.sent_kind = str(outcome.content["type"])

    @staticmethod
    def _fail(message: Message, reason: str, now: datetime, error_code: int | None = None) -> None:
        message.status = MessageStatus.failed
        message.failure_reason = reason
        message.error_code = error_code
        message.failed_at = now
        message.send_lease_until = None

    async def _block_if_unreachable(self, message: Message, outcome: SendOutcome) -> None:
        if not (outcome.bounce or outcome.opted_out) or not message.to_address:
            return
        conversation = (await self.session.get(Conversation, message.conversation_id)
                        if message.conversation_id else None)
        await self.contacts.block(str(message.channel), message.to_address,
                                  source=BlockSource.bounce if outcome.bounce else BlockSource.unsubscribe,
                                  creator_id=conversation.creator_id if conversation else None,
                                  reason=outcome.description)

    # ------------------------------------------------------------------ status webhooks
    async def apply_whatsapp_status(self, provider_message_id: str, incoming: DeliveryStatus, at: datetime | None,
                                    error_code: int | None = None, reason: str | None = None) -> Message | None:
        """Advance the message with this wamid (never backwards); None when no message has it (yet). A free
        text refused outside the 24-hour window is queued again as its template."""
        message = await self.messages.by_provider_id(provider_message_id, for_update=True)
        if message is None:
            return None
        advance_message(message, incoming, at or datetime.now(UTC), reason, error_code)
        has_template = message.conversation_id is not None or bool(message.whatsapp_template)
        if (message.status == MessageStatus.failed and message.error_code == OUTSIDE_WINDOW
                and message.sent_kind == "text" and has_template):
            await self._requeue_as_template(message)
        await self.session.flush()
        return message

    async def _requeue_as_template(self, message: Message) -> None:
        message.status = MessageStatus.queued
        message.send_lease_until = None
        message.failed_at = None
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

