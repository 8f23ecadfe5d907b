"""Payouts recorded by the built-in ledger provider (the default payment provider).

`idempotency_key` is unique: the same payout requested twice yields one entry and the same reference.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Numeric, String, func
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey


class LedgerEntry(UUIDPrimaryKey, Base):
    __tablename__ = "ledger_entries"

    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    provider_reference: Mapped[str] = mapped_column(String(64), unique=True)  # "ldg_<hex>", shown on invoices
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    currency: Mapped[str] = mapped_column(String(3))
    destination: Mapped[str] = mapped_column(String(255))  # the payee's payout account, as the caller names it
    reference: Mapped[str] = mapped_column(String(255))  # the caller's reference, e.g. "payment:<uuid>"
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
