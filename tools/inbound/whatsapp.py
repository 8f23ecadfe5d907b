"""WhatsApp webhooks: the `X-Hub-Signature-256` signature and the payload → `InboundItem`s.

Signature: `sha256=` + hex HMAC-SHA256 of the raw request body with the app secret, compared in constant time,
checked before the body is parsed. Payload (Cloud API): `entry[].changes[].value` carries `messages` (a
creator wrote; `from` is the wa_id) and/or `statuses` (our message was sent/delivered/read/failed). Each item
carries its normalized form (`InboundReply`: the text, the wamid it answers; `DeliveryReport`: the status and
its classified error) for `store.inbound.service`.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

from core.errors import InvalidInput
from store.contacts.normalize import normalize_phone
from store.inbound.items import DeliveryReport, InboundItem, InboundReply
from store.models.inbound_event import Channel, InboundKind
from tools.integrations.whatsapp_errors import classify_whatsapp_error, error_from_body

SIGNATURE_HEADER = "X-Hub-Signature-256"


def sign_body(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    if not header or not header.startswith("sha256="):
        return False
    return hmac.compare_digest(sign_body(body, app_secret), header.strip())


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _message_item(message: dict[str, Any], value: dict[str, Any]) -> InboundItem:
    sender = normalize_phone(str(message["from"]))
    replied_to = (message.get("context") or {}).get("id")
    contact = next((c for c in value.get("contacts", []) if normalize_phone(str(c.get("wa_id", "0" * 8))) == sender),
                   None)
    return InboundItem(
        channel=Channel.whatsapp, kind=InboundKind.message, external_id=str(message["id"]),
        provider_message_id=str(message["id"]), sender=sender, occurred_at=_timestamp(message.get("timestamp")),
        payload={"message": message, "contact": contact, "metadata": value.get("metadata", {})},
        reply=InboundReply(text=message_text(message) or "", reply_to_ids=[str(replied_to)] if replied_to else []),
    )


def _status_item(status: dict[str, Any], value: dict[str, Any]) -> InboundItem:
    wamid, word = str(status["id"]), str(status["status"])
    return InboundItem(
        channel=Channel.whatsapp, kind=InboundKind.status, external_id=f"{wamid}:{word}",
        provider_message_id=wamid, sender=None, occurred_at=_timestamp(status.get("timestamp")),
        payload={"status": status, "metadata": value.get("metadata", {})}, delivery=_delivery(status),
    )


def _delivery(status: dict[str, Any]) -> DeliveryReport:
    """The status word and, for a failure, its classified reason (131050: the user stopped our messages)."""
    errors = status.get("errors") or []
    if not errors:
        return DeliveryReport(status=str(status["status"]))
    error_code, detail = error_from_body(errors[0])
    classified = classify_whatsapp_error(error_code, None, detail)
    reason = f"{classified.reason}: {detail}" if detail else classified.reason
    recipient = status.get("recipient_id")
    return DeliveryReport(status=str(status["status"]), error_code=error_code, reason=reason,
                          opted_out=classified.opted_out, recipient=str(recipient) if recipient else None)


def parse_webhook(body: Any) -> list[InboundItem]:
    """Every message and status in a webhook body; 422 when the body is not a Cloud API notification."""
    if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
        raise InvalidInput("not a WhatsApp webhook notification: expected {'object', 'entry': [...]}",
                           code="invalid_webhook")
    items: list[InboundItem] = []
    try:
        for entry in body["entry"]:
            for change in entry.get("changes", []):
                value = change.get("value") or {}
                items.extend(_message_item(message, value) for message in value.get("messages", []))
                items.extend(_status_item(status, value) for status in value.get("statuses", []))
    except (KeyError, TypeError, AttributeError) as exc:
        raise InvalidInput(f"malformed WhatsApp webhook item: {exc!r}", code="invalid_webhook") from exc
    return items


def message_text(message: dict[str, Any]) -> str | None:
    """The human text of an inbound message (text body, button/interactive reply title, media caption)."""
    kind = message.get("type")
    if kind == "text":
        return (message.get("text") or {}).get("body")
    if kind == "button":
        return (message.get("button") or {}).get("text")
    if kind == "interactive":
        reply = message.get("interactive") or {}
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        return chosen.get("title")
    media = message.get(kind) if isinstance(kind, str) else None
    return media.get("caption") if isinstance(media, dict) else None
