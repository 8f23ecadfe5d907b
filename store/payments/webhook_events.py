"""All SQL for received payment-provider webhook events: dedupe by (provider, event id)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import PaymentWebhookEvent


class PaymentWebhookEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, provider: str, event_id: str, event_type: str, payload: dict[str, Any]) -> bool:
        """True the first time an event is seen; False for a redelivery (nothing is written)."""
        statement = (
            insert(PaymentWebhookEvent)
            .values(id=uuid.uuid4(), provider=provider, event_id=event_id, event_type=event_type, payload=payload)
            .on_conflict_do_nothing(constraint="uq_payment_webhook_events_provider_event_id")
            .returning(PaymentWebhookEvent.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none() is not None

    async def mark_processed(self, provider: str, event_id: str) -> None:
        await self.session.execute(
            update(PaymentWebhookEvent)
            .where(PaymentWebhookEvent.provider == provider, PaymentWebhookEvent.event_id == event_id)
            .values(processed_at=func.now()))
