"""Gapless per-organization invoice numbers: concurrent allocations in separate transactions get 1..N exactly
once, a rolled-back allocation leaves no gap, organizations have their own sequences."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from store.db import unit_of_work
from store.invoices.numbering import allocate_invoice_number, format_invoice_number
from tests.support.payments import create_organization

ISSUED = date(2026, 3, 5)


class _RollBack(Exception):
    pass


async def _allocate(organization_id: uuid.UUID, roll_back: bool = False) -> int | None:
    try:
        async with unit_of_work() as session:
            number = await allocate_invoice_number(session, organization_id, ISSUED)
            await asyncio.sleep(0)  # let the others queue on the counter's row lock while we hold it
            if roll_back:
                raise _RollBack
            return number.sequence
    except _RollBack:
        return None


async def test_fifty_concurrent_allocations_are_one_to_fifty() -> None:
    organization_id = await create_organization()
    numbers = await asyncio.gather(*(_allocate(organization_id) for _ in range(50)))
    assert sorted(n for n in numbers if n is not None) == list(range(1, 51))


async def test_rolled_back_allocations_leave_no_gap() -> None:
    organization_id = await create_organization()
    attempts = [_allocate(organization_id, roll_back=index % 4 == 0) for index in range(40)]
    committed = [n for n in await asyncio.gather(*attempts) if n is not None]
    assert sorted(committed) == list(range(1, 31))
    assert await _allocate(organization_id) == 31


async def test_each_organization_has_its_own_sequence_and_format() -> None:
    acme, other = await create_organization("Acme"), await create_organization("Other")
    assert [await _allocate(acme), await _allocate(acme), await _allocate(other)] == [1, 2, 1]
    async with unit_of_work() as session:
        number = await allocate_invoice_number(session, acme, ISSUED)
    assert number.formatted == "INV-2026-000003"
    assert format_invoice_number(42, date(2027, 1, 1), prefix="ACME") == "ACME-2027-000042"
