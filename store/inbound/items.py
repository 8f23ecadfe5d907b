"""One inbound item as a provider parser (`tools/inbound/`) hands it to `store.inbound.service.InboundService`.

Parsers turn each provider's format into the same two shapes, stored in the event's payload next to the raw
provider item, so the service applies one set of rules whatever the channel:
- `InboundReply`: what a creator wrote (their own words, quotes and signatures removed) and the ids that tie it
  to one of our threads (email reply token; Message-IDs or wamids it answers);
- `DeliveryReport`: what a provider says happened to one of our messages (WhatsApp status webhooks).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from store.models.inbound_event import Channel, InboundKind

REPLY_KEY = "reply"
DELIVERY_KEY = "delivery"


@dataclass(frozen=True)
class InboundReply:
    text: str  # the creator's own words (untrusted)
    subject: str | None = None
    reply_token: str | None = None  # email: from a `reply+<token>@` recipient
    reply_to_ids: list[str] = field(default_factory=list)  # our provider ids it answers (Message-IDs, wamids)
    auto_reply: bool = False  # an email auto-reply (out of office): may move the follow-up, never answered

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> InboundReply:
        return cls(**(payload.get(REPLY_KEY) or {"text": ""}))


@dataclass(frozen=True)
class DeliveryReport:
    status: str  # the provider's word: sent | delivered | read | failed | ...
    error_code: int | None = None
    reason: str | None = None  # classified failure reason (+ the provider's detail)
    opted_out: bool = False  # the recipient stopped our messages: block the address
    recipient: str | None = None

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> DeliveryReport:
        return cls(**(payload.get(DELIVERY_KEY) or {"status": ""}))


@dataclass(frozen=True)
class InboundItem:
    channel: Channel
    kind: InboundKind
    external_id: str  # dedupe key (unique per channel)
    provider_message_id: str
    sender: str | None
    occurred_at: datetime | None
    payload: dict[str, Any]  # the provider's item, as received
    reply: InboundReply | None = None  # kind == message
    delivery: DeliveryReport | None = None  # kind == status

    def stored_payload(self) -> dict[str, Any]:
        normalized: dict[str, Any] = {}
        if self.reply is not None:
            normalized[REPLY_KEY] = asdict(self.reply)
        if self.delivery is not None:
            normalized[DELIVERY_KEY] = asdict(self.delivery)
        return self.payload | normalized
