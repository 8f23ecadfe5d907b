"""A creator profile: self-registered (has a user) or imported by a brand as a prospect (no login).

`audience` holds per-platform figures: {"instagram": {"handle", "followers", "avg_views", "engagement_rate"}}
(engagement in percent). `rates` maps a deliverable ("instagram_reel", "youtube_video", ...) to an amount in
`currency`. Prospects carry `imported_by_organization_id` and are visible only to that organization; creators
without it (registered or seeded) form the shared directory.

The columns after "denormalised" are derived from the profile on every write (`store/creators/profile.py`,
applied by the flush hook in `store/creators/events.py`) so search filters are index lookups: one GIN `@>`
over `filter_tags` prefilters every hard filter at once, the plain columns re-check the exact bounds. A GIN
expression index over `creator_market_tags(country, categories, followers_max)` (migration 0027) serves exact
scans filtered to a country and a niche.
`content_hash` fingerprints the embedded text; `embedded_hash` is the fingerprint the stored `embedding` was
computed from. They differ while an embedding is due.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pgvector.sqlalchemy import HALFVEC
from sqlalchemy import BigInteger, Boolean, Computed, DateTime, Float, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, Timestamps, UUIDPrimaryKey

EMBEDDING_DIMENSIONS = 384
# Full-text document: names, handles and niches weigh more than the bio. Matches store/creators/search.py.
SEARCH_DOCUMENT_SQL = ("setweight(to_tsvector('english'::regconfig, coalesce(keywords, '')), 'A') || "
                       "setweight(to_tsvector('english'::regconfig, coalesce(bio, '')), 'B')")


class CreatorSource:
    registered = "registered"  # signed up through /auth/register/creator
    imported = "imported"  # `influency creators import` (a brand's prospect list when an organization is given)
    seeded = "seeded"  # `influency creators seed` synthetic population


def _gin(column: str) -> Index:
    return Index(f"ix_creators_{column}_gin", column, postgresql_using="gin")


class Creator(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "creators"
    __table_args__ = (
        Index("ix_creators_embedding_hnsw", "embedding", postgresql_using="hnsw",
              postgresql_with={"m": 16, "ef_construction": 64}, postgresql_ops={"embedding": "halfvec_cosine_ops"}),
        *(_gin(column) for column in ("filter_tags", "handles", "search_document")),
        *(Index(f"ix_creators_{column}", column) for column in (
            "followers_max", "engagement_max", "min_rate_usd", "created_at")),
    )

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
    # A new address the creator asked for (`PUT /creators/me`): used for nothing until confirmed through the link
    # sent to it (store/creators/email_change.py). Only the link's SHA-256 is kept.
    pending_email: Mapped[str | None] = mapped_column(String(320))
    pending_email_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    pending_email_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    whatsapp_phone: Mapped[str | None] = mapped_column(String(16))  # E.164
    # Email consent is three-valued: None = not asked (a business address may receive first-contact outreach),
    # True = opted in, False = opted out. WhatsApp needs an explicit opt-in (Meta's policy): False by default.
    email_opt_in: Mapped[bool | None] = mapped_column(Boolean)
    whatsapp_opt_in: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    # The channel the creator wants to be contacted on ("email" | "whatsapp"); None: email when both are open.
    preferred_channel: Mapped[str | None] = mapped_column(String(16))
    rates: Mapped[dict[str, float]] = mapped_column(JSONB, default=dict, server_default="{}")
    currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")
    # Where payouts go: the creator's account at the payment provider (Stripe: a connected account `acct_...`).
    # Set only by the creator (`PUT /creators/me`), never by an import; None until they add one.
    payout_account: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(16), default=CreatorSource.registered, server_default="registered")
    imported_by_organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )

    # --- denormalised for filtering (derived from the fields above on every write)
    platforms: Mapped[list[str]] = mapped_column(ARRAY(String(16)), default=list, server_default="{}")
    handles: Mapped[list[str]] = mapped_column(ARRAY(String(120)), default=list, server_default="{}")
    filter_tags: Mapped[list[str]] = mapped_column(ARRAY(String(80)), default=list, server_default="{}")
    followers_instagram: Mapped[int | None] = mapped_column(BigInteger)
    followers_youtube: Mapped[int | None] = mapped_column(BigInteger)
    followers_tiktok: Mapped[int | None] = mapped_column(BigInteger)
    followers_twitter: Mapped[int | None] = mapped_column(BigInteger)
    engagement_instagram: Mapped[float | None] = mapped_column(Float)
    engagement_youtube: Mapped[float | None] = mapped_column(Float)
    engagement_tiktok: Mapped[float | None] = mapped_column(Float)
    engagement_twitter: Mapped[float | None] = mapped_column(Float)
    followers_max: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    engagement_max: Mapped[float | None] = mapped_column(Float)
    min_rate_usd: Mapped[float | None] = mapped_column(Float)
    keywords: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_document: Mapped[str | None] = mapped_column(TSVECTOR, Computed(SEARCH_DOCUMENT_SQL, persisted=True),
                                                       deferred=True)  # read in SQL only (search)

    # --- semantic index
    content_hash: Mapped[str | None] = mapped_column(String(32))
    embedded_hash: Mapped[str | None] = mapped_column(String(32))
    embedding_model: Mapped[str | None] = mapped_column(String(64))
    embedding: Mapped[Any] = mapped_column(HALFVEC(EMBEDDING_DIMENSIONS), nullable=True, deferred=True)

    # Set by the flush hook between before_* and after_*: the row's embedded text changed in this flush.
    _embedding_due = False
