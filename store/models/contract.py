"""A contract generated from an agreed negotiation (one per negotiation), and its life until every payment is made.

`terms` holds `store.contracts.terms.ContractTerms` as JSON: the structured deal, never text re-read from messages.
`status`:

    pending_approval ─┬─ approved (budget committed; payments and deliverables scheduled) → awaiting_signature
                      └─ rejected                                  (PDF rendered, hashed, stored, link sent)
    awaiting_signature → awaiting_countersignature (template requires it) → active → completed (all paid)
                       └────────────────────────────────────────────────↗
    any open status → cancelled

`document_sha256` is the SHA-256 of the exact PDF the creator is asked to sign (`document_key` in file storage);
`signed_document_*` is that PDF plus the signature audit page, re-made after each signature.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey
from store.models.columns import str_enum


class ContractStatus(enum.StrEnum):
    pending_approval = "pending_approval"
    rejected = "rejected"
    approved = "approved"
    awaiting_signature = "awaiting_signature"
    awaiting_countersignature = "awaiting_countersignature"
    active = "active"
    completed = "completed"
    cancelled = "cancelled"


SIGNED_STATUSES = (ContractStatus.awaiting_countersignature, ContractStatus.active, ContractStatus.completed)


class Contract(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "contracts"
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (Index("ix_contracts_organization_id_status", "organization_id", "status"),)

    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("creators.id", ondelete="RESTRICT"), index=True)
    negotiation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("negotiations.id", ondelete="RESTRICT"),
                                                      unique=True)
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("agent_runs.id", ondelete="SET NULL"))
    reference: Mapped[str] = mapped_column(String(32), unique=True)  # "CTR-1A2B3C4D5E", printed on the PDF
    status: Mapped[ContractStatus] = mapped_column(str_enum(ContractStatus), default=ContractStatus.pending_approval)
    template_id: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(32))
    terms: Mapped[dict[str, Any]] = mapped_column(JSONB)
    countersignature_required: Mapped[bool] = mapped_column(Boolean, default=True)
    document_key: Mapped[str | None] = mapped_column(String(300))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    document_size: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    signed_document_key: Mapped[str | None] = mapped_column(String(300))
    signed_document_sha256: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    countersigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
