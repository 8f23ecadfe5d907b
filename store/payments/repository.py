"""All SQL for payments and invoices."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Invoice, Payment, PaymentStatus


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, Any]) -> None:
        """One row per (contract, milestone key): scheduling twice adds nothing."""
        statement = (insert(Payment).values(id=uuid.uuid4(), status=PaymentStatus.scheduled, attempts=0,
                                            approval_requests=0, **values)
                     .on_conflict_do_nothing(index_elements=[Payment.contract_id, Payment.milestone_key]))
        await self.session.execute(statement)

    async def get(self, payment_id: uuid.UUID, organization_id: uuid.UUID | None = None, *,
                  for_update: bool = False) -> Payment | None:
        statement = select(Payment).where(Payment.id == payment_id)
        if organization_id is not None:
            statement = statement.where(Payment.organization_id == organization_id)
        if for_update:
            # reload: a concurrent transaction may have changed the row while we waited for its lock
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def for_contract(self, contract_id: uuid.UUID, *, for_update: bool = False) -> list[Payment]:
        statement = select(Payment).where(Payment.contract_id == contract_id).order_by(Payment.created_at,
                                                                                       Payment.milestone_key)
        if for_update:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return list((await self.session.execute(statement)).scalars())

    async def totals_for_campaign(self, campaign_id: uuid.UUID) -> list[tuple[str, str, Decimal]]:
        """(status, currency, sum of amounts) per status and currency."""
        statement = (select(Payment.status, Payment.currency, func.sum(Payment.amount))
                     .where(Payment.campaign_id == campaign_id).group_by(Payment.status, Payment.currency))
        return [(str(status), currency, total) for status, currency, total in (await self.session.execute(statement))]

    async def page(self, organization_id: uuid.UUID | None, *, campaign_id: uuid.UUID | None,
                   creator_id: uuid.UUID | None, contract_id: uuid.UUID | None, status: PaymentStatus | None,
                   limit: int, offset: int) -> tuple[list[tuple[Payment, Invoice | None]], int]:
        statement: Select[Any] = select(Payment).where(Payment.organization_id == organization_id)
        for column, value in ((Payment.campaign_id, campaign_id), (Payment.creator_id, creator_id),
                              (Payment.contract_id, contract_id), (Payment.status, status)):
            if value is not None:
                statement = statement.where(column == value)
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        rows = await self.session.execute(
            statement.add_columns(Invoice).outerjoin(Invoice, Invoice.payment_id == Payment.id)
            .order_by(Payment.created_at, Payment.milestone_key).limit(limit).offset(offset))
        return [(row[0], row[1]) for row in rows.all()], int(total)

    # ------------------------------------------------------------- invoices
    async def add_invoice(self, invoice: Invoice) -> Invoice:
        self.session.add(invoice)
        await self.session.flush()
        return invoice

    async def invoice_for_payment(self, payment_id: uuid.UUID) -> Invoice | None:
        statement = select(Invoice).where(Invoice.payment_id == payment_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def invoice(self, invoice_id: uuid.UUID, *, for_update: bool = False) -> Invoice | None:
        statement = select(Invoice).where(Invoice.id == invoice_id)
        if for_update:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_approval(self, approval_id: uuid.UUID, *, for_update: bool = False) -> Payment | None:
        statement = select(Payment).where(Payment.approval_id == approval_id)
        if for_update:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()
