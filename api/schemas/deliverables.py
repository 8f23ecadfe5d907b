"""Deliverable payloads: the creator's submission and the manager's review."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from store.models import DeliverableStatus


class DeliverableOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    contract_id: uuid.UUID
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    key: str
    description: str
    platform: str
    quantity: int
    due_date: dt.date
    status: DeliverableStatus
    post_url: str | None
    content: str | None
    submissions: int
    submitted_at: dt.datetime | None
    review_feedback: str | None
    reviewed_at: dt.datetime | None
    approved_at: dt.datetime | None


class DeliverablePage(BaseModel):
    items: list[DeliverableOut]
    total: int
    limit: int
    offset: int


class SubmissionIn(BaseModel):
    post_url: AnyHttpUrl | None = Field(default=None, description="where the content is published")
    content: str | None = Field(default=None, max_length=20_000, description="the content itself (caption, script)")


class ReviewAction(enum.StrEnum):
    approve = "approve"
    request_changes = "request_changes"


class ReviewIn(BaseModel):
    action: ReviewAction
    feedback: str | None = Field(default=None, max_length=5000, description="required to request changes")
