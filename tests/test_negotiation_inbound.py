"""Inbound replies reach their thread (reply token, In-Reply-To, sender; WhatsApp sender and context), exactly once
however often the provider delivers them; forged or replayed webhooks start nothing; STOP and opt-out phrases
block the creator and nothing more is sent, even what was already queued; creators can answer in the app."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import httpx
from sqlalchemy import update

from store.db import unit_of_work
from store.models import (
    AgentRun,
    Approval,
    Conversation,
    DoNotContact,
    InboundEvent,
    Message,
    MessageDirection,
    OutboxEvent,
)
from tests.agents_flow import FULL_BRIEF, confirmed_campaign, decide, seed_creator
from tests.conftest import login, manager_headers
from tests.negotiation_flow import (
    Sink,
    all_rows,
    email_reply,
    inbound_secret,
    pending_approvals,
    sent_outreach,
)
from tests.support.jobs import run_jobs
from tests.test_webhooks_whatsapp import notification, signed, text_message
from workers.inbound import process_inbound_event
from workers.negotiation import negotiation_turn


async def inbound_messages() -> list[Message]:
    return await all_rows(Message, Message.direction == MessageDirection.inbound)


async def test_email_replies_find_their_thread_without_the_token(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    # a client that dropped our Reply-To: matched by In-Reply-To against our Message-ID
    await email_reply(client, thread, "Hi, what would the fee be?", "<irt@mail.test>", to="outreach@influency.local",
                      in_reply_to=thread.first_message_id)
    # no token, no headers: matched by the sender's address
    await email_reply(client, thread, "Hello again, any news?", "<sender@mail.test>", to="outreach@influency.local")
    outcomes = [result for name, _, result in await run_jobs() if name == "inbound.process"]
    assert outcomes == ["turn queued", "turn queued"]
    stored = await inbound_messages()
    assert [(m.conversation_id, m.channel, m.from_address) for m in stored] == [
        (thread.conversation_id, "email", "ana.ruiz@example.com")] * 2
    assert stored[0].idempotency_key == "inbound:email:<irt@mail.test>"
    stranger = {"from": "someone@else.test", "to": "outreach@influency.local", "subject": "hi", "text": "hello",
                "message_id": "<stranger@mail.test>"}
    await client.post("/webhooks/email/inbound", json=stranger, headers=inbound_secret())
    assert [r for n, _, r in await run_jobs() if n == "inbound.process"] == ["no conversation matched"]


async def test_same_webhook_three_times_at_once_is_one_message_and_one_turn(client: httpx.AsyncClient,
                                                                            mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    body = {"from": "ana.ruiz@example.com", "to": f"reply+{thread.reply_token}@influency.local",
            "subject": "Re: Spring launch", "text": "My rate is 1200 EUR.", "message_id": "<dup@mail.test>"}
    responses = await asyncio.gather(*[client.post("/webhooks/email/inbound", json=body, headers=inbound_secret())
                                       for _ in range(3)])
    assert sorted(r.json()["stored"] for r in responses) == [0, 0, 1]
    [event] = await all_rows(InboundEvent)
    # the processing job delivered three times at once (at-least-once delivery), then the turn job twice
    results = await asyncio.gather(*[process_inbound_event(str(event.id)) for _ in range(3)])
    assert sorted(results) == ["already processed", "already processed", "turn queued"]
    [turn_job] = await all_rows(OutboxEvent, OutboxEvent.actor_name == "negotiation.turn")
    await run_jobs()
    assert await negotiation_turn(**turn_job.payload) == "turn already started"
    assert len(await inbound_messages()) == 1
    [offer] = await pending_approvals("offer")
    assert offer.request["action_request"]["args"]["creator_ask"] == 1200.0
    [run] = await all_rows(AgentRun, AgentRun.kind == "negotiation")
    assert run.idempotency_key == f"negotiation:{thread.conversation_id}"


async def test_forged_unsigned_and_replayed_webhooks_start_no_turn(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    await sent_outreach(client, headers, mail_sink)
    old = text_message("My rate is 900 EUR", at=int(time.time()) - 30 * 24 * 3600)  # a month-old capture
    body = notification(messages=[old])
    forged = body.replace(b"900", b"100")
    assert (await client.post("/webhooks/whatsapp", content=forged, headers=signed(body))).status_code == 401
    assert (await client.post("/webhooks/whatsapp", content=body,
                              headers={"Content-Type": "application/json"})).status_code == 401
    replayed = await client.post("/webhooks/whatsapp", content=body, headers=signed(body))
    assert replayed.status_code == 200 and replayed.json()["stale"] == 1
    email = {"from": "ana.ruiz@example.com", "to": "outreach@influency.local", "text": "hi", "message_id": "<x@y>"}
    assert (await client.post("/webhooks/email/inbound", json=email)).status_code == 401
    assert (await client.post("/webhooks/email/inbound", json=email,
                              headers={"X-Inbound-Secret": "guess"})).status_code == 401
    await run_jobs()
    assert await all_rows(InboundEvent) == [] and await inbound_messages() == []
    assert await all_rows(OutboxEvent, OutboxEvent.actor_name == "negotiation.turn") == []


async def test_whatsapp_reply_is_routed_by_the_number_we_wrote_to(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    await sent_outreach(client, headers, mail_sink)
    async with unit_of_work() as session:  # our outreach went to her WhatsApp number
        await session.execute(update(Message).where(Message.direction == MessageDirection.outbound)
                              .values(channel="whatsapp", to_address="+447700900123", subject=None))
    body = notification(messages=[text_message("Interested! My fee is 1000 EUR")])
    assert (await client.post("/webhooks/whatsapp", content=body, headers=signed(body))).json()["stored"] == 1
    await run_jobs()
    [stored] = await inbound_messages()
    assert (stored.channel, stored.from_address) == ("whatsapp", "+447700900123")
    [offer] = await pending_approvals("offer")
    args = offer.request["action_request"]["args"]
    assert (args["channel"], args["to"], args["subject"]) == ("whatsapp", "+447700900123", None)


async def test_stop_blocks_the_creator_and_nothing_more_is_sent(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    await email_reply(client, thread, "My rate is 1400 EUR", "<r1@mail.test>")
    await run_jobs()
    [pending_offer] = await pending_approvals("offer")
    # a manually queued message that has not gone out yet (its send job is still in the outbox)
    async with unit_of_work() as session:
        conversation = await session.get(Conversation, thread.conversation_id)
        assert conversation is not None
        queued = Message(conversation_id=conversation.id, direction="outbound", channel="email", status="queued",
                         subject="One more thing", body_text="Hi Ana ...", to_address="ana.ruiz@example.com",
                         idempotency_key="manual:1")
        session.add(queued)
        await session.flush()
        session.add(OutboxEvent(actor_name="messages.send_email", payload={"message_id": str(queued.id)},
                                idempotency_key=f"send:{queued.id}"))
    mails_before = len(mail_sink.message_ids())

    await email_reply(client, thread, "STOP", "<stop@mail.test>")
    [stop_event] = await all_rows(InboundEvent, InboundEvent.external_id == "<stop@mail.test>")
    assert (await process_inbound_event(str(stop_event.id))).startswith("STOP")  # before the send job runs
    ran = await run_jobs()
    assert [r for n, _, r in ran if n.startswith("messages.send")] == ["do_not_contact"]
    assert len(mail_sink.message_ids()) == mails_before  # nothing more went out
    [block] = await all_rows(DoNotContact)
    assert (block.address, block.source, block.creator_id) == ("ana.ruiz@example.com", "stop", thread.creator_id)
    [cancelled] = await all_rows(Approval, Approval.id == pending_offer.id)
    assert cancelled.status == "cancelled"
    assert (await decide(client, headers, str(pending_offer.id), "approve")).status_code == 409
    [conversation] = await all_rows(Conversation)
    assert conversation.status == "closed" and conversation.follow_up_due_at is None
    assert await all_rows(OutboxEvent, OutboxEvent.actor_name == "negotiation.turn",
                          OutboxEvent.idempotency_key.contains("stop")) == []
    # whatever she writes next, no draft is made for her
    await email_reply(client, thread, "Hi again, what about 900?", "<after@mail.test>")
    await run_jobs()
    assert await pending_approvals() == []


async def test_opt_out_phrases_are_handled_in_code(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    await email_reply(client, thread, "Please remove me from your mailing list, thanks.", "<rm@mail.test>")
    ran = await run_jobs()
    assert [r for n, _, r in ran if n == "inbound.process"][0].startswith("STOP")
    assert [n for n, _, _ in ran if n == "negotiation.turn"] == []  # no model call, no turn
    assert [b.address for b in await all_rows(DoNotContact)] == ["ana.ruiz@example.com"]


async def test_a_creator_answers_in_the_app(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    registered = await client.post("/auth/register/creator", json={
        "email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
        "category": "fitness", "instagram_followers": 52000, "country": "ES"})
    assert registered.status_code == 201, registered.text
    creator_id = registered.json()["creator_id"]
    campaign = await confirmed_campaign(client, headers, FULL_BRIEF)
    invite = await client.post(f"/campaigns/{campaign['id']}/invite", headers=headers,
                               json={"creator_id": creator_id, "send_email": True})
    assert invite.status_code == 201, invite.text
    await run_jobs()
    creator = {"Authorization": f"Bearer {(await login(client, 'cleo'))['access_token']}"}
    other = await confirmed_campaign(client, await manager_headers(client, "otto", "Other"), FULL_BRIEF)

    answer = await client.post(f"/creators/me/campaigns/{campaign['id']}/negotiate", headers=creator,
                               json={"text": "Happy to join, my fee is 1100 EUR"})
    assert answer.status_code == 202 and answer.json()["outcome"] == "turn queued"
    assert (await client.post(f"/creators/me/campaigns/{other['id']}/negotiate", headers=creator,
                              json={"text": "hi"})).status_code == 404
    assert (await client.post(f"/creators/me/campaigns/{campaign['id']}/negotiate", headers=headers,
                              json={"text": "hi"})).status_code == 403
    assert (await client.post(f"/creators/me/campaigns/{campaign['id']}/negotiate", headers=creator,
                              json={"text": "   "})).status_code == 422
    await run_jobs()
    [stored] = await inbound_messages()
    assert (stored.channel, stored.body_text) == ("app", "Happy to join, my fee is 1100 EUR")
    [offer] = await pending_approvals("offer")
    args = offer.request["action_request"]["args"]
    assert (args["channel"], args["to"], args["creator_ask"]) == ("email", "cleo@example.com", 1100.0)
    assert json.dumps(args).count("Cleo") >= 1 and uuid.UUID(str(offer.creator_id)) == uuid.UUID(creator_id)


async def test_other_tenants_cannot_read_negotiations(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    intruder = await manager_headers(client, "otto", "Other")
    assert (await client.get(f"/campaigns/{campaign['id']}/negotiations", headers=intruder)).status_code == 404
    assert (await client.put(f"/campaigns/{campaign['id']}/follow-ups", headers=intruder,
                             json={"after_days": 1})).status_code == 404
    assert (await client.get(f"/campaigns/{campaign['id']}/negotiations", headers=headers)).json() == []
