"""Unsubscribe tokens: which address (and creator) a List-Unsubscribe link stops, signed so links can't be forged.

Stateless: `base64url(json).base64url(hmac-sha256)[:22]` with a key derived from SECRET_KEY. They do not expire
(an unsubscribe link must keep working as long as the mail sits in an inbox).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

from core.errors import NotFound
from core.settings import get_settings


@dataclass(frozen=True)
class UnsubscribeClaim:
    channel: str
    address: str
    creator_id: uuid.UUID | None = None


def _key() -> bytes:
    return hashlib.sha256(b"influency-unsubscribe:" + get_settings().secret_key().encode()).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_unsubscribe_token(channel: str, address: str, creator_id: uuid.UUID | None = None) -> str:
    body = {"c": channel, "a": address, **({"k": str(creator_id)} if creator_id else {})}
    payload = _b64(json.dumps(body, separators=(",", ":")).encode())
    signature = _b64(hmac.new(_key(), payload.encode(), hashlib.sha256).digest())[:22]
    return f"{payload}.{signature}"


def read_unsubscribe_token(token: str) -> UnsubscribeClaim:
    """The claim in a token; 404 for anything forged, truncated or malformed (a link that does not exist)."""
    payload, _, signature = token.partition(".")
    expected = _b64(hmac.new(_key(), payload.encode(), hashlib.sha256).digest())[:22]
    if not signature or not hmac.compare_digest(signature, expected):
        raise NotFound("This unsubscribe link is not valid", code="invalid_unsubscribe_link")
    try:
        body = json.loads(_unb64(payload))
        return UnsubscribeClaim(channel=body["c"], address=body["a"],
                                creator_id=uuid.UUID(body["k"]) if body.get("k") else None)
    except (ValueError, KeyError, TypeError) as exc:
        raise NotFound("This unsubscribe link is not valid", code="invalid_unsubscribe_link") from exc
