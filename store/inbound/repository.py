"""All SQL for inbound events. The insert is ON CONFLICT DO NOTHING on (channel, external_id): concurrent
deliveries of the same provider item race on the unique index, never on a check-then-insert."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Channel, InboundEvent, InboundKind


class InboundEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert(self, *, channel: Channel, kind: InboundKind, external_id: str, provider_message_id: str,
                     sender: str | None, occurred_at: datetime | None, payload: dict[str, Any]) -> uuid.UUID | None:
        """The new event's id, or None when this item was stored before."""
        statement = (
            insert(InboundEvent)
            .values(id=uuid.uuid4(), channel=channel, kind=kind, external_id=external_id,
                    provider_message_id=provider_message_id, sender=sender, occurred_at=occurred_at,
                    payload=payload)
            .on_conflict_do_nothing(constraint="uq_inbound_events_channel_external_id")
            .returning(InboundEvent.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get_for_update(self, event_id: uuid.UUID) -> InboundEvent | None:
        """Locks the row: two deliveries of the same job process it one after the other."""
        statement = select(InboundEvent).where(InboundEvent.id == event_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def mark_processed(self, event_id: uuid.UUID, outcome: str) -> None:
        await self.session.execute(update(InboundEvent).where(InboundEvent.id == event_id)
                                   .values(processed_at=datetime.now(UTC), outcome=outcome[:2000]))

    async def last_message_at(self, channel: Channel, sender: str) -> datetime | None:
        """When `sender` last wrote to us on `channel` (opens WhatsApp's 24-hour window)."""
        statement = select(func.max(InboundEvent.occurred_at)).where(
            InboundEvent.channel == channel, InboundEvent.kind == InboundKind.message, InboundEvent.sender == sender)
        return (await self.session.execute(statement)).scalar_one_or_none()
