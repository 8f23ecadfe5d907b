"""Typed inputs and outputs shared by the task functions, the agents and the evals. The campaign brief is
`store.campaigns.brief.CampaignBrief` (re-exported here): one model for store, agents and api."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from store.campaigns.brief import BriefAmount, CampaignBrief, Deliverable

__all__ = ["BriefTurn", "CampaignBrief", "Channel", "CreatorProfile", "CreatorTerm", "Deliverable", "Draft",
           "Produced", "ReplyClassification", "ReplyIntent"]

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


TermKind = Literal["usage", "exclusivity", "whitelisting", "deliverables", "gifting"]


class CreatorTerm(BaseModel):
    """A condition the creator attached to the deal (`agents/tasks/reply_terms.py`)."""

    kind: TermKind
    text: str  # the creator's sentence
    months: int | None = None
    refused: bool = False  # "no exclusivity", "no paid ads"
    perpetual: bool = False


class ReplyClassification(BaseModel):
    intent: ReplyIntent
    proposed_fee: BriefAmount | None = None  # exact: it becomes the negotiation's `creator_ask`
    currency: str | None = None
    return_date: dt.date | None = None  # out-of-office
    summary: str = ""
    # Why the fee may not be the creator's one clear price: range, several_prices, invalid, negative, disputed
    fee_flags: list[str] = Field(default_factory=list)
    terms: list[CreatorTerm] = Field(default_factory=list)
    language: str | None = None  # ISO 639-1 of the reply, when detected
