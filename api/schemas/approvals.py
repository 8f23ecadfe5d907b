"""Approval inbox payloads. Each approval carries Agent Inbox's interrupt fields (`action_request`, `config`,
`description`) next to ours."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.pagination import page_bounds
from api.schemas.brief import brief_json
from store.models import ApprovalKind, ApprovalStatus, DecisionAction
from store.signing.redact import redact_tokens

_LIMIT, _OFFSET = page_bounds()


class InboxQuery(BaseModel):
    """`GET /approvals`'s query string as one model: FastAPI validates it once, where six parameters (and the
    pagination dependency) were each validated on their own, ~25 µs of a list request. `limit` and `offset` take
    `api/pagination.page_bounds`; unknown parameters are ignored, as elsewhere."""

    status: ApprovalStatus | None = None
    campaign_id: uuid.UUID | None = None
    kind: ApprovalKind | None = None
    cursor: str | None = Field(None, max_length=200,
                               description="next_cursor of the previous page (then offset is ignored)")
    limit: Annotated[int, Field(**_LIMIT)] = 50
    offset: Annotated[int, Field(**_OFFSET)] = 0


class ActionRequestOut(BaseModel):
    action: str
    args: dict[str, Any]


class InboxConfigOut(BaseModel):
    allow_accept: bool
    allow_edit: bool
    allow_respond: bool
    allow_ignore: bool


class ApprovalOut(BaseModel):
    id: uuid.UUID
    kind: ApprovalKind
    status: ApprovalStatus
    campaign_id: uuid.UUID
    run_id: uuid.UUID
    creator_id: uuid.UUID | None
    action_id: str
    action_request: ActionRequestOut
    config: InboxConfigOut
    description: str
    decision: dict[str, Any] | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    escalated_at: dt.datetime | None
    decided_at: dt.datetime | None


class ApprovalPage(BaseModel):
    items: list[ApprovalOut]
    total: int
    limit: int
    offset: int
    next_cursor: str | None = None  # pass as `cursor` for the next page; None on the last page
    total_is_estimate: bool = False  # past APPROVALS_EXACT_TOTAL_MAX rows the total is the planner's estimate


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    direction: str
    channel: str
    status: str
    subject: str | None
    body_text: str
    body_html: str | None
    to_address: str | None
    from_address: str | None
    model: str | None
    prompt_version: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None

    @field_validator("body_text", "body_html")
    @classmethod
    def _no_personal_links(cls, value: str | None) -> str | None:
        """A contract's signing link (or any tokenized link) is for the creator, not for whoever reads the thread."""
        return redact_tokens(value)


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    event: str
    actor_type: str
    actor_user_id: uuid.UUID | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    feedback: str | None
    created_at: dt.datetime


class CampaignContext(BaseModel):
    id: uuid.UUID
    name: str
    status: str
    brief: dict[str, Any]  # the stated brief fields, amounts as numbers (`api.schemas.brief.brief_json`)

    @field_validator("brief", mode="before")
    @classmethod
    def _stated_brief(cls, value: Any) -> dict[str, Any]:
        return brief_json(value)


class CreatorContext(BaseModel):
    id: uuid.UUID
    display_name: str
    email: str | None
    country: str | None
    categories: list[str]
    languages: list[str]
    bio: str
    audience: dict[str, Any]


class ApprovalDetailOut(ApprovalOut):
    campaign: CampaignContext | None
    creator: CreatorContext | None
    draft: MessageOut | None
    thread: list[MessageOut]
    reasoning: str
    model: str | None
    prompt_version: str | None
    events: list[EventOut]


class DecisionIn(BaseModel):
    action: DecisionAction
    payload: dict[str, Any] | None = Field(
        default=None, description="edit: the changed fields (message: subject/body_text/body_html; shortlist: "
                                  "{add, remove} or {creator_ids}); Agent Inbox's {action, args} is accepted too")
    feedback: str | None = Field(default=None, max_length=5000,
                                 description="reject: why (drives a new draft / search); respond: instructions")


class BatchDecisionIn(DecisionIn):
    approval_id: uuid.UUID


class BatchIn(BaseModel):
    decisions: list[BatchDecisionIn] = Field(min_length=1, max_length=200)


class BatchError(BaseModel):
    code: str
    message: str


class BatchResult(BaseModel):
    approval_id: uuid.UUID
    ok: bool
    status_code: int
    approval: ApprovalOut | None = None
    error: BatchError | None = None


class BatchOut(BaseModel):
    results: list[BatchResult]
