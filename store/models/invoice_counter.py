"""The next invoice number of each organization. Incremented under a row lock inside the transaction that
issues the invoice, so a rolled-back invoice releases its number and the sequence has no gaps."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class InvoiceCounter(Base):
    __tablename__ = "invoice_counters"

    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    next_number: Mapped[int] = mapped_column(BigInteger)
