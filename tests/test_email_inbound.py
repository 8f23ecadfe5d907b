"""Inbound email: reply extraction (quotes, signatures, several languages), the provider formats, the
authenticated webhook, dedupe, and STOP handling by `inbound.process`."""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
import pytest
from sqlalchemy import select

from core.settings import get_settings
from store.db import unit_of_work
from store.models import DoNotContact, InboundEvent, OutboxEvent
from tools.inbound.email import message_ids, parse_inbound_email
from tools.inbound.quotes import html_to_text, strip_quoted_reply
from workers.inbound import process_inbound_event

ANSWER = "Sounds great, my rate is 800 EUR for a reel."


@pytest.mark.parametrize("history", [
    "On Mon, 3 Mar 2026 at 10:02, Maria Lopez <maria@acme.com> wrote:\n> Hi Cleo,\n> would you like to work with us?",
    "On Mon, 3 Mar 2026 at 10:02, Maria Lopez <\nmaria@acme.com> wrote:\n\nHi Cleo, would you like to work with us?",
    "Am 03.03.2026 um 10:02 schrieb Maria Lopez <maria@acme.com>:\n\nHallo Cleo",
    "Le lun. 3 mars 2026 à 10:02, Maria Lopez <maria@acme.com> a écrit :\nBonjour Cleo",
    "El lun, 3 mar 2026 a las 10:02, Maria Lopez (<maria@acme.com>) escribió:\nHola Cleo",
    "Il giorno lun 3 mar 2026, Maria <maria@acme.com> ha scritto:\nCiao Cleo",
    "Em seg., 3 de mar. de 2026 às 10:02, Maria <maria@acme.com> escreveu:\nOlá Cleo",
    "-----Original Message-----\nFrom: Maria\nHi Cleo",
    "From: Maria Lopez <maria@acme.com>\nSent: Monday, March 3, 2026 10:02 AM\nTo: Cleo\nSubject: Collab\n\nHi",
    "De : Maria Lopez <maria@acme.com>\nEnvoyé : lundi 3 mars 2026 10:02\nÀ : Cleo\nObjet : Collab",
    "Von: Maria Lopez <maria@acme.com>\nGesendet: Montag, 3. März 2026 10:02\nAn: Cleo",
    "________________________________\nFrom: Maria Lopez\nHi Cleo",
    "-- \nCleo Park\nBeauty creator | 52k on Instagram",
    "Sent from my iPhone",
    "Enviado desde mi iPhone",
    "Von meinem iPhone gesendet",
    "> Hi Cleo,\n> would you like to work with us?",
])
def test_quoted_history_and_signatures_are_stripped(history: str) -> None:
    assert strip_quoted_reply(f"{ANSWER}\n\n{history}\n") == ANSWER


def test_bottom_posted_answer_is_kept() -> None:
    text = f"On Mon, Maria <maria@acme.com> wrote:\n> Would you like to work with us?\n> Maria\n\n{ANSWER}\n"
    assert strip_quoted_reply(text) == ANSWER


def test_inline_quotes_are_removed_around_the_answers() -> None:
    text = "> What is your rate?\n800 EUR\n> When can you post?\nNext week\n"
    assert strip_quoted_reply(text) == "800 EUR\nNext week"


def test_html_reply_without_text_part() -> None:
    markup = (f"<div dir='ltr'>{ANSWER}<br>Cleo</div><div class=\"gmail_quote\"><div>On Mon, Maria wrote:</div>"
              "<blockquote>Would you like to work with us?</blockquote></div>")
    assert html_to_text(markup) == f"{ANSWER}\nCleo"


def test_json_body_is_parsed_and_matched_to_its_thread() -> None:
    email = parse_inbound_email({
        "from": "Cleo Park <Cleo@Example.com>", "to": ["Acme <reply+0123456789abcdef0123@influency.local>"],
        "subject": "Re: Acme x Cleo", "text": f"{ANSWER}\n\nOn Mon, Maria wrote:\n> Hi",
        "headers": {"Message-ID": "<abc@mail.example.com>", "In-Reply-To": "<out@influency.local>",
                    "References": "<first@influency.local> <out@influency.local>"},
    })
    assert (email.from_address, email.from_name) == ("cleo@example.com", "Cleo Park")
    assert email.reply_token == "0123456789abcdef0123"
    assert (email.message_id, email.in_reply_to) == ("<abc@mail.example.com>", "<out@influency.local>")
    assert email.references == ["<first@influency.local>", "<out@influency.local>"]
    assert email.reply_text == ANSWER and not email.auto_submitted


def test_inbound_parse_form_fields_with_raw_headers_and_envelope() -> None:
    headers = ("Message-ID: <form@mail.example.com>\nIn-Reply-To: <out@influency.local>\n"
               "Auto-Submitted: auto-replied\nSubject: Out of office\n")
    email = parse_inbound_email({
        "from": "cleo@example.com", "to": "Acme <outreach@influency.local>", "subject": "Out of office",
        "text": "I'm away until Monday.", "headers": headers,
        "envelope": json.dumps({"to": ["reply+AbCdEf0123456789@influency.local"], "from": "cleo@example.com"}),
    })
    assert email.reply_token == "abcdef0123456789"  # from the envelope, lower-cased
    assert email.message_id == "<form@mail.example.com>" and email.auto_submitted


