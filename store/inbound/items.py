"""One inbound item as parsed from a webhook, ready to be stored as an `inbound_events` row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from store.models.inbound_event import Channel, InboundKind


@dataclass(frozen=True)
class InboundItem:
    channel: Channel
    kind: InboundKind
    external_id: str  # dedupe key (unique per channel)
    provider_message_id: str
    sender: str | None
    occurred_at: datetime | None
    payload: dict[str, Any]
