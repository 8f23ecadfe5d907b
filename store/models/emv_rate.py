"""An organization's earned-media-value rates for one platform: a value per unit of each metric, in one currency
(e.g. instagram: {"impressions": 0.005, "likes": 0.08, ...} USD). Without a row the documented defaults apply."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps


class EmvRate(Timestamps, Base):
    __tablename__ = "emv_rates"

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"),
                                                       primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    rates: Mapped[dict[str, Decimal]] = mapped_column(JSONB)  # metric → value per unit, as strings
