"""WhatsApp sending against the local Cloud API stand-in: the client, error classes, the shared Redis limiter,
the WhatsApp Business service (its direct messages go through the one send pipeline, `messages.send_whatsapp`),
and end to end over real HTTP (stand-in → signed webhooks → the API)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import dramatiq
import httpx
import pytest
from sqlalchemy import select

from api.standins.whatsapp_cloud import create_standin_app
from core.settings import Settings, get_settings
from store.contacts.service import DoNotContactService
from store.db import unit_of_work
from store.messages.whatsapp import DirectWhatsApp, DirectWhatsAppService
from store.models import InboundEvent, Message, MessageStatus, OutboxEvent
from store.redis import get_redis
from tests.conftest import manager_headers
from tools.integrations.rate_limit import SendRateLimiter
from tools.integrations.whatsapp import (
    OutboundWhatsApp,
    TemplateRef,
    WhatsAppClient,
    WhatsAppPayload,
    deliver_whatsapp,
)
from workers.inbound import process_inbound_event
from workers.messages import send_message

CREATOR = "+447700900123"
TEMPLATE = TemplateRef("creator_outreach", "en", ["Cleo", "Acme"])


async def test_client_sends_text_and_templates(standin_client: WhatsAppClient) -> None:
    text = await standin_client.send(CREATOR, WhatsAppPayload("text", {"body": "Hi Cleo"}))
    assert text.ok and text.provider_message_id and text.provider_message_id.startswith("wamid.")
    template = await standin_client.send(CREATOR, WhatsAppPayload("template", TEMPLATE.as_payload()))
    assert template.ok and template.content == {"type": "template", "template": TEMPLATE.as_payload()}
    names = {item["name"] for item in await standin_client.list_templates()}
    assert {"creator_outreach", "creator_follow_up"} <= names


@pytest.mark.parametrize(("to", "retryable", "reason"), [
    ("+447700909429", True, "throughput_limited"),
    ("+447700909500", True, "provider_error"),
])
async def test_provider_errors_come_back_classified(standin_client: WhatsAppClient, to: str, retryable: bool,
                                                    reason: str) -> None:
    result = await standin_client.send(to, WhatsAppPayload("text", {"body": "Hi"}))
    assert (result.ok, result.retryable, result.reason) == (False, retryable, reason)


async def test_unknown_template_is_permanent(standin_client: WhatsAppClient) -> None:
    result = await standin_client.send(CREATOR, WhatsAppPayload("template", TemplateRef("nope").as_payload()))
    assert (result.retryable, result.reason, result.error_code) == (False, "template_not_found", 132001)


async def test_transport_failure_is_retryable() -> None:
    settings = Settings(WHATSAPP_API_BASE_URL="http://127.0.0.1:9", _env_file=None)  # type: ignore[call-arg]
    client = WhatsAppClient(settings)
    try:
        result = await client.send(CREATOR, WhatsAppPayload("text", {"body": "Hi"}))
    finally:
        await client.aclose()
    assert (result.retryable, result.reason) == (True, "connection_error")


async def test_limiter_allows_the_rate_then_says_how_long_to_wait() -> None:
    limiter = SendRateLimiter(per_second=3, recipient_interval_seconds=6)
    decisions = [await limiter.acquire("pn1", f"+4477009001{index:02d}") for index in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[3].limited_by == "sender" and 0 < decisions[3].wait_seconds <= 1
    # another business number has its own budget; the same recipient must wait its 6 s
    assert (await limiter.acquire("pn2", "+447700900100")).allowed
    again = await limiter.acquire("pn2", "+447700900100")
    assert again.limited_by == "recipient" and 5 < again.wait_seconds <= 6


async def test_deliver_respects_recipient_spacing_and_the_window(standin_client: WhatsAppClient) -> None:
    limiter = SendRateLimiter(per_second=80, recipient_interval_seconds=6)
    inside = OutboundWhatsApp(CREATOR, "k1", text="Thanks!", template=TEMPLATE,
                              last_inbound_at=None)
    first = await deliver_whatsapp(inside, standin_client, limiter)
    assert first.ok and first.content and first.content["type"] == "template"  # never wrote to us: template
    second = await deliver_whatsapp(inside, standin_client, limiter)
    assert (second.ok, second.retryable, second.reason) == (False, True, "recipient_rate_limited")
    assert second.retry_after_seconds and second.retry_after_seconds > 0
    text_only = await deliver_whatsapp(OutboundWhatsApp("+447700900999", "k2", text="Hi"), standin_client, limiter)
    assert (text_only.ok, text_only.needs_template, text_only.retryable) == (False, True, False)


async def _wait_for(condition: Any, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def _unprocessed_ids() -> list[str]:
    async with unit_of_work() as session:
        return [str(i) for i in (await session.execute(select(InboundEvent.id).where(
            InboundEvent.processed_at.is_(None)).order_by(InboundEvent.received_at))).scalars()]


async def test_end_to_end_over_real_http(app: Any, local_http_server: Any) -> None:
    """Creator writes (stand-in → signed webhook → API), we answer in free text within the window, the stand-in
    reports sent/delivered/read over real HTTP, and `inbound.process` advances the send to read."""
    api_url = await local_http_server(app)
    standin_url = await local_http_server(
        create_standin_app(webhook_url=f"{api_url}/webhooks/whatsapp", status_delay=0), lifespan="on")
    async with httpx.AsyncClient(base_url=standin_url) as standin:
        inbound = await standin.post("/_standin/inbound", json={"from": CREATOR, "text": "Hi! Tell me more"})
    assert inbound.json()["webhook_status"] == 200
    assert [await process_inbound_event(i) for i in await _unprocessed_ids()] == ["no conversation matched"]

    async with unit_of_work() as session:  # inside the window: free text is allowed
        queued, created = await DirectWhatsAppService(session).queue(DirectWhatsApp(
            to_phone=CREATOR, idempotency_key="e2e:1", text="Great! Here are the details.", template=None))
    assert created
    settings = Settings(WHATSAPP_API_BASE_URL=standin_url, _env_file=None)  # type: ignore[call-arg]
    client = WhatsAppClient(settings)
    try:
        assert await send_message(str(queued.id), whatsapp_client=client) == "sent"
        assert await send_message(str(queued.id), whatsapp_client=client) == "not claimable (sent)"  # redelivered
    finally:
        await client.aclose()
    result = await _message(queued.id)
    assert result.sent_kind == "text" and result.provider_message_id

    async def three_statuses() -> bool:
        async with unit_of_work() as session:
            rows = (await session.execute(select(InboundEvent.external_id).where(
                InboundEvent.provider_message_id == result.provider_message_id))).scalars()
            return len(list(rows)) == 3

    await _wait_for(three_statuses)
    for event_id in await _unprocessed_ids():
        await process_inbound_event(event_id)
    send = await _message(queued.id)
    assert send.status == MessageStatus.read and send.provider_message_id
    assert send.sent_at and send.delivered_at and send.read_at


@pytest.fixture
async def business(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    from api.whatsapp_business.app import create_app

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()), base_url="http://business") as c:
        yield c


async def test_business_service_queues_sends_and_reports_status(client: httpx.AsyncClient,
                                                                business: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    assert (await business.post("/whatsapp/send", json={"to": CREATOR, "text": "Hi"})).status_code == 401
    closed = await business.post("/whatsapp/send", json={"to": CREATOR, "text": "Hi"}, headers=headers)
    assert closed.status_code == 409 and closed.json()["code"] == "whatsapp_template_required"
    body = {"to": CREATOR, "text": "Hi", "idempotency_key": "campaign-7-cleo",
            "template": {"name": "creator_outreach", "body_parameters": ["Cleo", "Acme"]}}
    queued = await business.post("/whatsapp/send", json=body, headers=headers)
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    again = await business.post("/whatsapp/send", json=body, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == queued.json()["id"]
    async with unit_of_work() as session:
        [job] = list((await session.execute(select(OutboxEvent))).scalars())
    assert (job.actor_name, job.payload) == ("messages.send_whatsapp", {"message_id": queued.json()["id"]})
    status = await business.get(f"/whatsapp/status/{queued.json()['id']}", headers=headers)
    assert status.status_code == 200 and status.json()["to_phone"] == CREATOR
    other = await manager_headers(client, "olga", "Other Co")
    assert (await business.get(f"/whatsapp/status/{queued.json()['id']}", headers=other)).status_code == 404
    assert (await business.post("/whatsapp/send", json={"to": "12"}, headers=headers)).status_code == 422


async def test_business_service_refuses_blocked_numbers(client: httpx.AsyncClient,
                                                        business: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await client.post("/do-not-contact", json={"channel": "whatsapp", "address": "0044 7700 900123"},
                      headers=headers)
    body = {"to": CREATOR, "template": {"name": "creator_outreach"}}
    response = await business.post("/whatsapp/send", json=body, headers=headers)
    assert response.status_code == 409 and response.json()["code"] == "do_not_contact"


async def test_actor_rechecks_do_not_contact_before_sending(standin_client: WhatsAppClient) -> None:
    message_id = await _queue(CREATOR, template={"name": "creator_outreach"})
    async with unit_of_work() as session:  # the creator unsubscribes after the send was queued
        await DoNotContactService(session).handle_stop("whatsapp", CREATOR)
    assert await send_message(str(message_id), whatsapp_client=standin_client) == "do_not_contact"
    send = await _message(message_id)
    assert send.status == MessageStatus.failed and send.failure_reason == "do_not_contact" and send.failed_at


async def test_business_templates_come_from_the_provider(client: httpx.AsyncClient, business: httpx.AsyncClient,
                                                         local_http_server: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    standin_url = await local_http_server(create_standin_app(webhook_url="http://127.0.0.1:9/x", status_delay=0))
    monkeypatch.setattr(get_settings(), "WHATSAPP_API_BASE_URL", standin_url)
    headers = await manager_headers(client)
    response = await business.get("/whatsapp/templates", headers=headers)
    assert response.status_code == 200
    assert {"creator_outreach", "contract_ready"} <= {item["name"] for item in response.json()["items"]}
    monkeypatch.setattr(get_settings(), "WHATSAPP_API_BASE_URL", "http://127.0.0.1:9")
    assert (await business.get("/whatsapp/templates", headers=headers)).status_code == 503


async def _queue(to: str, text: str | None = None, template: dict[str, Any] | None = None) -> uuid.UUID:
    """A direct message queued without the API's window check (as code that skipped it would)."""
    async with unit_of_work() as session:
        message = Message(direction="outbound", channel="whatsapp", status="queued", body_text=text or "",
                          to_address=to, whatsapp_template=template, idempotency_key=f"t:{uuid.uuid4()}")
        session.add(message)
        await session.flush()
        return message.id


