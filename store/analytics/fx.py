"""Currency conversion for reporting, with the same reference rates creator search uses (`store.creators.money`).

Reporting only: orders and payments keep their own currency; a rollup converts them into the campaign's currency.
An unknown currency converts to None (the caller counts it as left out, never as 0).
"""

from __future__ import annotations

from decimal import Decimal

from store.creators.money import USD_PER_UNIT


def convert(amount: Decimal, from_currency: str, to_currency: str) -> Decimal | None:
    source, target = from_currency.upper(), to_currency.upper()
    if source == target:
        return amount
    if source not in USD_PER_UNIT or target not in USD_PER_UNIT:
        return None
    return amount * Decimal(str(USD_PER_UNIT[source])) / Decimal(str(USD_PER_UNIT[target]))
