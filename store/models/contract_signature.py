"""One signature on a contract: the creator's, and the brand's countersignature. One per (contract, role), so a
second signature is refused by the database as well as by the service.

What the audit trail needs is recorded as it happened: the typed full name, the consent statement shown, the
signer's email, how they authenticated (personal link or login), time, IP address, user agent and the SHA-256 of
the exact document version they agreed to.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey
from store.models.columns import str_enum


class SignerRole(enum.StrEnum):
    creator = "creator"
    brand = "brand"  # the countersignature


class ContractSignature(UUIDPrimaryKey, Base):
    __tablename__ = "contract_signatures"
    __table_args__ = (UniqueConstraint("contract_id", "role"),)

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    role: Mapped[SignerRole] = mapped_column(str_enum(SignerRole, length=16))
    signer_name: Mapped[str] = mapped_column(String(200))  # typed by the signer
    signer_email: Mapped[str] = mapped_column(String(320))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(100))  # e.g. "click-to-sign via personal link"
    provider: Mapped[str] = mapped_column(String(32))
    envelope_id: Mapped[str | None] = mapped_column(String(100))  # click-to-sign: the signing token's id
    consent_text: Mapped[str] = mapped_column(Text)
    document_sha256: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(Text)
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
