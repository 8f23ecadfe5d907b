"""A local SMTP server (aiosmtpd) that accepts every mail into the local mailbox, so the system sends real
SMTP with no mail provider. Started by `influency up` on embedded defaults (`influency services start smtp-sink`)
on SMTP_HOST:SMTP_PORT, where the sender already points.

To exercise failure handling, recipients whose local part starts with `bounce` get `550 5.1.1` (permanent) and
those starting with `tempfail` get `451 4.3.0` (retryable) at RCPT time.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from tools.integrations.mailbox import Mailbox

log = logging.getLogger(__name__)


class MailboxHandler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        local_part = address.partition("@")[0].lower()
        if local_part.startswith("bounce"):
            return "550 5.1.1 Mailbox does not exist (sink: simulated bounce)"
        if local_part.startswith("tempfail"):
            return "451 4.3.0 Mailbox temporarily unavailable (sink: simulated)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        entry = await asyncio.to_thread(self.mailbox.store, raw, str(envelope.mail_from or ""),
                                        list(envelope.rcpt_tos))
        log.info("smtp sink stored %s for %s: %s", entry.id, ", ".join(entry.rcpt_tos), entry.subject)
        return f"250 2.0.0 Stored as {entry.id}"


async def start_smtp_sink(mailbox: Mailbox, host: str = "127.0.0.1", port: int = 0) -> asyncio.Server:
    """Listen in the running event loop (port 0: any free port; read it from `server.sockets`)."""
    handler = MailboxHandler(mailbox)
    loop = asyncio.get_running_loop()

    def _protocol() -> Any:
        return SMTP(handler, hostname="influency-sink", data_size_limit=25 * 1024 * 1024)

    return await loop.create_server(_protocol, host, port)


async def serve_smtp_sink(mailbox: Mailbox, host: str, port: int) -> None:
    server = await start_smtp_sink(mailbox, host, port)
    log.info("smtp sink listening on %s:%s, storing into %s", host, port, mailbox.directory)
    async with server:
        await server.serve_forever()
