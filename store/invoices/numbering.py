"""Gapless invoice numbers per organization: 1, 2, 3, ... formatted `INV-2026-000042`.

`allocate_invoice_number` increments the organization's counter with one INSERT ... ON CONFLICT DO UPDATE ...
RETURNING inside the caller's transaction. The counter row stays locked until that transaction ends, so concurrent
issuers queue on it, and a rolled-back invoice hands its number to the next one: no gaps, no duplicates. The year
in the formatted number is the issue date's; the sequence itself never resets.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import get_settings
from store.models import InvoiceCounter


@dataclass(frozen=True)
class InvoiceNumber:
    sequence: int
    formatted: str


def format_invoice_number(sequence: int, issued_on: date, prefix: str | None = None) -> str:
    prefix = prefix if prefix is not None else get_settings().INVOICE_NUMBER_PREFIX
    return f"{prefix}-{issued_on.year}-{sequence:06d}"


async def allocate_invoice_number(session: AsyncSession, organization_id: uuid.UUID,
                                  issued_on: date) -> InvoiceNumber:
    statement = insert(InvoiceCounter).values(organization_id=organization_id, next_number=2).on_conflict_do_update(
        index_elements=[InvoiceCounter.organization_id],
        set_={"next_number": InvoiceCounter.next_number + 1},
    ).returning(InvoiceCounter.next_number)
    sequence = int((await session.execute(statement)).scalar_one()) - 1
    return InvoiceNumber(sequence, format_invoice_number(sequence, issued_on))
