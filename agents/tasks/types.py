"""Typed inputs and outputs shared by the task functions, the agents and the evals."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

Channel = Literal["email", "whatsapp"]
ReplyIntent = Literal["interested", "counter_offer", "declined", "question", "unsubscribe", "out_of_office", "other"]


class Produced(BaseModel, Generic[T]):
    """A task's output plus its provenance."""

    value: T
    model: str  # e.g. "offline-rules" or "openai:gpt-4o-mini"
    prompt_id: str  # e.g. "brief_extraction"
    prompt_version: str  # e.g. "v1"
    input_tokens: int | None = None
    output_tokens: int | None = None
    notes: list[str] = Field(default_factory=list)  # e.g. "model output failed validation: offline rules used"


class Deliverable(BaseModel):
    platform: str | None = None
    kind: str  # "post", "reel", "story", "video", "short", ...
    quantity: int = 1
    due_date: dt.date | None = None


class CampaignBrief(BaseModel):
    """The structured brief. `None` / empty means "not stated yet"."""

    goal: str | None = None
    product: str | None = None
    budget: float | None = None
    currency: str | None = None  # ISO 4217
    platforms: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)  # ISO 3166-1 alpha-2
    languages: list[str] = Field(default_factory=list)  # ISO 639-1
    min_followers: int | None = None
    max_followers: int | None = None
    deliverables: list[Deliverable] = Field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    fee_ceiling: float | None = None  # per creator, hard limit enforced in code
    fee_target: float | None = None  # per creator, what the agent opens with / aims for
    auto_send: list[str] = Field(default_factory=list)  # approval kinds the manager lets auto-send (none by default)
    # First contact: "preferred" = one message per creator on their preferred open channel (email when both);
    # "all" = one per open channel (email and WhatsApp).
    outreach_channels: Literal["preferred", "all"] = "preferred"


class BriefTurn(BaseModel):
    """The brief agent's answer to one manager message."""

    brief: CampaignBrief  # the brief after applying this message
    changed_fields: list[str]  # only fields the manager actually stated in this message
    missing_fields: list[str]  # required fields still unknown
    reply: str  # a follow-up question for what is missing, or a summary when complete


class CreatorProfile(BaseModel):
    """What drafting may say about a creator: only these facts, nothing invented."""

    creator_id: str
    display_name: str
    first_name: str | None = None
    bio: str = ""
    categories: list[str] = Field(default_factory=list)
    country: str | None = None
    city: str | None = None
    languages: list[str] = Field(default_factory=list)
    platforms: dict[str, dict[str, object]] = Field(default_factory=dict)  # platform → handle, followers, ...
    email: str | None = None
    whatsapp_opt_in: bool = False


class Draft(BaseModel):
    channel: Channel
    subject: str | None = None  # email only
    body_text: str
    language: str = "en"


class ReplyClassification(BaseModel):
    intent: ReplyIntent
    proposed_fee: float | None = None
    currency: str | None = None
    return_date: dt.date | None = None  # out-of-office
    summary: str = ""
