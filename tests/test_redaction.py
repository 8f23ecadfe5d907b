"""Personal links stay personal: signing (and other `token=`) links are redacted wherever someone other than the
recipient reads a message — the manager's thread view and the development mailbox — while the recipient's own
mail (the SMTP sink on disk, `influency mailbox show`) keeps the working link."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import httpx
from typer.testing import CliRunner

from api.schemas.approvals import MessageOut
from core.settings import Settings
from store.signing.redact import redact_tokens
from tests.conftest import manager_headers
from tools.integrations.email import deliver_email
from tools.integrations.email_message import OutboundEmail
from tools.integrations.mailbox import Mailbox
from tools.integrations.smtp_sink import start_smtp_sink

LINK = "https://app.example/contracts/8c1f/sign?token=Zx9-secret_TOKEN.42"


def test_tokens_in_links_are_redacted_and_nothing_else() -> None:
    assert redact_tokens(f"Sign here: {LINK}\nThanks") == (
        "Sign here: https://app.example/contracts/8c1f/sign?token=[redacted]\nThanks")
    assert redact_tokens(f'<a href="{LINK}&amp;lang=en">sign</a>') == (
        '<a href="https://app.example/contracts/8c1f/sign?token=[redacted]&amp;lang=en">sign</a>')
    assert redact_tokens("a?x=1&token=abc)") == "a?x=1&token=[redacted])"
    assert redact_tokens("the token is yours; my rate is 1400 EUR") == "the token is yours; my rate is 1400 EUR"
    assert redact_tokens(None) is None


def test_thread_messages_shown_to_managers_hide_signing_links() -> None:
    now = dt.datetime.now(dt.UTC)
    shown = MessageOut(id=uuid.uuid4(), direction="outbound", channel="email", status="sent", subject="Sign",
                       body_text=f"Please sign: {LINK}", body_html=f'<a href="{LINK}">sign</a>', to_address=None,
                       from_address=None, model=None, prompt_version=None, created_at=now, sent_at=now)
    assert "secret_TOKEN" not in shown.model_dump_json() and "token=[redacted]" in shown.body_text


async def test_dev_mailbox_redacts_links_the_creators_own_copy_keeps_them(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    mailbox = Mailbox.default()
    mailbox.clear()
    server = await start_smtp_sink(mailbox, "127.0.0.1", 0)
    settings = Settings(SMTP_PORT=server.sockets[0].getsockname()[1], _env_file=None)  # type: ignore[call-arg]
    try:
        sent = await deliver_email(OutboundEmail(to_address="cleo@example.com", to_name="Cleo", subject="Sign",
                                                 text_body=f"Hi Cleo, sign here: {LINK}", reply_token="r" * 20,
                                                 idempotency_key="sign:1"), settings=settings)
        assert sent.ok
    finally:
        server.close()
        await server.wait_closed()
    [item] = (await client.get("/dev/mailbox", headers=headers)).json()["items"]
    detail = (await client.get(f"/dev/mailbox/{item['id']}", headers=headers)).json()
    assert "secret_TOKEN" not in str(detail) and "sign?token=[redacted]" in detail["text"]

    from cli import commands  # noqa: F401
    from cli.main import app as cli_app

    shown = await asyncio.to_thread(CliRunner().invoke, cli_app, ["mailbox", "show", item["id"]])
    assert shown.exit_code == 0 and LINK in shown.output
