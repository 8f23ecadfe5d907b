"""Helpers for the sending, negotiation and follow-up tests: a real SMTP sink (the `mail_sink` fixture points the
SMTP settings at it, so the send actors deliver there), a creator who has our first email, replies by webhook.
Jobs run through the one pump, `tests/support/jobs.run_jobs()`."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from core.settings import Settings, get_settings
from store.db import unit_of_work
from store.models import Approval, Conversation, Message, MessageDirection, Negotiation
from tests.agents_flow import decide, one_message_draft
from tests.support.jobs import run_jobs
from tools.integrations.email import SmtpEmailSender
from tools.integrations.mailbox import Mailbox
from tools.integrations.smtp_sink import start_smtp_sink


@dataclass
class Sink:
    mailbox: Mailbox
    sender: SmtpEmailSender  # for calling a send function directly; actors read the (patched) settings
    port: int

    def message_ids(self) -> list[str]:
        return [entry.message_id or "" for entry in self.mailbox.entries(limit=10_000)]


async def smtp_sink(directory: Path) -> AsyncIterator[Sink]:
    """A real aiosmtpd sink on a free port; mail lands in `directory`."""
    mailbox = Mailbox(directory)
    server = await start_smtp_sink(mailbox, "127.0.0.1", 0)
    settings = Settings(SMTP_HOST="127.0.0.1", SMTP_PORT=server.sockets[0].getsockname()[1],  # type: ignore[call-arg]
                        SMTP_TIMEOUT_SECONDS=5, _env_file=None)
    yield Sink(mailbox, SmtpEmailSender(settings), settings.SMTP_PORT)
    server.close()
    await server.wait_closed()


# ------------------------------------------------------------------ a creator who has our first email
@dataclass
class Thread:
    conversation_id: uuid.UUID
    creator_id: uuid.UUID
    reply_token: str
    first_message_id: str  # the Message-ID of our first email


async def sent_outreach(client: httpx.AsyncClient, headers: dict[str, str], sink: Sink) -> Thread:
    """One creator (Ana Ruiz, ana.ruiz@example.com), her outreach draft approved and sent into the sink."""
    draft = await one_message_draft(client, headers)
    assert (await decide(client, headers, draft["id"], "approve")).status_code == 200
    await run_jobs()
    async with unit_of_work() as session:
        conversation = (await session.execute(select(Conversation))).scalar_one()
        sent = (await session.execute(select(Message).where(Message.direction == MessageDirection.outbound))
                ).scalar_one()
    assert sent.status == "sent" and sent.provider_message_id
    return Thread(conversation.id, conversation.creator_id, conversation.reply_token, sent.provider_message_id)


def inbound_secret() -> dict[str, str]:
    return {"X-Inbound-Secret": get_settings().inbound_email_secret()}


async def email_reply(client: httpx.AsyncClient, thread: Thread, text: str, message_id: str,
                      **fields: Any) -> httpx.Response:
    body = {"from": "Ana Ruiz <ana.ruiz@example.com>", "to": f"reply+{thread.reply_token}@influency.local",
            "subject": "Re: Spring launch", "text": text, "message_id": message_id} | fields
    response = await client.post("/webhooks/email/inbound", json=body, headers=inbound_secret())
    assert response.status_code == 200, response.text
    return response


async def all_rows(model: type[Any], *conditions: Any) -> list[Any]:
    async with unit_of_work() as session:
        statement = select(model).where(*conditions)
        if hasattr(model, "created_at"):
            statement = statement.order_by(model.created_at)
        return list((await session.execute(statement)).scalars())


async def negotiation() -> Negotiation:
    [record] = await all_rows(Negotiation)
    return record


async def pending_approvals(kind: str | None = None) -> list[Approval]:
    conditions = [Approval.status == "pending"] + ([Approval.kind == kind] if kind else [])
    return await all_rows(Approval, *conditions)


def models_from(server: Any, monkeypatch: Any, responder: Any) -> None:
    """From now on the agents' models are `ChatOpenAI` against the local test server
    (`tests/support/openai_server.py`), which answers with `responder(request)`."""
    settings = get_settings()
    monkeypatch.setattr(settings, "LLM_PROVIDER", "openai")
    monkeypatch.setattr(settings, "OPENAI_BASE_URL", server.base_url)
    monkeypatch.setattr(settings, "LLM_MODEL", "local-test")
    server.responder = responder

