"""Click ids: time-ordered UUIDs (version 7 layout: 48-bit Unix milliseconds first), so a click's time is readable
from its id, and click tokens `<link code>.<click id hex>` handed to the shop in the redirect (`ic_click`).

An order that carries a token can be attributed from the token alone (the link names campaign and creator, the id
the click time), even before the asynchronous click flush has written the click row.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime


def new_click_id(at: datetime | None = None) -> uuid.UUID:
    millis = int((at or datetime.now(UTC)).timestamp() * 1000)
    random_bits = secrets.randbits(74)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (random_bits >> 62) << 64 | 0b10 << 62
    return uuid.UUID(int=value | (random_bits & ((1 << 62) - 1)))


def click_time(click_id: uuid.UUID) -> datetime:
    return datetime.fromtimestamp((click_id.int >> 80) / 1000, UTC)


def click_token(code: str, click_id: uuid.UUID) -> str:
    return f"{code}.{click_id.hex}"


def parse_click_token(token: str) -> tuple[str, uuid.UUID] | None:
    """(link code, click id), or None for anything that is not a well-formed token (input is untrusted)."""
    code, _, hex_id = token.strip().rpartition(".")
    if not code or len(code) > 32 or len(hex_id) != 32:
        return None
    try:
        click_id = uuid.UUID(hex=hex_id)
    except ValueError:
        return None
    if click_id.version != 7:
        return None
    try:
        click_time(click_id)  # a forged id can carry a timestamp past the calendar's end
    except (ValueError, OverflowError, OSError):
        return None
    return code, click_id
