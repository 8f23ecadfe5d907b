"""All SQL for WhatsApp sends."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import WhatsAppSend


class WhatsAppSendRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert(self, values: dict[str, object]) -> WhatsAppSend | None:
        """The new row, or None when a send with this idempotency key exists."""
        statement = (insert(WhatsAppSend).values(id=uuid.uuid4(), attempts=0, **values)
                     .on_conflict_do_nothing(index_elements=[WhatsAppSend.idempotency_key])
                     .returning(WhatsAppSend))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_key(self, idempotency_key: str) -> WhatsAppSend | None:
        statement = select(WhatsAppSend).where(WhatsAppSend.idempotency_key == idempotency_key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get_for_update(self, send_id: uuid.UUID) -> WhatsAppSend | None:
        statement = select(WhatsAppSend).where(WhatsAppSend.id == send_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_provider_id_for_update(self, provider_message_id: str) -> WhatsAppSend | None:
        statement = (select(WhatsAppSend).where(WhatsAppSend.provider_message_id == provider_message_id)
                     .with_for_update())
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def find_in_organization(self, reference: str, organization_id: uuid.UUID | None) -> WhatsAppSend | None:
        """By our id or the provider's wamid, only within the organization (None: admin, any)."""
        try:
            condition = or_(WhatsAppSend.id == uuid.UUID(reference), WhatsAppSend.provider_message_id == reference)
        except ValueError:
            condition = WhatsAppSend.provider_message_id == reference
        statement = select(WhatsAppSend).where(condition)
        if organization_id is not None:
            statement = statement.where(WhatsAppSend.organization_id == organization_id)
        return (await self.session.execute(statement)).scalars().first()
