"""Campaign, brief and invitation payloads (manager and creator side)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from agents.tasks.brief_rules import AUTO_SEND_KINDS
from api.schemas.brief import BriefJson, brief_json
from store.campaigns.brief import CampaignBrief, Deliverable, Exclusivity, UsageRights
from store.creators.search import PLATFORMS
from store.models import CampaignStatus, ParticipationSource, ParticipationStatus


class BriefIn(CampaignBrief):
    """Brief fields as a manager sends them; only the fields present are applied. Amounts (budget, fee_ceiling,
    fee_target) are numbers or decimal strings with at most 2 decimal places, up to 1,000,000,000,000."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 3 or not value.isalpha()):
            raise ValueError("use a 3-letter ISO 4217 code, e.g. EUR")
        return value.upper() if value else value

    @field_validator("countries")
    @classmethod
    def _countries(cls, values: list[str]) -> list[str]:
        if any(len(value) != 2 or not value.isalpha() for value in values):
            raise ValueError("use 2-letter ISO 3166-1 codes, e.g. ES")
        return [value.upper() for value in values]

    @field_validator("languages", "categories")
    @classmethod
    def _lower(cls, values: list[str]) -> list[str]:
        return [value.strip().lower() for value in values if value.strip()]

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, values: list[str]) -> list[str]:
        unknown = [value for value in values if value.lower() not in PLATFORMS]
        if unknown:
            raise ValueError(f"unknown platform(s) {unknown}; use {', '.join(PLATFORMS)}")
        return [value.lower() for value in values]

    @field_validator("auto_send")
    @classmethod
    def _auto_send(cls, values: list[str]) -> list[str]:
        unknown = [value for value in values if value not in AUTO_SEND_KINDS]
        if unknown:
            raise ValueError(f"{unknown} cannot auto-send; use {', '.join(AUTO_SEND_KINDS)} (offers, contracts and "
                             "payments always need approval)")
        return values

    @model_validator(mode="after")
    def _ranges(self) -> BriefIn:
        for name in ("budget", "fee_ceiling", "fee_target", "min_followers", "max_followers"):
            if (getattr(self, name) or 0) < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.min_followers and self.max_followers and self.min_followers > self.max_followers:
            raise ValueError("min_followers is above max_followers")
        if self.fee_target and self.fee_ceiling and self.fee_target > self.fee_ceiling:
            raise ValueError("fee_target is above fee_ceiling")
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValueError("start_date is after end_date")
        return self

    def patch(self) -> dict[str, Any]:
        """The fields the manager sent, as typed values (amounts stay `Decimal`)."""
        return {name: getattr(self, name) for name in self.model_fields_set}


_SEED_BRIEF_FIELDS = ("budget", "start_date", "end_date")


def _seed_shape(data: Any) -> Any:
    """The seed API's campaign fields mapped onto ours: `title` is the name; `budget`, `start_date` and `end_date`
    are brief fields (a `brief` object sent too wins for the fields it states)."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if "title" in data:
        title = data.pop("title")
        data.setdefault("name", title)
    seed_brief = {name: data.pop(name) for name in _SEED_BRIEF_FIELDS if name in data}
    if seed_brief:
        brief = data.get("brief")
        data["brief"] = {**seed_brief, **brief} if isinstance(brief, dict) else (brief if brief else seed_brief)
    return data


class CampaignFields(BaseModel):
    """Fields both shapes share. The seed API's `title`, `budget`, `start_date`, `end_date` are accepted too."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=10_000)
    brand_name: str | None = Field(default=None, max_length=200, description="the brand the campaign is for")
    campaign_type: str | None = Field(default=None, max_length=64,
                                      description="free label, e.g. sponsored_post, product_review, awareness")

    @model_validator(mode="before")
    @classmethod
    def _accept_seed_shape(cls, data: Any) -> Any:
        return _seed_shape(data)


class CampaignCreate(CampaignFields):
    """`{"name", "description"?, "brief"?}`, or the seed shape `{"title", "brand_name", "campaign_type", "budget",
    "start_date", "end_date", "description"}` (mapped into name + brief)."""

    name: str = Field(min_length=1, max_length=200, description="also accepted as `title`")
    brief: BriefIn | None = None


