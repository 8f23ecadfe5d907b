"""Analytics payloads: figures (value, unit, formula, data points), campaign / creator / revenue tables, time series,
the funnel, tracked links and promo codes, post metrics, EMV rates, conversion webhook receipts."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from api.schemas.errors import ErrorOut, errors  # noqa: F401 - re-exported for the analytics routers
from core.money import Money


class FigureOut(BaseModel):
    value: Decimal | int | None = Field(description="None when the inputs are missing (never a made-up 0)")
    unit: str = Field(description="a currency code, `count` or `ratio`")
    formula: str
    data_points: int = Field(description="how many raw rows (payments, clicks, orders, posts) it rests on")
    note: str | None = None


class CampaignAnalyticsOut(BaseModel):
    campaign_id: uuid.UUID
    name: str
    status: str
    currency: str
    budget: Money | None
    figures: dict[str, FigureOut]
    creators: int
    computed_at: dt.datetime | None = None
    platforms: dict[str, dict[str, Any]] = Field(default_factory=dict)
    top_creators: list[CreatorAnalyticsOut] = Field(default_factory=list)


class CreatorAnalyticsOut(BaseModel):
    campaign_id: uuid.UUID
    campaign_name: str
    creator_id: uuid.UUID
    creator_name: str
    currency: str
    figures: dict[str, FigureOut]
    negotiated_fee: Money | None
    platforms: dict[str, dict[str, Any]]


class CampaignAnalyticsPage(BaseModel):
    items: list[CampaignAnalyticsOut]
    total: int
    limit: int
    offset: int


class CreatorAnalyticsPage(BaseModel):
    items: list[CreatorAnalyticsOut]
    total: int
    limit: int
    offset: int


class CurrencyRevenueOut(BaseModel):
    currency: str
    campaigns: int
    figures: dict[str, FigureOut]


class RevenueOut(BaseModel):
    by_currency: list[CurrencyRevenueOut]
    unattributed_orders: int
    note: str = "Campaigns report in their own currency; totals are per reporting currency."


class PointOut(BaseModel):
    start: dt.date
    value: Decimal | int | None
    data_points: int


class TimeseriesOut(BaseModel):
    campaign_id: uuid.UUID
    metric: str
    interval: Literal["day", "week"]
    unit: str
    points: list[PointOut]


class MyAnalyticsOut(BaseModel):
    campaigns: list[CreatorAnalyticsOut]
    links: list[TrackedLinkOut]
    promo_codes: list[PromoCodeOut]


class TrackedLinkIn(BaseModel):
    creator_id: uuid.UUID
    destination_url: AnyHttpUrl
    utm_content: str | None = Field(default=None, max_length=200)


class TrackedLinkOut(BaseModel):
    id: uuid.UUID
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    code: str
    short_url: str
    destination_url: str
    tagged_url: str


class PromoCodeIn(BaseModel):
    creator_id: uuid.UUID
    code: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    description: str | None = Field(default=None, max_length=200)


class PromoCodeOut(BaseModel):
    id: uuid.UUID
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    code: str
    description: str | None


class ConversionReceipt(BaseModel):
    status: Literal["recorded", "duplicate", "unknown_order"]
    order_id: uuid.UUID | None = None
    attributed_by: str | None = None
    campaign_id: uuid.UUID | None = None
    creator_id: uuid.UUID | None = None


class OrderImportOut(BaseModel):
    total_rows: int
    recorded: int
    duplicates: int = Field(description="orders already stored (by source and order id): left unchanged")
    attributed: dict[str, int] = Field(description="recorded orders per attribution: promo_code, click, none")
    errors: list[ImportRowErrorOut]


class EmvRateValues(BaseModel):
    """Value per unit of each metric (omit a metric to leave it out of the EMV)."""

    model_config = ConfigDict(extra="forbid")

    impressions: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    reach: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    views: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    likes: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    comments: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    shares: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    saves: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    link_clicks: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)
    story_taps: float | None = Field(default=None, ge=0, le=1_000_000, strict=True)


class EmvRatesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: str = Field(default="USD", pattern=r"^[A-Za-z]{3}$")
    rates: EmvRateValues

    def decimal_rates(self) -> dict[str, Decimal]:
        """As exact decimals (`0.1`, not 0.1000000000000000055…)."""
        return {name: Decimal(repr(value)) for name, value in self.rates.model_dump().items() if value is not None}


class EmvRatesOut(BaseModel):
    platform: str
    currency: str
    rates: dict[str, Decimal]
    custom: bool


class MetricValues(BaseModel):
    """A reading: omit (or null) what the platform does not report — it stays unknown, not 0."""

    impressions: int | None = Field(default=None, ge=0, le=10**15)
    reach: int | None = Field(default=None, ge=0, le=10**15)
    views: int | None = Field(default=None, ge=0, le=10**15)
    likes: int | None = Field(default=None, ge=0, le=10**15)
    comments: int | None = Field(default=None, ge=0, le=10**15)
    shares: int | None = Field(default=None, ge=0, le=10**15)
    saves: int | None = Field(default=None, ge=0, le=10**15)
    link_clicks: int | None = Field(default=None, ge=0, le=10**15)
    story_taps: int | None = Field(default=None, ge=0, le=10**15)


class SnapshotIn(MetricValues):
    captured_at: dt.datetime | None = None


class SnapshotOut(MetricValues):
    id: uuid.UUID
    post_id: uuid.UUID
    captured_at: dt.datetime
    source: str
    self_reported: bool


class PostIn(BaseModel):
    creator_id: uuid.UUID
    url: AnyHttpUrl
    external_id: str | None = Field(default=None, max_length=200, description="the platform's media/video id")
    published_at: dt.datetime | None = None


class MyPostIn(BaseModel):
    url: AnyHttpUrl
    external_id: str | None = Field(default=None, max_length=200)
    published_at: dt.datetime | None = None


class PostOut(BaseModel):
    id: uuid.UUID
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    deliverable_id: uuid.UUID | None
    platform: str
    url: str
    external_id: str | None
    published_at: dt.datetime | None
    next_poll_at: dt.datetime | None
    last_polled_at: dt.datetime | None
    poll_failures: int
    last_poll_error: str | None
    latest: SnapshotOut | None = None


class ImportRowErrorOut(BaseModel):
    row: int
    field: str | None
    message: str


class MetricsImportOut(BaseModel):
    total_rows: int
    imported: int
    posts_created: int
    errors: list[ImportRowErrorOut]


class StepOut(BaseModel):
    step: str
    creators: int
    rate_from_previous: Decimal | None
    rate_from_start: Decimal | None
    median_hours_from_previous: float | None
    timed_pairs: int = Field(description="creators with both timestamps behind the median")


class SavingsOut(BaseModel):
    negotiations: int
    first_ask_total: Decimal | None
    agreed_total: Decimal | None
    saved: Decimal | None
    saved_rate: Decimal | None
    currency: str


class FunnelOut(BaseModel):
    campaign_id: uuid.UUID
    steps: list[StepOut]
    drafts: dict[str, int]
    by_channel: dict[str, list[StepOut]]
    by_language: dict[str, list[StepOut]]
    by_prompt_version: dict[str, list[StepOut]]
    savings: SavingsOut


CampaignAnalyticsOut.model_rebuild()
MyAnalyticsOut.model_rebuild()
