"""An order reported by the shop (Shopify `orders/create` or the generic signed JSON webhook), in its own currency.

Idempotent by (organization, source, external order id): a replayed webhook finds the row and changes nothing.
`attributed_by`: promo_code | click | none. Unattributed orders are kept (campaign NULL) so a replay stays a no-op
and the unattributed total can be shown. `refunded_amount` is the sum of its refunds (`order_refunds`).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey


class Order(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "orders"
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (UniqueConstraint("organization_id", "source", "external_order_id"),
                      Index("ix_orders_campaign_id_creator_id", "campaign_id", "creator_id"))

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    source: Mapped[str] = mapped_column(String(16))  # shopify | generic
    external_order_id: Mapped[str] = mapped_column(String(100))
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"))
    creator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"))
    attributed_by: Mapped[str] = mapped_column(String(16))  # promo_code | click | none
    promo_code: Mapped[str | None] = mapped_column(String(64))
    click_id: Mapped[uuid.UUID | None] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3))
    total_amount: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    refunded_amount: Mapped[Decimal] = mapped_column(Numeric(18, 3), default=Decimal(0), server_default="0")
    ordered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
