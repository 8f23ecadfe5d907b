"""Request and response bodies of the negotiation endpoints."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class CreatorMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=4000, description="your answer about this campaign")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text cannot be blank")
        return value


class CreatorMessageOut(BaseModel):
    conversation_id: uuid.UUID
    message_id: uuid.UUID | None
    outcome: str  # "turn queued" | "STOP: ..." | ...


class NegotiationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    conversation_id: uuid.UUID
    creator_id: uuid.UUID
    status: str
    rounds: int
    creator_ask: Decimal | None
    our_offer: Decimal | None
    fee: Decimal | None
    currency: str | None
    deliverables: list[dict[str, Any]]
    start_date: dt.date | None
    end_date: dt.date | None
    usage_rights: str | None
    usage_rights_months: int | None
    exclusivity: str | None
    exclusivity_months: int | None
    agreed_at: dt.datetime | None
    updated_at: dt.datetime


class FollowUpSettingsIn(BaseModel):
    after_days: int | None = Field(default=None, ge=0, le=90, description="days without a reply; 0 = off")
    max_count: int | None = Field(default=None, ge=0, le=10, description="follow-ups per creator at most")


class FollowUpSettingsOut(BaseModel):
    campaign_id: uuid.UUID
    after_days: int
    max_count: int


class NotificationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    subject: str
    body: str
    campaign_id: uuid.UUID | None
    data: dict[str, Any]
    email_status: str
    created_at: dt.datetime


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    total: int
