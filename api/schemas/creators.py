"""Request and response bodies for /creators."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from store.models import Creator


class PlatformStatsOut(BaseModel):
    handle: str | None = None
    followers: int | None = None
    avg_views: int | None = None
    engagement_rate: float | None = Field(default=None, description="percent")


class PortfolioItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    content_type: str
    size_bytes: int
    original_filename: str
    created_at: datetime
    url: str = Field(description="API path serving the file")

    @model_validator(mode="before")
    @classmethod
    def _url(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            value = {name: getattr(value, name) for name in
                     ("id", "creator_id", "title", "content_type", "size_bytes", "original_filename", "created_at")}
        value.setdefault("url", f"/creators/{value['creator_id']}/portfolio/{value['id']}/content")
        return value


class CreatorSummaryOut(BaseModel):
    """What lists and search results show (no contact details)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    display_name: str
    bio: str
    categories: list[str]
    languages: list[str]
    country: str | None
    city: str | None
    platforms: dict[str, PlatformStatsOut] = Field(validation_alias="audience")
    followers_max: int = Field(description="followers on the creator's largest platform")
    engagement_max: float | None = Field(description="highest engagement rate across platforms, percent")
    rates: dict[str, float]
    currency: str
    source: str
    is_prospect: bool = Field(description="imported by your organization, no login")
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="before")
    @classmethod
    def _from_creator(cls, value: Any) -> Any:
        if isinstance(value, Creator):
            return {name: getattr(value, name) for name in (
                "id", "display_name", "bio", "categories", "languages", "country", "city", "audience",
                "followers_max", "engagement_max", "rates", "currency", "source", "created_at", "updated_at",
                "email", "whatsapp_phone", "email_opt_in", "whatsapp_opt_in", "preferred_channel",
                "imported_by_organization_id",
                "user_id")} | {"is_prospect": value.imported_by_organization_id is not None,
                               "embedding_status": "current" if value.embedded_hash
                               and value.embedded_hash == value.content_hash else "pending"} | {
                name: getattr(value, name) for name in ("payout_account", "pending_email", "pending_email_expires_at")
                if name in cls.model_fields}
        return value


class CreatorOut(CreatorSummaryOut):
    """A full profile: contact channels with their consent flags, and the portfolio."""

    email: str | None
    whatsapp_phone: str | None = Field(description="E.164")
    email_opt_in: bool | None = Field(description="null: not asked (first contact allowed); false: opted out")
    whatsapp_opt_in: bool
    preferred_channel: Literal["email", "whatsapp"] | None = Field(
        default=None, description="the channel outreach uses when both are open; null: email")
    imported_by_organization_id: uuid.UUID | None
    user_id: uuid.UUID | None
    embedding_status: str = Field(description="current, or pending while the search index catches up")
    portfolio: list[PortfolioItemOut] = Field(default_factory=list)


class MyCreatorOut(CreatorOut):
    """Your own profile: also where your payouts go."""

    payout_account: str | None = Field(description="your account at the payment provider (Stripe: acct_...)")
    pending_email: str | None = Field(
        default=None, description="a new email you asked for: pending until you follow the link sent to it; "
                                  "until then `email` (contracts, signing links, payouts) is unchanged")
    pending_email_expires_at: datetime | None = Field(default=None, description="when the confirmation link expires")


class EmailConfirmedOut(BaseModel):
    email: str = Field(description="the creator's email from now on")


class CreatorPageOut(BaseModel):
    items: list[CreatorSummaryOut]
    limit: int
    offset: int
    next_offset: int | None = Field(description="offset of the next page; null on the last page")


class SearchResultOut(BaseModel):
    creator: CreatorSummaryOut
    score: float = Field(description="fused rank score, 1.0 = first in both semantic and keyword ranking")
    similarity: float | None = Field(description="cosine similarity of the creator's profile and the query")
    explanation: list[str]


class PlatformStatsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    handle: str | None = None
    followers: int | None = None
    avg_views: int | None = None
    engagement_rate: float | None = Field(default=None, description="percent, 0-100")


class CreatorUpdateIn(BaseModel):
    """Fields to change; omitted fields keep their value. `audience` and `rates` replace the whole mapping.
    The merged profile is validated as a whole (ISO codes, E.164 phone, consent needs a channel, ...)."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = None
    bio: str | None = None
    categories: list[str] | None = None
    languages: list[str] | None = Field(default=None, description="ISO 639-1 codes")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    city: str | None = None
    email: str | None = None
    whatsapp_phone: str | None = Field(default=None, description="E.164, e.g. +447700900123")
    email_opt_in: bool | None = None
    whatsapp_opt_in: bool | None = None
    preferred_channel: Literal["email", "whatsapp"] | None = Field(
        default=None, description="the channel outreach uses when both are open; null: email")
    currency: str | None = Field(default=None, description="ISO 4217")
    rates: dict[str, float] | None = Field(default=None, description="deliverable → amount, e.g. instagram_reel")
    audience: dict[str, PlatformStatsIn] | None = Field(default=None, description="platform → figures")
    payout_account: str | None = Field(
        default=None, max_length=255,
        description="where your payouts go: your Stripe connected account id (acct_...); empty or null clears it")

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)
