"""Inbound email (pure): a provider's POST → `InboundEmail` → `InboundItem`, with the reply matched to its thread.

Accepted shapes (see `api/routers/webhooks.py`):
- provider-neutral JSON: `from`, `to` (string or list), `subject`, `text`, `html`, `message_id`, `in_reply_to`,
  `references`, `headers` (object or raw header block), `date`;
- inbound-parse form fields (SendGrid style): `from`, `to`, `cc`, `subject`, `text`, `html`, `headers` (raw
  block), `envelope` (JSON with `to`/`from`), or `email` (the whole raw MIME message).

Thread matching (done by `store.inbound.service`): the conversation's reply token from a `reply+<token>@`
recipient (To, Cc or envelope), then In-Reply-To/References against our Message-IDs. `reply_text` is the new
text only (`tools.inbound.quotes`), which is what the agent may see.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser, HeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from core.errors import InvalidInput
from store.contacts.normalize import normalize_email
from store.inbound.items import InboundItem, InboundReply
from store.models.inbound_event import Channel, InboundKind
from tools.inbound.quotes import html_to_text, strip_quoted_reply
from tools.integrations.email_message import REPLY_LOCAL_PART

_REPLY_TOKEN = re.compile(rf"^{REPLY_LOCAL_PART}\+([a-z0-9]{{8,64}})@", re.IGNORECASE)
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass(frozen=True)
class InboundEmail:
    from_address: str
    from_name: str | None
    to_addresses: list[str]
    subject: str
    text: str
    html: str | None
    message_id: str | None
    in_reply_to: str | None
    references: list[str] = field(default_factory=list)
    reply_token: str | None = None
    date: datetime | None = None
    auto_submitted: bool = False  # an auto-reply (out of office, vacation): not a creator's answer
    reply_text: str = ""

    def to_item(self) -> InboundItem:
        external_id = self.message_id or "sha256:" + hashlib.sha256(
            f"{self.from_address}\n{self.subject}\n{self.text}\n{self.date}".encode()).hexdigest()
        payload = asdict(self) | {"date": self.date.isoformat() if self.date else None}
        reply = InboundReply(text=self.reply_text, subject=self.subject[:998] or None, reply_token=self.reply_token,
                             reply_to_ids=[value for value in [self.in_reply_to, *self.references] if value],
                             auto_reply=self.auto_submitted)
        return InboundItem(channel=Channel.email, kind=InboundKind.message, external_id=external_id,
                           provider_message_id=external_id, sender=self.from_address, occurred_at=self.date,
                           payload=payload, reply=reply)


def extract_reply_token(addresses: list[str]) -> str | None:
    for address in addresses:
        match = _REPLY_TOKEN.match(address.strip())
        if match:
            return match.group(1).lower()
    return None


def message_ids(value: str | None) -> list[str]:
    """The `<id@host>` items of a Message-ID / In-Reply-To / References header, in order."""
    return _MESSAGE_ID.findall(value or "")


def _addresses(*values: Any) -> list[str]:
    flat: list[str] = []
    for value in values:
        if isinstance(value, list):
            flat.extend(str(item) for item in value)
        elif value:
            flat.append(str(value))
    return [address.lower() for _, address in getaddresses(flat) if "@" in address]


def _headers(value: Any) -> dict[str, str]:
    """Header name (lower-case) → value, from a dict or a raw header block."""
    if isinstance(value, dict):
        return {str(key).lower(): str(item) for key, item in value.items()}
    if isinstance(value, str) and value.strip():
        parsed = HeaderParser(policy=policy.default).parsestr(value)
        return {key.lower(): str(item) for key, item in parsed.items()}
    return {}


def _date(value: str | None) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


def _is_auto_reply(headers: dict[str, str], subject: str) -> bool:
    auto = headers.get("auto-submitted", "no").lower()
    return (auto not in ("", "no") or "x-autoreply" in headers or "x-autorespond" in headers
            or headers.get("precedence", "").lower() in ("auto_reply", "bulk", "junk")
            or bool(re.match(r"^(auto(matic)? ?reply|out of (the )?office|abwesenheit|r[ée]ponse automatique"
                             r"|respuesta autom[áa]tica)", subject.strip(), re.IGNORECASE)))


def _from_mime(raw: bytes) -> dict[str, Any]:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return {
        "from": str(message.get("From", "")), "to": str(message.get("To", "")), "cc": str(message.get("Cc", "")),
        "subject": str(message.get("Subject", "")),
        "text": text_part.get_content() if isinstance(text_part, EmailMessage) else "",
        "html": html_part.get_content() if isinstance(html_part, EmailMessage) else None,
        "headers": {key: str(value) for key, value in message.items()},
    }


def parse_inbound_email(fields: dict[str, Any]) -> InboundEmail:
    """Normalize a JSON body or inbound-parse form fields; 422 when there is no sender address."""
    if fields.get("email"):  # the provider forwarded the raw MIME message
        raw = fields["email"]
        fields = {**_from_mime(raw.encode() if isinstance(raw, str) else raw), **{
            key: value for key, value in fields.items() if key == "envelope"}}
    headers = _headers(fields.get("headers"))
    envelope = fields.get("envelope")
    if isinstance(envelope, str) and envelope.strip():
        try:
            envelope = json.loads(envelope)
        except ValueError:
            envelope = None
    envelope_to = envelope.get("to") if isinstance(envelope, dict) else None

    from_name, from_address = parseaddr(str(fields.get("from") or headers.get("from", "")))
    if "@" not in from_address:
        raise InvalidInput("inbound email has no sender address ('from')", code="invalid_inbound_email")
    to_addresses = _addresses(fields.get("to") or headers.get("to"), fields.get("cc") or headers.get("cc"),
                              envelope_to)
    subject = str(fields.get("subject") or headers.get("subject", ""))
    html = fields.get("html") or None
    text = str(fields.get("text") or "") or (html_to_text(str(html)) if html else "")
    message_id = next(iter(message_ids(str(fields.get("message_id") or headers.get("message-id", "")))), None)
    in_reply_to = next(iter(message_ids(str(fields.get("in_reply_to") or headers.get("in-reply-to", "")))), None)
    references = fields.get("references") or headers.get("references", "")
    reference_ids = [str(r) for r in references] if isinstance(references, list) else message_ids(str(references))
    return InboundEmail(
        from_address=normalize_email(from_address), from_name=from_name or None, to_addresses=to_addresses,
        subject=subject, text=text, html=str(html) if html else None, message_id=message_id,
        in_reply_to=in_reply_to, references=reference_ids, reply_token=extract_reply_token(to_addresses),
        date=_date(str(fields.get("date") or headers.get("date", "")) or None),
        auto_submitted=_is_auto_reply(headers, subject), reply_text=strip_quoted_reply(text),
    )
