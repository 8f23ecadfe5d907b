"""A refund of an order (Shopify `refunds/create` or the generic webhook), idempotent by (order, refund id)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey


class OrderRefund(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "order_refunds"
    __table_args__ = (UniqueConstraint("order_id", "external_refund_id"),)

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    external_refund_id: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    currency: Mapped[str] = mapped_column(String(3))
    refunded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
