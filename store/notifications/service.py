"""Notifications for managers: the row (what happened, with structured facts) and, in the same transaction, the
`notifications.email` job that mails it to the manager's address. Flushes only; the unit of work commits.

The email job is idempotent on the row: `claim_email` locks it and only a `pending` row is sent; the outcome
(`sent`, `failed` + reason, `skipped` when the manager has no address) is recorded on it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.jobs import NOTIFICATIONS_EMAIL, EmailNotification
from store.models import Notification, NotificationEmailStatus, User
from store.notifications.repository import NotificationRepository
from store.outbox.repository import OutboxRepository


@dataclass(frozen=True)
class NewNotification:
    organization_id: uuid.UUID
    user_id: uuid.UUID | None
    kind: str
    subject: str
    body: str
    idempotency_key: str
    campaign_id: uuid.UUID | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NotificationEmail:
    notification_id: uuid.UUID
    to_address: str
    subject: str
    body: str


class NotificationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.notifications = NotificationRepository(session)

    async def notify(self, new: NewNotification) -> bool:
        """Record it and queue its email once per idempotency key; False when it was recorded before."""
        notification_id = await self.notifications.insert_once({
            "organization_id": new.organization_id, "user_id": new.user_id, "campaign_id": new.campaign_id,
            "kind": new.kind, "subject": new.subject[:300], "body": new.body, "data": new.data,
            "idempotency_key": new.idempotency_key})
        if notification_id is None:
            return False
        await OutboxRepository(self.session).enqueue(
            NOTIFICATIONS_EMAIL, EmailNotification(notification_id=notification_id), f"notify:{notification_id}")
        return True

    async def claim_email(self, notification_id: uuid.UUID) -> NotificationEmail | None:
        """The email to send (row locked until the caller's transaction ends), or None: nothing to send."""
        notification = await self.notifications.get(notification_id, for_update=True)
        if notification is None or notification.email_status != NotificationEmailStatus.pending:
            return None
        user = await self.session.get(User, notification.user_id) if notification.user_id else None
        if user is None or not user.email:
            notification.email_status = NotificationEmailStatus.skipped
            await self.session.flush()
            return None
        return NotificationEmail(notification.id, user.email, notification.subject, notification.body)

    async def record_email(self, notification_id: uuid.UUID, *, sent: bool, failure: str | None = None) -> None:
        notification = await self.notifications.get(notification_id, for_update=True)
        if notification is None:
            return
        notification.email_status = NotificationEmailStatus.sent if sent else NotificationEmailStatus.failed
        notification.email_sent_at = datetime.now(UTC) if sent else None
        notification.email_failure = failure
        await self.session.flush()

    async def page(self, organization_id: uuid.UUID, limit: int, offset: int) -> tuple[list[Notification], int]:
        return await self.notifications.page(organization_id, limit, offset)
