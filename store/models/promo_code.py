"""A promo code of one creator in one campaign. Codes are unique per organization, compared case-insensitively
(stored upper-case): an order that used the code is attributed to that creator and campaign."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey


class PromoCode(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "promo_codes"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(200))
