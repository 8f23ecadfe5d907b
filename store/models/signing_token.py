"""Single-use, expiring tokens behind personal signing links (prospects have no login).

Only the SHA-256 of a token is stored. `subject_type`/`subject_id` name what the link signs (e.g. a contract) without
a foreign key, so any aggregate can use them. `document_sha256`, when set, binds the link to one version of the
document: a changed document needs a new link.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey


class SigningToken(UUIDPrimaryKey, Base):
    __tablename__ = "signing_tokens"

    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
