"""The send actors (`messages.send_email` / `messages.send_whatsapp`) against a real SMTP mail_sink and the WhatsApp
stand-in: idempotent claims, do-not-contact enforced in the actor, retries and permanent failures, re-drives
after a crash, and delivery receipts mirrored onto the message (never backwards)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
import httpx
import pytest
from sqlalchemy import update

from core.settings import get_settings
from store.channels.delivery import DeliveryStatus
from store.contacts.service import DoNotContactService
from store.db import unit_of_work
from store.jobs import MESSAGES_SEND_EMAIL
from store.messages.service import MessageSendService
from store.models import (
    BlockSource,
    Campaign,
    CampaignStatus,
    Conversation,
    DoNotContact,
    Message,
    MessageStatus,
    OutboxEvent,
)
from tests.agents_flow import decide, one_message_draft
from tests.conftest import manager_headers
from tests.negotiation_flow import Sink, all_rows
from tests.support.jobs import run_jobs
from tools.integrations.email_message import message_id_for
from tools.integrations.whatsapp import WhatsAppClient
from workers.messages import send_message, sweep_messages


async def approved_message(client: httpx.AsyncClient, **message_changes: Any) -> Message:
    """A queued outreach email (approved through the API), its send job in the outbox, not yet sent."""
    headers = await manager_headers(client)
    draft = await one_message_draft(client, headers)
    if message_changes:
        async with unit_of_work() as session:
            await session.execute(update(Message).where(Message.approval_id == uuid.UUID(draft["id"]))
                                  .values(**message_changes))
    assert (await decide(client, headers, draft["id"], "approve")).status_code == 200
    [message] = await all_rows(Message, Message.approval_id == uuid.UUID(draft["id"]))
    assert message.status == MessageStatus.queued
    return message


async def reload(message_id: uuid.UUID) -> Message:
    [message] = await all_rows(Message, Message.id == message_id)
    return message


async def test_approved_email_is_sent_once_with_a_stable_message_id(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    message = await approved_message(client)
    ran = await run_jobs()
    assert [(name, result) for name, _, result in ran if name.startswith("messages.")] == [
        ("messages.send_email", "sent")]
    sent = await reload(message.id)
    expected_id = message_id_for(f"message:{message.id}", "influency.local")
    assert (sent.status, sent.provider_message_id, sent.send_attempts) == ("sent", expected_id, 1)
    assert sent.sent_at is not None and sent.send_lease_until is None
    assert mail_sink.message_ids() == [expected_id]
    # at-least-once delivery: the same job again, and a re-drive, send nothing
    assert await send_message(str(message.id), email_sender=mail_sink.sender) == "not claimable (sent)"
    assert mail_sink.message_ids() == [expected_id]
    stored = mail_sink.mailbox.get(mail_sink.mailbox.entries()[0].id)
    assert stored is not None and stored.header("Reply-To") and "reply+" in (stored.header("Reply-To") or "")


async def test_do_not_contact_is_enforced_by_the_actor(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    message = await approved_message(client)
    async with unit_of_work() as session:  # blocked after the approval, before the send
        await DoNotContactService(session).handle_stop("email", "ana.ruiz@example.com")
    assert await send_message(str(message.id), email_sender=mail_sink.sender) == "do_not_contact"
    failed = await reload(message.id)
    assert (failed.status, failed.failure_reason) == ("failed", "do_not_contact")
    assert mail_sink.message_ids() == []


async def test_retryable_failures_back_off_then_fail_with_the_reason(client: httpx.AsyncClient, mail_sink: Sink,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "MESSAGE_SEND_MAX_ATTEMPTS", 2)
    message = await approved_message(client, to_address="tempfail@example.com")
    with pytest.raises(dramatiq.Retry):
        await send_message(str(message.id), email_sender=mail_sink.sender)
    retried = await reload(message.id)
    assert retried.status == "queued" and retried.failure_reason and retried.failure_reason.startswith(
        "attempt 1: temporary_failure")
    assert await send_message(str(message.id), email_sender=mail_sink.sender) == "failed"
    failed = await reload(message.id)
    assert (failed.status, failed.send_attempts) == ("failed", 2)
    assert failed.failure_reason and failed.failure_reason.startswith("temporary_failure")
    assert await all_rows(DoNotContact) == []  # a temporary failure is not a bounce


async def test_a_bounce_fails_the_message_and_blocks_the_address(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    message = await approved_message(client, to_address="bounce-ana@example.com")
    assert await send_message(str(message.id), email_sender=mail_sink.sender) == "failed"
    failed = await reload(message.id)
    assert failed.status == "failed" and failed.failure_reason and "recipient_rejected" in failed.failure_reason
    [block] = await all_rows(DoNotContact)
    assert (block.address, block.source, block.organization_id) == ("bounce-ana@example.com", BlockSource.bounce,
                                                                    None)


async def test_a_crash_after_the_claim_is_redriven_after_the_lease(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    message = await approved_message(client)
    async with unit_of_work() as session:  # a worker claims it ... and dies before recording anything
        claim = await MessageSendService(session).claim(message.id)
    assert claim.job is not None and (await reload(message.id)).status == "sending"
    assert await send_message(str(message.id), email_sender=mail_sink.sender) == "not claimable (sending)"
    assert (await sweep_messages())["expired_claims"] == 0  # the lease still runs
    async with unit_of_work() as session:
        await session.execute(update(Message).where(Message.id == message.id)
                              .values(send_lease_until=datetime.now(UTC) - timedelta(seconds=1)))
    assert (await sweep_messages())["expired_claims"] == 1
    assert (await sweep_messages())["expired_claims"] == 0  # one re-drive per attempt
    await run_jobs()
    sent = await reload(message.id)
    assert (sent.status, sent.send_attempts) == ("sent", 2)
    assert mail_sink.message_ids() == [message_id_for(f"message:{message.id}", "influency.local")]


async def test_long_queued_messages_get_a_new_job(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    message = await approved_message(client)
    await run_jobs(lose=[MESSAGES_SEND_EMAIL])  # the job was lost
    assert (await reload(message.id)).status == "queued"
    later = datetime.now(UTC) + timedelta(seconds=get_settings().MESSAGE_REDRIVE_QUEUED_AFTER_SECONDS + 5)
    async with unit_of_work() as session:
        assert (await MessageSendService(session).redrive(later))["stale_queued"] == 1
    await run_jobs()
    assert (await reload(message.id)).status == "sent" and len(mail_sink.message_ids()) == 1


async def test_a_cancelled_campaign_sends_nothing_more(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    message = await approved_message(client)
    async with unit_of_work() as session:
        await session.execute(update(Campaign).values(status=CampaignStatus.cancelled))
    assert await send_message(str(message.id), email_sender=mail_sink.sender) == "campaign_closed"
    assert mail_sink.message_ids() == []


# ---------------------------------------------------------------------------------------------- WhatsApp
async def whatsapp_message(client: httpx.AsyncClient, phone: str = "+447700900123") -> Message:
    message = await approved_message(client)
    async with unit_of_work() as session:  # the same approved message, on WhatsApp
        await session.execute(update(Message).where(Message.id == message.id)
                              .values(channel="whatsapp", to_address=phone, subject=None))
        await session.execute(update(OutboxEvent).where(OutboxEvent.idempotency_key == f"send:{message.id}")
                              .values(actor_name="messages.send_whatsapp"))
    return message


async def test_whatsapp_send_uses_the_template_outside_the_window_and_mirrors_receipts(
        client: httpx.AsyncClient, standin_client: WhatsAppClient) -> None:
    message = await whatsapp_message(client)
    assert await send_message(str(message.id), whatsapp_client=standin_client) == "sent"
    sent = await reload(message.id)
    assert sent.status == "sent" and sent.provider_message_id and sent.sent_kind == "template"
    wamid = sent.provider_message_id

    for incoming in ("read", "delivered", "failed"):  # out of order, then a stale failure
        async with unit_of_work() as session:
            updated = await MessageSendService(session).apply_whatsapp_status(wamid, DeliveryStatus(incoming), None)
            assert updated is not None
    final = await reload(message.id)
    assert (final.status, final.failure_reason) == ("read", None) and final.read_at and final.delivered_at
    assert final.failed_at is None


async def test_whatsapp_refused_outside_the_window_is_resent_as_the_template(
        client: httpx.AsyncClient, whatsapp_standin: str) -> None:
    message = await whatsapp_message(client)
    async with unit_of_work() as session:  # pretend we sent free text and Meta answered 131047 by webhook
        claim = await MessageSendService(session).claim(message.id)
        assert claim.job is not None and not claim.job.template_only
        await session.execute(update(Message).where(Message.id == message.id).values(
            status="sent", provider_message_id="wamid.free-text", sent_kind="text"))
    async with unit_of_work() as session:
        failed = await MessageSendService(session).apply_whatsapp_status(
            "wamid.free-text", DeliveryStatus.failed, None, 131047, "outside the window")
        assert failed is not None
    requeued = await reload(message.id)
    assert requeued.status == "queued" and "template" in (requeued.failure_reason or "")
    await run_jobs()
    resent = await reload(message.id)
    assert resent.status == "sent" and resent.provider_message_id != "wamid.free-text"
    assert (resent.sent_kind, resent.error_code) == ("template", None)
    assert (await all_rows(Conversation))[0].follow_up_due_at is not None  # sent: a follow-up is scheduled
