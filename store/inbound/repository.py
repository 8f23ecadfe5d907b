"""All SQL for inbound events. The insert is ON CONFLICT DO NOTHING on (channel, external_id): concurrent
deliveries of the same provider item race on the unique index, never on a check-then-insert."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Channel, InboundEvent, InboundKind


# Every reply writes, locks and closes its event: statements built once per process (on the table where no mapped
# object needs the result), values as `bindparam`s.
@cache
def _insert() -> Any:
    table = cast(Table, InboundEvent.__table__)
    columns = ("id", "channel", "kind", "external_id", "provider_message_id", "sender", "occurred_at", "payload")
    return (insert(table).values({name: bindparam(name, type_=table.c[name].type) for name in columns})
            .on_conflict_do_nothing(constraint="uq_inbound_events_channel_external_id").returning(table.c.id))


@cache
def _get_for_update() -> Any:
    return select(InboundEvent).where(InboundEvent.id == bindparam("event_id")).with_for_update()


@cache
def _mark_processed() -> Any:
    table = cast(Table, InboundEvent.__table__)
    return (table.update().where(table.c.id == bindparam("event_id"))
            .values(processed_at=bindparam("now", type_=table.c.processed_at.type), outcome=bindparam("outcome")))


class InboundEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert(self, *, channel: Channel, kind: InboundKind, external_id: str, provider_message_id: str,
                     sender: str | None, occurred_at: datetime | None, payload: dict[str, Any]) -> uuid.UUID | None:
        """The new event's id, or None when this item was stored before."""
        parameters = {"id": uuid.uuid4(), "channel": channel, "kind": kind, "external_id": external_id,
                      "provider_message_id": provider_message_id, "sender": sender, "occurred_at": occurred_at,
                      "payload": payload}
        return (await self.session.execute(_insert(), parameters)).scalar_one_or_none()

    async def get_for_update(self, event_id: uuid.UUID) -> InboundEvent | None:
        """Locks the row: two deliveries of the same job process it one after the other."""
        return (await self.session.execute(_get_for_update(), {"event_id": event_id})).scalar_one_or_none()

    async def mark_processed(self, event_id: uuid.UUID, outcome: str) -> None:
        """On the table: the caller is done with the event it locked (its loaded object keeps the old values)."""
        await self.session.execute(_mark_processed(), {"event_id": event_id, "now": datetime.now(UTC),
                                                       "outcome": outcome[:2000]})

    async def last_message_at(self, channel: Channel, sender: str) -> datetime | None:
        """When `sender` last wrote to us on `channel` (opens WhatsApp's 24-hour window)."""
        statement = select(func.max(InboundEvent.occurred_at)).where(
            InboundEvent.channel == channel, InboundEvent.kind == InboundKind.message, InboundEvent.sender == sender)
        return (await self.session.execute(statement)).scalar_one_or_none()
