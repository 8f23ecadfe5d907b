"""Recording inbound items: each new item becomes an `inbound_events` row plus, in the same transaction, an
outbox row for `inbound.process` (key `inbound:<event id>`). Redelivered items are counted, not stored again.

Replay protection beyond dedupe: items whose provider timestamp is older than `max_age`, or further in the
future than `MAX_CLOCK_SKEW`, are ignored (a captured, validly signed body replayed later stores nothing new).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from store.inbound.items import InboundItem
from store.inbound.repository import InboundEventRepository
from store.jobs import INBOUND_PROCESS, InboundProcess
from store.outbox.repository import OutboxRepository

MAX_CLOCK_SKEW = timedelta(minutes=10)


@dataclass
class RecordSummary:
    stored: int = 0
    duplicates: int = 0
    stale: int = 0


class InboundService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.events = InboundEventRepository(session)
        self.outbox = OutboxRepository(session)

    async def record(self, items: list[InboundItem], *, max_age: timedelta | None = None,
                     now: datetime | None = None) -> RecordSummary:
        now = now or datetime.now(UTC)
        summary = RecordSummary()
        for item in items:
            if max_age is not None and item.occurred_at is not None and not (
                    now - max_age <= item.occurred_at <= now + MAX_CLOCK_SKEW):
                summary.stale += 1
                continue
            event_id = await self.events.insert(
                channel=item.channel, kind=item.kind, external_id=item.external_id,
                provider_message_id=item.provider_message_id, sender=item.sender, occurred_at=item.occurred_at,
                payload=item.payload)
            if event_id is None:
                summary.duplicates += 1
                continue
            await self.outbox.enqueue(INBOUND_PROCESS, InboundProcess(event_id=event_id), f"inbound:{event_id}")
            summary.stored += 1
        return summary
