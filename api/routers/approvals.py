"""/approvals: the approval inbox. Listing and full context for one approval (read-only units: no transaction);
a decision (or a batch) is recorded with its effects and the `agents.resume` job in the request's transaction,
and a worker resumes the agent. A second answer to the same approval is a 409."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ManagerDep, ManagerReaderDep, ReadSessionDep, SessionDep
from api.metrics import PENDING_APPROVALS, scrape_hooks
from api.schemas.approvals import (
    ApprovalDetailOut,
    ApprovalOut,
    ApprovalPage,
    BatchError,
    BatchIn,
    BatchOut,
    BatchResult,
    CampaignContext,
    CreatorContext,
    DecisionIn,
    EventOut,
    InboxQuery,
    MessageOut,
)
from api.trusted_json import trusted_json
from store.approvals.deciding import ApprovalDecisions
from store.approvals.decision import Decision
from store.approvals.service import Actor, ApprovalService
from store.db import unit_of_work
from store.models import CONFIG_FLAGS, Approval

router = APIRouter(prefix="/approvals", tags=["approvals"])


async def refresh_pending_approvals() -> None:
    async with unit_of_work() as session:
        PENDING_APPROVALS.set(await ApprovalService(session).count_pending())


if refresh_pending_approvals not in scrape_hooks:
    scrape_hooks.append(refresh_pending_approvals)


OUT_FIELDS = tuple(ApprovalOut.model_fields)  # the response's fields, in its order


def approval_out(approval: Approval) -> dict[str, Any]:
    """An approval shaped exactly as `ApprovalOut` serializes it (nested objects keep only their model's fields),
    as the inbox list shapes its rows (`store/approvals/listing.py`), so `trusted_json` may write it without
    building the model."""
    request = approval.request
    action_request, config = request["action_request"], request["config"]
    shaped = {"action_request": {"action": str(action_request["action"]), "args": dict(action_request["args"])},
              "config": {flag: bool(config[flag]) for flag in CONFIG_FLAGS},
              "description": request.get("description") or ""}
    return {name: shaped[name] if name in shaped else getattr(approval, name) for name in OUT_FIELDS}


@router.get("", response_model=ApprovalPage)
async def list_approvals(principal: ManagerReaderDep, session: ReadSessionDep,
                         query: Annotated[InboxQuery, Query()]) -> Any:
    limit, offset, cursor = query.limit, query.offset, query.cursor
    result = await ApprovalService(session).page(principal.organization_id, status=query.status,
                                                 campaign_id=query.campaign_id, kind=query.kind, limit=limit,
                                                 offset=offset, cursor=cursor)
    return trusted_json({"items": result.items, "total": result.total,
                         "limit": limit, "offset": 0 if cursor else offset, "next_cursor": result.next_cursor,
                         "total_is_estimate": result.total_is_estimate})


# `:uuid`: /approvals/decisions (POST) is another route, not an approval id (405, not 422, for other methods)
@router.get("/{approval_id:uuid}", response_model=ApprovalDetailOut)
async def get_approval(approval_id: uuid.UUID, principal: ManagerReaderDep, session: ReadSessionDep) -> Any:
    detail = await ApprovalService(session).detail(principal.organization_id, approval_id)
    campaign, creator = detail.campaign, detail.creator
    return ApprovalDetailOut(
        **approval_out(detail.approval),
        campaign=CampaignContext(id=campaign.id, name=campaign.name, status=campaign.status,
                                 brief=campaign.brief) if campaign else None,
        creator=CreatorContext(id=creator.id, display_name=creator.display_name, email=creator.email,
                               country=creator.country, categories=list(creator.categories or []),
                               languages=list(creator.languages or []), bio=creator.bio or "",
                               audience=creator.audience or {}) if creator else None,
        draft=MessageOut.model_validate(detail.draft) if detail.draft else None,
        thread=[MessageOut.model_validate(message) for message in detail.thread],
        reasoning=detail.approval.reasoning, model=detail.approval.model,
        prompt_version=detail.approval.prompt_version,
        events=[EventOut.model_validate(event) for event in detail.events])


@router.post("/decisions", response_model=BatchOut)
async def decide_batch(body: BatchIn, principal: ManagerDep, session: SessionDep) -> Any:
    decisions = [(item.approval_id, Decision(item.action, item.payload, item.feedback)) for item in body.decisions]
    outcomes = await ApprovalDecisions(session).decide_many(principal.organization_id, decisions,
                                                          Actor.user(principal.id))
    return BatchOut(results=[
        BatchResult(approval_id=outcome.approval_id, ok=True, status_code=200,
                    approval=ApprovalOut(**approval_out(outcome.approval)))
        if outcome.approval is not None else
        BatchResult(approval_id=outcome.approval_id, ok=False,
                    status_code=outcome.error.status_code if outcome.error else 500,
                    error=BatchError(code=outcome.error.code, message=outcome.error.message) if outcome.error
                    else None)
        for outcome in outcomes])


@router.post("/{approval_id}/decision", response_model=ApprovalOut)
async def decide(approval_id: uuid.UUID, body: DecisionIn, principal: ManagerDep, session: SessionDep) -> Any:
    approval = await ApprovalDecisions(session).decide(principal.organization_id, approval_id,
                                                       Decision(body.action, body.payload, body.feedback),
                                                       Actor.user(principal.id))
    return trusted_json(approval_out(approval))
