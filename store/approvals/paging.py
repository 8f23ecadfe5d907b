"""The inbox's paging rules: a keyset cursor over the (created_at, id) sort, and when the total is an estimate.

A cursor is the last row's sort key, opaque to clients (urlsafe base64 of `<created_at ISO>|<uuid>`): the next
page starts strictly after it, so it costs the same at row 100,000 as at row 50 (an offset reads and drops every
row before it) and never repeats or skips a row when approvals are added or decided meanwhile."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from core.errors import InvalidInput


@dataclass(frozen=True)
class InboxCursor:
    created_at: datetime
    id: uuid.UUID

    @staticmethod
    def encode(created_at: datetime, row_id: uuid.UUID | str) -> str:
        """The cursor after the row with this sort key (its id as a UUID or as the text Postgres gave)."""
        raw = f"{created_at.isoformat()}|{row_id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> InboxCursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
            created_at, row_id = raw.split("|")
            return cls(datetime.fromisoformat(created_at), uuid.UUID(row_id))
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise InvalidInput("cursor is not one this API returned") from exc


T = TypeVar("T")


@dataclass(frozen=True)
class InboxPage(Generic[T]):
    items: list[T]
    total: int
    total_is_estimate: bool  # above APPROVALS_EXACT_TOTAL_MAX rows: the planner's estimate, not a count
    next_cursor: str | None  # None on the last page
