"""A creator profile: self-registered (has a user) or imported by a brand as a prospect (no login).

`audience` holds per-platform figures: {"instagram": {"handle", "followers", "avg_views", "engagement_rate"}}.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey


class Creator(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "creators"

    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    display_name: Mapped[str] = mapped_column(String(200))
    bio: Mapped[str] = mapped_column(Text, default="")
    categories: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(120))
    audience: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    email: Mapped[str | None] = mapped_column(String(320))
