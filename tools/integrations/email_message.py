"""Building an outreach email (pure): headers that make replies, threading and unsubscribing work.

- `Message-ID` is derived from the send's idempotency key, so a retried send carries the same id (receivers
  and our own inbound matching see one message, not two).
- `Reply-To: reply+<reply_token>@<EMAIL_REPLY_DOMAIN>`: the creator's answer comes back with the conversation's
  token in its To address (`tools.inbound.email.extract_reply_token`), whatever the mail client does to threading.
- `List-Unsubscribe` (HTTPS, signed token) + `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058),
  and the same link in a footer of both parts.
- `text/plain` and `text/html` alternatives (UTF-8, quoted-printable); the HTML is rendered from the text when
  none is given.
- An internationalised domain goes out in its ASCII (punycode) form, which every server accepts; a non-ASCII
  local part (`jöe@…`) needs SMTPUTF8 end to end, which we do not send: `UnsendableAddress`, a permanent failure.

Built with the standard library's compat32 message classes (`email.mime`), headers given in their wire form
(`formataddr` encodes non-ASCII display names, `email.header.Header` folds a non-ASCII subject into RFC 2047
encoded words): the `EmailMessage` API parses each header as it is set and re-folds it when flattened, and
building plus flattening a message took 6.6 ms of CPU against 1.7 ms this way; what a receiver parses is the same.
"""

from __future__ import annotations

import hashlib
import html
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr

import idna

from core.errors import InvalidInput
from core.settings import Settings, get_settings
from store.contacts.normalize import normalize_email
from store.contacts.tokens import make_unsubscribe_token

REPLY_TOKEN = re.compile(r"^[a-z0-9]{8,64}$")
REPLY_LOCAL_PART = "reply"
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP  # readable in any client's source view, and safe for lines of any length


class UnsendableAddress(InvalidInput):
    """A recipient address no plain SMTP transaction can carry (a non-ASCII local part, an invalid domain)."""


@dataclass(frozen=True)
class OutboundEmail:
    """Everything a send needs, as plain data (the send actor builds it from a message row)."""

    to_address: str
    subject: str
    text_body: str
    idempotency_key: str  # e.g. "message:<message id>"; fixes the Message-ID
    reply_token: str  # the conversation's `reply_token` (lower-case letters/digits: mail may lower-case it)
    html_body: str | None = None
    to_name: str | None = None
    creator_id: uuid.UUID | None = None  # recorded with an unsubscribe
    in_reply_to: str | None = None  # Message-ID of the mail this one follows up (threading)
    references: list[str] = field(default_factory=list)
    unsubscribe_footer: bool = True


def message_id_for(idempotency_key: str, domain: str) -> str:
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{domain}>"


def reply_address(reply_token: str, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if not REPLY_TOKEN.match(reply_token):
        raise InvalidInput("reply_token must be 8-64 lower-case letters or digits", code="invalid_reply_token")
    return f"{REPLY_LOCAL_PART}+{reply_token}@{settings.email_reply_domain}"


def unsubscribe_url(address: str, creator_id: uuid.UUID | None = None, settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    return f"{settings.public_base_url}/unsubscribe/{make_unsubscribe_token('email', address, creator_id)}"


def text_to_html(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return f'<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">{body}</body></html>'


def _with_footer(email: OutboundEmail, link: str) -> tuple[str, str]:
    text = email.text_body
    rendered = email.html_body or text_to_html(text)
    if not email.unsubscribe_footer:
        return text, rendered
    text = f"{text.rstrip()}\n\n--\nDon't want these emails? Unsubscribe: {link}\n"
    footer = (f'<p style="color:#777;font-size:12px">Don\'t want these emails? '
              f'<a href="{html.escape(link, quote=True)}">Unsubscribe</a></p>')
    rendered = rendered.replace("</body>", f"{footer}</body>", 1) if "</body>" in rendered else rendered + footer
    return text, rendered


def wire_address(address: str) -> str:
    """A normalised address as SMTP carries it: an internationalised domain in its punycode form."""
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise UnsendableAddress(f"{address!r}: a non-ASCII local part needs SMTPUTF8, which is not supported",
                                code="unsendable_address")
    if not domain.isascii():
        try:
            domain = idna.encode(domain, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise UnsendableAddress(f"{address!r}: invalid domain ({exc})", code="unsendable_address") from exc
    return f"{local}@{domain}"


def _unstructured(value: str, name: str) -> str | Header:
    """Non-ASCII text as a `Header`: flattened as RFC 2047 encoded words of at most 75 characters each."""
    return value if value.isascii() else Header(value, "utf-8", header_name=name)


def build_message(email: OutboundEmail, settings: Settings | None = None, now: datetime | None = None) -> Message:
    settings = settings or get_settings()
    stored_address = normalize_email(email.to_address)
    to_address = wire_address(stored_address)
    sender_domain = settings.EMAIL_FROM_ADDRESS.rpartition("@")[2]
    # the token names the address as stored (an IDN domain unencoded): the do-not-contact list matches it so
    link = unsubscribe_url(stored_address, email.creator_id, settings)
    text, rendered = _with_footer(email, link)

    message = MIMEMultipart("alternative")
    message["From"] = formataddr((settings.EMAIL_FROM_NAME, settings.EMAIL_FROM_ADDRESS), charset="utf-8")
    message["To"] = formataddr((email.to_name or "", to_address), charset="utf-8")
    message["Reply-To"] = formataddr((settings.EMAIL_FROM_NAME, reply_address(email.reply_token, settings)),
                                     charset="utf-8")
    message["Subject"] = _unstructured(email.subject, "Subject")  # type: ignore[assignment]
    message["Date"] = format_datetime(now or datetime.now(UTC))
    message["Message-ID"] = message_id_for(email.idempotency_key, sender_domain)
    if email.in_reply_to:
        message["In-Reply-To"] = email.in_reply_to
    references = list(dict.fromkeys([*email.references, *([email.in_reply_to] if email.in_reply_to else [])]))
    if references:
        message["References"] = " ".join(references)
    message["List-Unsubscribe"] = f"<{link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.attach(MIMEText(text, "plain", _UTF8_QP))  # type: ignore[arg-type]  # accepts a Charset
    message.attach(MIMEText(rendered, "html", _UTF8_QP))  # type: ignore[arg-type]
    return message