def test_raw_mime_field() -> None:
    raw = ("From: Cleo <cleo@example.com>\r\nTo: reply+0123456789abcdef@influency.local\r\n"
           "Subject: Re: hi\r\nMessage-ID: <raw@example.com>\r\nContent-Type: text/plain\r\n\r\n"
           f"{ANSWER}\r\n\r\nSent from my iPhone\r\n")
    email = parse_inbound_email({"email": raw})
    assert email.message_id == "<raw@example.com>" and email.reply_text == ANSWER
    assert message_ids("<a@x> <b@y>") == ["<a@x>", "<b@y>"]


def _secret_headers() -> dict[str, str]:
    return {"X-Inbound-Secret": get_settings().inbound_email_secret()}


REPLY = {"from": "cleo@example.com", "to": "reply+0123456789abcdef0123@influency.local", "subject": "Re: collab",
         "text": f"{ANSWER}\n\n> old", "message_id": "<reply-1@mail.example.com>"}


async def _events() -> list[InboundEvent]:
    async with unit_of_work() as session:
        return list((await session.execute(select(InboundEvent))).scalars())


async def test_webhook_needs_the_shared_secret(client: httpx.AsyncClient) -> None:
    assert (await client.post("/webhooks/email/inbound", json=REPLY)).status_code == 401
    wrong = await client.post("/webhooks/email/inbound", json=REPLY, headers={"X-Inbound-Secret": "nope"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_inbound_secret"
    assert await _events() == []


async def test_webhook_stores_once_with_its_job_json_and_form(client: httpx.AsyncClient) -> None:
    first = await client.post("/webhooks/email/inbound", json=REPLY, headers=_secret_headers())
    assert first.status_code == 200 and first.json() == {"stored": 1, "duplicates": 0, "stale": 0}
    again = await client.post("/webhooks/email/inbound", json=REPLY, headers=_secret_headers())
    assert again.json()["duplicates"] == 1
    basic = base64.b64encode(f"sendgrid:{get_settings().inbound_email_secret()}".encode()).decode()
    form = {"from": "Cleo <cleo@example.com>", "to": REPLY["to"], "subject": "Re: collab", "text": "Yes!",
            "headers": "Message-ID: <form-1@mail.example.com>\n", "envelope": "{}"}
    multipart = await client.post("/webhooks/email/inbound", data=form, files={"attachment1": ("a.txt", b"x")},
                                  headers={"Authorization": f"Basic {basic}"})
    assert multipart.status_code == 200 and multipart.json()["stored"] == 1
    events = await _events()
    assert sorted(event.external_id for event in events) == ["<form-1@mail.example.com>", "<reply-1@mail.example.com>"]
    async with unit_of_work() as session:
        jobs = list((await session.execute(select(OutboxEvent))).scalars())
    assert sorted(job.idempotency_key for job in jobs) == sorted(f"inbound:{event.id}" for event in events)
    stored = next(event for event in events if event.external_id == "<reply-1@mail.example.com>")
    assert stored.payload["reply_text"] == ANSWER and stored.payload["reply_token"] == "0123456789abcdef0123"


async def test_same_email_delivered_three_times_at_once_is_stored_once(client: httpx.AsyncClient) -> None:
    responses = await asyncio.gather(*[
        client.post("/webhooks/email/inbound", json=REPLY, headers=_secret_headers()) for _ in range(3)])
    assert all(response.status_code == 200 for response in responses)
    assert sum(response.json()["stored"] for response in responses) == 1
    assert len(await _events()) == 1


async def test_bad_body_is_422_and_stores_nothing(client: httpx.AsyncClient) -> None:
    response = await client.post("/webhooks/email/inbound", json={"subject": "no sender"}, headers=_secret_headers())
    assert response.status_code == 422 and "from" in response.json()["message"]
    text = await client.post("/webhooks/email/inbound", content=b"hello", headers=_secret_headers())
    assert text.status_code == 422
    assert await _events() == []


async def test_stop_reply_blocks_the_address_and_the_event_is_processed_once(client: httpx.AsyncClient) -> None:
    stop = REPLY | {"text": "STOP\n\nOn Mon, Maria wrote:\n> Hi Cleo", "message_id": "<stop@mail.example.com>"}
    await client.post("/webhooks/email/inbound", json=stop, headers=_secret_headers())
    await client.post("/webhooks/email/inbound", json=REPLY, headers=_secret_headers())
    events = {event.external_id: event for event in await _events()}
    outcome = await process_inbound_event(str(events["<stop@mail.example.com>"].id))
    assert outcome.startswith("STOP")
    assert await process_inbound_event(str(events["<stop@mail.example.com>"].id)) == "already processed"
    assert "phase 2" in await process_inbound_event(str(events["<reply-1@mail.example.com>"].id))
    async with unit_of_work() as session:
        [block] = list((await session.execute(select(DoNotContact))).scalars())
    assert (block.address, block.source.value, block.organization_id) == ("cleo@example.com", "stop", None)
