"""All SQL for manager notifications. Inserted once per idempotency key."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Notification, NotificationEmailStatus


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, Any]) -> uuid.UUID | None:
        """The new notification's id, or None when one with this idempotency key exists."""
        statement = (insert(Notification)
                     .values(id=uuid.uuid4(), email_status=NotificationEmailStatus.pending, **values)
                     .on_conflict_do_nothing(index_elements=[Notification.idempotency_key])
                     .returning(Notification.id))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get(self, notification_id: uuid.UUID, *, for_update: bool = False) -> Notification | None:
        statement = select(Notification).where(Notification.id == notification_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def page(self, organization_id: uuid.UUID, limit: int, offset: int) -> tuple[list[Notification], int]:
        condition = Notification.organization_id == organization_id
        rows = await self.session.execute(select(Notification).where(condition)
                                          .order_by(Notification.created_at.desc(), Notification.id)
                                          .limit(limit).offset(offset))
        total = await self.session.execute(select(func.count()).select_from(Notification).where(condition))
        return list(rows.scalars()), int(total.scalar_one())
