"""Outbound email: the message we build, real SMTP into the local sink (aiosmtpd on a free port), error classes,
and the mailbox as seen through /dev/mailbox and `influency mailbox`."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from aiosmtplib.email import flatten_message
from typer.testing import CliRunner

from core.settings import Settings, get_settings
from store.contacts.tokens import read_unsubscribe_token
from tests.conftest import manager_headers
from tools.inbound.email import extract_reply_token
from tools.integrations.email import deliver_email
from tools.integrations.email_message import OutboundEmail, build_message, message_id_for
from tools.integrations.mailbox import Mailbox, body_parts, parse_raw
from tools.integrations.smtp_sink import start_smtp_sink

TOKEN = "0123456789abcdef0123"


def outbound(to: str = "cleo@example.com", **overrides: object) -> OutboundEmail:
    fields: dict[str, object] = {"to_address": to, "to_name": "Cleo Park", "subject": "Acme x Cleo: spring launch",
                                 "text_body": "Hi Cleo,\n\nWe love your videos.\n\nMaria", "reply_token": TOKEN,
                                 "idempotency_key": "message:42"}
    return OutboundEmail(**(fields | overrides))  # type: ignore[arg-type]


def received(outgoing: OutboundEmail) -> EmailMessage:
    """The message as a receiver parses it: flattened the way the SMTP client sends it, then parsed."""
    return parse_raw(flatten_message(build_message(outgoing)))


def test_message_has_threading_reply_and_unsubscribe_headers() -> None:
    message = received(outbound(in_reply_to="<prev@influency.local>", references=["<first@influency.local>"]))
    settings = get_settings()
    assert message["Message-ID"] == message_id_for("message:42", "influency.local")
    assert message["Reply-To"].addresses[0].addr_spec == f"reply+{TOKEN}@influency.local"
    assert extract_reply_token([message["Reply-To"].addresses[0].addr_spec]) == TOKEN
    assert message["In-Reply-To"] == "<prev@influency.local>"
    assert message["References"] == "<first@influency.local> <prev@influency.local>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(message["List-Unsubscribe"]).strip().strip("<>")  # folded onto its own line: leading space
    assert link.startswith(f"{settings.public_base_url}/unsubscribe/")
    assert read_unsubscribe_token(link.rsplit("/", 1)[1]).address == "cleo@example.com"
    text, html = body_parts(message)
    assert text is not None and html is not None
    assert "We love your videos." in text and link in text
    assert "<p>We love your videos.</p>" in html and "Unsubscribe</a>" in html
    # a retry builds the same Message-ID: receivers and our inbound matching see one message
    assert build_message(outbound())["Message-ID"] == message["Message-ID"]


def test_non_ascii_names_subject_and_body_survive_the_wire() -> None:
    body = "Hola Zoë,\n\n¿Te interesa? 价格 €450 — gracias 🙏\n" + "una línea muy larga " * 30
    subject = "Acme × Zoë: campaña de primavera 🌸, con más detalles de los que caben en una línea"
    message = received(outbound(to_name="Zoë Ñúñez", subject=subject, text_body=body))
    assert message["Subject"] == subject
    assert message["To"].addresses[0].display_name == "Zoë Ñúñez"
    assert message["To"].addresses[0].addr_spec == "cleo@example.com"
    text, html = body_parts(message)
    assert text is not None and html is not None
    assert text.startswith(body.rstrip()) and "价格 €450" in html
    raw = flatten_message(build_message(outbound(subject="Ünïcode", text_body=body)))
    assert raw.isascii() and max(len(line) for line in raw.splitlines()) <= 998  # 7-bit, RFC 5322 lines


def test_reply_tokens_are_validated() -> None:
    with pytest.raises(Exception, match="reply_token"):
        build_message(outbound(reply_token="Not A Token!"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def sink(tmp_path: Path) -> AsyncIterator[tuple[Mailbox, Settings]]:
    mailbox = Mailbox(tmp_path / "mailbox")
    server = await start_smtp_sink(mailbox, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    settings = Settings(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TIMEOUT_SECONDS=5, DATA_DIR=tmp_path,
                        _env_file=None)  # type: ignore[call-arg]
    yield mailbox, settings
    server.close()
    await server.wait_closed()


async def test_mail_goes_through_real_smtp_into_the_sink(sink: tuple[Mailbox, Settings]) -> None:
    mailbox, settings = sink
    result = await deliver_email(outbound(), settings=settings)
    assert result.ok and result.provider_message_id == message_id_for("message:42", "influency.local")
    [entry] = mailbox.entries()
    assert entry.rcpt_tos == ["cleo@example.com"] and entry.subject == "Acme x Cleo: spring launch"
    stored = mailbox.get(entry.id)
    assert stored is not None and stored.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert stored.text and "We love your videos." in stored.text and stored.html


async def test_international_addresses(sink: tuple[Mailbox, Settings]) -> None:
    """An internationalised domain goes out as punycode (any server takes it); a non-ASCII local part would need
    SMTPUTF8 end to end, so the send fails permanently with a reason instead of raising in the worker."""
    mailbox, settings = sink
    result = await deliver_email(outbound("Zoe@Exämple.com", to_name="Zoë"), settings=settings)
    assert result.ok
    [entry] = mailbox.entries()
    assert entry.rcpt_tos == ["zoe@xn--exmple-cua.com"]
    stored = mailbox.get(entry.id)
    assert stored is not None and stored.header("To") == "Zoë <zoe@xn--exmple-cua.com>"
    link = str(stored.header("List-Unsubscribe")).strip().strip("<>")
    assert read_unsubscribe_token(link.rsplit("/", 1)[1]).address == "zoe@exämple.com"  # as the list stores it
    refused = await deliver_email(outbound("zoë@example.com"), settings=settings)
    assert (refused.ok, refused.retryable, refused.reason) == (False, False, "invalid_address")
    assert refused.detail and "SMTPUTF8" in refused.detail and len(mailbox.entries()) == 1


async def test_smtp_rejections_are_classified(sink: tuple[Mailbox, Settings]) -> None:
    _, settings = sink
    bounce = await deliver_email(outbound("bounce-me@example.com"), settings=settings)
    assert (bounce.ok, bounce.retryable, bounce.reason, bounce.error_code, bounce.bounce) == (
        False, False, "recipient_rejected", 550, True)
    temporary = await deliver_email(outbound("tempfail@example.com"), settings=settings)
    assert (temporary.retryable, temporary.error_code, temporary.bounce) == (True, 451, False)


async def test_unreachable_server_is_retryable(tmp_path: Path) -> None:
    settings = Settings(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port(), SMTP_TIMEOUT_SECONDS=2, DATA_DIR=tmp_path,
                        _env_file=None)  # type: ignore[call-arg]
    result = await deliver_email(outbound(), settings=settings)
    assert (result.ok, result.retryable, result.reason) == (False, True, "connection_error")


async def test_dev_mailbox_endpoints_and_cli(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    mailbox = Mailbox.default()
    mailbox.clear()
    server = await start_smtp_sink(mailbox, "127.0.0.1", 0)
    settings = Settings(SMTP_PORT=server.sockets[0].getsockname()[1], _env_file=None)  # type: ignore[call-arg]
    try:
        for index in range(2):
            assert (await deliver_email(outbound(f"c{index}@example.com", idempotency_key=f"m:{index}"),
                                        settings=settings)).ok
    finally:
        server.close()
        await server.wait_closed()
    assert (await client.get("/dev/mailbox")).status_code == 401  # a manager's token, also in development
    listing = await client.get("/dev/mailbox", headers=headers)
    assert listing.status_code == 200
    items = listing.json()["items"]
    assert [item["rcpt_tos"] for item in items] == [["c1@example.com"], ["c0@example.com"]]  # newest first
    assert len((await client.get("/dev/mailbox", params={"to": "c0@"}, headers=headers)).json()["items"]) == 1
    assert (await client.get(f"/dev/mailbox/{items[0]['id']}")).status_code == 401
    detail = await client.get(f"/dev/mailbox/{items[0]['id']}", headers=headers)
    assert detail.status_code == 200 and "We love your videos." in detail.json()["text"]
    assert (await client.get("/dev/mailbox/../../secret_key", headers=headers)).status_code == 404
    assert (await client.get("/dev/mailbox/0000000000000-00000000", headers=headers)).status_code == 404

    from cli import commands  # noqa: F401
    from cli.main import app as cli_app

    runner = CliRunner()
    listed = await asyncio.to_thread(runner.invoke, cli_app, ["mailbox", "--limit", "5"])
    assert listed.exit_code == 0 and "c1@example.com" in listed.output
    shown = await asyncio.to_thread(runner.invoke, cli_app, ["mailbox", "show", items[0]["id"]])
    assert shown.exit_code == 0 and "We love your videos." in shown.output


async def test_dev_endpoints_do_not_exist_in_production(client: httpx.AsyncClient,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "ENVIRONMENT", "production")
    assert (await client.get("/dev/mailbox")).status_code == 404


async def test_smtp_connections_are_pooled_and_a_dropped_one_is_replaced() -> None:
    """Twenty emails go over a handful of SMTP sessions (not twenty handshakes); when the server drops an idle
    session, the next email opens a new one and is delivered once."""
    from email.message import EmailMessage

    from aiosmtpd.smtp import SMTP

    from tools.integrations.email import SmtpEmailSender

    sessions: list[SMTP] = []
    accepted: list[str] = []

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            accepted.append(envelope.mail_from)  # type: ignore[attr-defined]
            return "250 OK"

    def new_session() -> SMTP:
        sessions.append(SMTP(Handler(), hostname="pool-test"))
        return sessions[-1]

    server = await asyncio.get_running_loop().create_server(new_session, "127.0.0.1", 0)
    settings = Settings(SMTP_HOST="127.0.0.1", SMTP_PORT=server.sockets[0].getsockname()[1],  # type: ignore[call-arg]
                        SMTP_POOL_SIZE=3, SMTP_TIMEOUT_SECONDS=5, _env_file=None)

    def message(index: int) -> EmailMessage:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = f"s{index}@example.com", "c@example.com", "Hi"
        email["Message-ID"] = f"<pool-{index}@example.com>"
        email.set_content("Hello")
        return email

    try:
        sender = SmtpEmailSender(settings)
        results = await asyncio.gather(*(sender.send(message(index)) for index in range(20)))
        assert all(result.ok for result in results)
        assert len(accepted) == 20 and 1 <= len(sessions) <= 3
        for session in sessions:  # the server drops every idle session
            if session.transport is not None:
                session.transport.close()
        await asyncio.sleep(0.05)
        assert (await sender.send(message(20))).ok
        assert len(accepted) == 21
    finally:
        server.close()
        await server.wait_closed()
