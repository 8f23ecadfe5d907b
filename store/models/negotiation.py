"""The structured record of a negotiation with one creator: the terms as they stand, and once both sides agree,
the terms the contract is generated from.

SHARED DATA CONTRACT (negotiation agent ↔ contracts):
- One row per conversation (`conversation_id` unique), created when the first reply arrives.
- The negotiation agent updates the terms (`fee`, `currency`, `deliverables`, dates, usage rights, exclusivity)
  only from structured decisions: the creator's extracted ask and the policy's decision, never free text.
- `payment_schedule` (installments as in `store.contracts.terms.Installment`, percent of the fee) and `exclusive`
  (False: agreed without exclusivity) complete the terms; a term still None when the negotiation is agreed is
  asked of the manager by the contract agent (approval kind `terms`) before any contract is drafted.
- `status`: open → agreed (terms final; `agreed_at` set; the conversation becomes `agreed`) → contracted (a
  contract was generated from it) | cancelled. The contract agent starts from `agreed` records only and reads
  the terms from here, never from message text.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class NegotiationStatus(enum.StrEnum):
    open = "open"
    agreed = "agreed"
    contracted = "contracted"
    cancelled = "cancelled"


class Negotiation(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "negotiations"
    __mapper_args__ = {"eager_defaults": True}

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"),
                                                       index=True)
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"),
                                                       unique=True)
    status: Mapped[NegotiationStatus] = mapped_column(str_enum(NegotiationStatus), default=NegotiationStatus.open,
                                                      index=True)
    rounds: Mapped[int] = mapped_column(Integer, default=0)
    creator_ask: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))  # the creator's latest asked fee
    our_offer: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))  # our latest offered fee
    fee: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))  # the agreed fee (set when agreed)
    currency: Mapped[str | None] = mapped_column(String(3))
    # [{"platform", "kind", "quantity", "due_date"}] — from the brief, adjusted by structured decisions
    deliverables: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    usage_rights: Mapped[str | None] = mapped_column(Text)  # e.g. "organic and paid social"
    usage_rights_months: Mapped[int | None] = mapped_column(Integer)
    exclusivity: Mapped[str | None] = mapped_column(Text)  # e.g. "no competing skincare brands"
    exclusivity_months: Mapped[int | None] = mapped_column(Integer)
    exclusive: Mapped[bool | None] = mapped_column(Boolean)  # None: not decided; False: no exclusivity
    # [{"kind", "percent", "deliverable_key"?, "net_days"}]; None: not decided yet
    payment_schedule: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    agreed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
