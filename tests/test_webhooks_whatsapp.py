"""The WhatsApp webhook on the main API (and the same routes on the WhatsApp Business service): handshake,
signature before parsing, dedupe under concurrent redelivery, replay window, and `inbound.process` (statuses
advance our message by its wamid)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from core.settings import get_settings
from store.db import unit_of_work
from store.inbound.service import StatusBeforeSend
from store.models import DoNotContact, InboundEvent, Message, MessageStatus, OutboxEvent
from tools.inbound.whatsapp import sign_body
from workers.inbound import process_inbound_event

PATH = "/webhooks/whatsapp"


def notification(messages: list[dict[str, Any]] | None = None,
                 statuses: list[dict[str, Any]] | None = None) -> bytes:
    value: dict[str, Any] = {"messaging_product": "whatsapp",
                             "metadata": {"display_phone_number": "15550001234", "phone_number_id": "1"}}
    if messages:
        value["contacts"] = [{"profile": {"name": "Cleo"}, "wa_id": messages[0]["from"]}]
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": "2", "changes": [{"field": "messages", "value": value}]}]}).encode()


def text_message(body: str = "Hi! Tell me more", wamid: str | None = None, at: int | None = None) -> dict[str, Any]:
    return {"from": "447700900123", "id": wamid or f"wamid.{uuid.uuid4().hex}",
            "timestamp": str(at or int(time.time())), "type": "text", "text": {"body": body}}


def status(wamid: str, word: str, at: int | None = None, **extra: Any) -> dict[str, Any]:
    return {"id": wamid, "status": word, "timestamp": str(at or int(time.time())), "recipient_id": "447700900123",
            **extra}


def signed(body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json",
            "X-Hub-Signature-256": sign_body(body, get_settings().whatsapp_app_secret())}


async def count(model: type) -> int:
    async with unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_verification_handshake(client: httpx.AsyncClient) -> None:
    token = get_settings().whatsapp_verify_token()
    ok = await client.get(PATH, params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158"})
    assert ok.status_code == 200 and ok.text == "1158"
    for params in ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
                   {"hub.mode": "unsubscribe", "hub.verify_token": token, "hub.challenge": "1"}, {}):
        assert (await client.get(PATH, params=params)).status_code == 403


async def test_missing_or_bad_signature_is_401_and_stores_nothing(client: httpx.AsyncClient) -> None:
    body = notification(messages=[text_message()])
    unsigned = await client.post(PATH, content=body, headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "invalid_signature"
    tampered = await client.post(PATH, content=body.replace(b"Tell", b"Sell"), headers=signed(body))
    assert tampered.status_code == 401
    other_key = {"X-Hub-Signature-256": sign_body(body, "not-the-app-secret")}
    assert (await client.post(PATH, content=body, headers=other_key)).status_code == 401
    # a valid signature over a non-JSON body is checked first, then rejected as input
    assert (await client.post(PATH, content=b"not json", headers=signed(b"not json"))).status_code == 422
    assert await count(InboundEvent) == 0 and await count(OutboxEvent) == 0


async def test_same_webhook_three_times_at_once_gives_one_event_and_one_job(client: httpx.AsyncClient) -> None:
    body = notification(messages=[text_message(wamid="wamid.concurrent")])
    responses = await asyncio.gather(*[client.post(PATH, content=body, headers=signed(body)) for _ in range(3)])
    assert [response.status_code for response in responses] == [200, 200, 200]
    assert sorted(response.json()["stored"] for response in responses) == [0, 0, 1]
    assert await count(InboundEvent) == 1 and await count(OutboxEvent) == 1
    async with unit_of_work() as session:
        event = (await session.execute(select(InboundEvent))).scalar_one()
        job = (await session.execute(select(OutboxEvent))).scalar_one()
    assert (job.actor_name, job.payload, job.idempotency_key) == (
        "inbound.process", {"event_id": str(event.id)}, f"inbound:{event.id}")
    assert event.sender == "+447700900123" and event.kind.value == "message"


async def test_old_items_are_ignored_as_replays(client: httpx.AsyncClient) -> None:
    old = int(time.time()) - get_settings().WHATSAPP_WEBHOOK_MAX_AGE_SECONDS - 60
    future = int(time.time()) + 3600
    body = notification(messages=[text_message(at=old), text_message(at=future), text_message()])
    response = await client.post(PATH, content=body, headers=signed(body))
    assert response.json() == {"stored": 1, "duplicates": 0, "stale": 2}


async def test_items_without_a_readable_timestamp_are_stale(client: httpx.AsyncClient) -> None:
    """The replay window always applies: a signed body whose timestamps were left out (or garbled) stores nothing."""
    no_time, garbled, wamid = text_message(), text_message(), f"wamid.{uuid.uuid4().hex}"
    del no_time["timestamp"]
    garbled["timestamp"] = "yesterday"
    report = status(wamid, "delivered")
    del report["timestamp"]
    body = notification(messages=[no_time, garbled], statuses=[report])
    response = await client.post(PATH, content=body, headers=signed(body))
    assert response.json() == {"stored": 0, "duplicates": 0, "stale": 3}
    assert await count(InboundEvent) == 0


async def _send_row(wamid: str) -> uuid.UUID:
    """A direct WhatsApp message we sent (no conversation), known by its wamid."""
    async with unit_of_work() as session:
        message = Message(direction="outbound", channel="whatsapp", status="sent", body_text="Hi",
                          to_address="+447700900123", idempotency_key=f"test:{wamid}", provider_message_id=wamid,
                          sent_kind="text", send_attempts=1)
        session.add(message)
        await session.flush()
        return message.id


async def _process_all() -> list[str]:
    async with unit_of_work() as session:
        ids = [str(i) for i in (await session.execute(
            select(InboundEvent.id).where(InboundEvent.processed_at.is_(None)).order_by(InboundEvent.occurred_at)
        )).scalars()]
    return [await process_inbound_event(event_id) for event_id in ids]


async def test_statuses_advance_the_send_in_any_order(client: httpx.AsyncClient) -> None:
    send_id = await _send_row("wamid.out1")
    now = int(time.time())
    for word, at in (("read", now), ("delivered", now - 1), ("sent", now - 2)):  # reversed, one webhook each
        body = notification(statuses=[status("wamid.out1", word, at)])
        assert (await client.post(PATH, content=body, headers=signed(body))).json()["stored"] == 1
    await _process_all()
    async with unit_of_work() as session:
        send = await session.get(Message, send_id)
    assert send is not None and send.status == MessageStatus.read
    assert send.delivered_at is not None and send.read_at is not None


async def test_failed_status_keeps_the_reason_and_opt_out_blocks(client: httpx.AsyncClient) -> None:
    send_id = await _send_row("wamid.out2")
    error = {"code": 131050, "title": "User stopped marketing messages",
             "error_data": {"details": "The user has stopped marketing messages from your business"}}
    body = notification(statuses=[status("wamid.out2", "failed", errors=[error])])
    await client.post(PATH, content=body, headers=signed(body))
    await _process_all()
    async with unit_of_work() as session:
        send = await session.get(Message, send_id)
        blocks = list((await session.execute(select(DoNotContact))).scalars())
    assert send is not None and send.status == MessageStatus.failed and send.error_code == 131050
    assert send.failed_at is not None
    assert send.failure_reason and send.failure_reason.startswith("user_opted_out")
    assert [(b.address, b.source.value, b.organization_id) for b in blocks] == [("+447700900123", "unsubscribe", None)]


async def test_status_before_the_send_recorded_its_id_is_retried(client: httpx.AsyncClient) -> None:
    body = notification(statuses=[status("wamid.not-yet", "delivered")])
    await client.post(PATH, content=body, headers=signed(body))
    async with unit_of_work() as session:
        event_id = str((await session.execute(select(InboundEvent.id))).scalar_one())
    try:
        await process_inbound_event(event_id)
        raise AssertionError("expected a retry")
    except StatusBeforeSend:
        pass
    await _send_row("wamid.not-yet")
    assert "delivered" in await process_inbound_event(event_id)


async def test_stop_message_blocks_the_number(client: httpx.AsyncClient) -> None:
    body = notification(messages=[text_message("Stop please")])
    await client.post(PATH, content=body, headers=signed(body))
    [outcome] = await _process_all()
    assert outcome.startswith("STOP")
    async with unit_of_work() as session:
        block = (await session.execute(select(DoNotContact))).scalar_one()
    assert (block.channel.value, block.address, block.source.value) == ("whatsapp", "+447700900123", "stop")


async def test_business_service_serves_the_same_webhook(database_url: str) -> None:
    from api.whatsapp_business.app import create_app

    body = notification(messages=[text_message(wamid="wamid.business")])
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://business") as business:
        token = get_settings().whatsapp_verify_token()
        handshake = await business.get("/webhook", params={"hub.mode": "subscribe", "hub.verify_token": token,
                                                           "hub.challenge": "42"})
        assert handshake.text == "42"
        assert (await business.post("/webhook", content=body)).status_code == 401
        assert (await business.post("/webhook", content=body, headers=signed(body))).json()["stored"] == 1
    assert await count(InboundEvent) == 1