class CampaignUpdate(CampaignFields):
    name: str | None = Field(default=None, min_length=1, max_length=200, description="also accepted as `title`")
    status: CampaignStatus | None = None
    brief: BriefIn | None = Field(default=None, description="brief fields to change (only before confirmation)")


class CampaignOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    description: str
    brand_name: str | None
    campaign_type: str | None
    status: CampaignStatus
    brief: dict[str, Any] = Field(description="the stated brief fields (see BriefOut.brief), amounts as numbers")
    brief_confirmed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    # The seed API's names for the same facts, echoed so its clients read what they wrote.
    title: str = Field(default="", description="the name (seed API)")
    budget: float | None = Field(default=None, description="brief.budget (seed API)")
    start_date: dt.date | None = Field(default=None, description="brief.start_date (seed API)")
    end_date: dt.date | None = Field(default=None, description="brief.end_date (seed API)")

    @model_validator(mode="after")
    def _seed_echo(self) -> CampaignOut:
        self.title = self.name
        budget = self.brief.get("budget")
        self.budget = float(budget) if budget is not None else None
        for name in ("start_date", "end_date"):
            value = self.brief.get(name)
            setattr(self, name, dt.date.fromisoformat(value) if isinstance(value, str) else value)
        return self


    @field_validator("brief", mode="before")
    @classmethod
    def _stated_brief(cls, value: Any) -> dict[str, Any]:
        return brief_json(value)


class CampaignPage(BaseModel):
    items: list[CampaignOut]
    total: int
    limit: int
    offset: int


class InviteIn(BaseModel):
    creator_id: uuid.UUID
    message: str | None = Field(default=None, max_length=5000, description="personal note for the email")
    send_email: bool = False


class InvitationOut(BaseModel):
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    status: ParticipationStatus
    invited_at: dt.datetime | None
    message_id: uuid.UUID | None = None
    message_status: str | None = None


class ParticipantOut(BaseModel):
    creator_id: uuid.UUID
    display_name: str
    status: ParticipationStatus
    source: ParticipationSource
    score: float | None
    reasons: list[Any]
    invited_at: dt.datetime | None
    responded_at: dt.datetime | None


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    status: str
    parent_run_id: uuid.UUID | None
    creator_id: uuid.UUID | None
    channel: str | None
    outcome: str | None
    attempts: int
    last_error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


class BriefMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("write something")
        return value


class BriefConfirmIn(BaseModel):
    terms_later: bool = Field(default=False, description="confirm without the contract terms (deliverables, usage "
                              "rights, exclusivity, payment schedule): the contract agent asks for them when a "
                              "creator agrees")


class BriefMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    role: str
    text: str
    changed_fields: list[str]
    model: str | None
    prompt_version: str | None
    created_at: dt.datetime


class BriefOut(BaseModel):
    campaign_id: uuid.UUID
    status: Literal["collecting", "complete", "confirmed"]
    brief: BriefJson
    missing_fields: list[str]
    confirmed_at: dt.datetime | None
    messages: list[BriefMessageOut]
    run_id: uuid.UUID | None = Field(default=None, description="the discovery run started by the confirmation")


class BriefTurnOut(BriefOut):
    reply: str
    changed_fields: list[str]
    model: str | None
    prompt_version: str | None


class CreatorBriefOut(BaseModel):
    """What a creator sees of a brief: no budget, no fee ceiling or target, no approval rules."""

    goal: str | None = None
    product: str | None = None
    platforms: list[str] = Field(default_factory=list)
    deliverables: list[Deliverable] = Field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    usage_rights: UsageRights | None = None
    exclusivity: Exclusivity | None = None


class CreatorCampaignOut(BaseModel):
    campaign_id: uuid.UUID
    name: str
    description: str
    campaign_status: CampaignStatus
    invitation_status: ParticipationStatus
    invited_at: dt.datetime | None
    responded_at: dt.datetime | None
    brief: CreatorBriefOut