async def _message(message_id: uuid.UUID) -> Message:
    async with unit_of_work() as session:
        message = await session.get(Message, message_id)
    assert message is not None
    return message


async def test_retryable_failures_retry_then_give_up(standin_client: WhatsAppClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "MESSAGE_SEND_MAX_ATTEMPTS", 2)
    message_id = await _queue("+447700909500", template={"name": "creator_outreach"})
    with pytest.raises(dramatiq.Retry):
        await send_message(str(message_id), whatsapp_client=standin_client)
    first = await _message(message_id)
    assert (first.status, first.send_attempts) == (MessageStatus.queued, 1)
    assert first.failure_reason and first.failure_reason.startswith("attempt 1: provider_error")
    await get_redis().flushdb()  # the recipient's 6-second spacing would otherwise defer the retry
    assert await send_message(str(message_id), whatsapp_client=standin_client) == "failed"
    final = await _message(message_id)
    assert (final.status, final.send_attempts, final.error_code) == (MessageStatus.failed, 2, 131000)


async def test_closed_window_at_send_time_fails_as_needs_template(standin_client: WhatsAppClient) -> None:
    message_id = await _queue("+447700900555", text="Hi again")  # queued by code that skipped the window check
    assert await send_message(str(message_id), whatsapp_client=standin_client) == "failed"
    send = await _message(message_id)
    assert send.status == MessageStatus.failed and send.failure_reason and "needs_template" in send.failure_reason
