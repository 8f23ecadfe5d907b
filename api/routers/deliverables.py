"""Deliverables: the creator lists and submits theirs (`/creators/me/deliverables`), a manager reviews them
(`/deliverables`). Approving a deliverable makes its milestone payment due (a `payment` approval opens)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import CreatorDep, ManagerDep, SessionDep
from api.pagination import PageDep
from api.schemas.deliverables import DeliverableOut, DeliverablePage, ReviewAction, ReviewIn, SubmissionIn
from store.deliverables.service import DeliverableService, Submission
from store.models import DeliverableStatus

router = APIRouter(tags=["deliverables"])


@router.get("/creators/me/deliverables", response_model=DeliverablePage, tags=["creator campaigns"])
async def my_deliverables(principal: CreatorDep, session: SessionDep, page: PageDep,
                          status: Annotated[DeliverableStatus | None, Query()] = None) -> Any:
    limit, offset = page.limit, page.offset
    items, total = await DeliverableService(session).for_creator_user(principal.id, status=status, limit=limit,
                                                                      offset=offset)
    return DeliverablePage(items=[DeliverableOut.model_validate(item) for item in items], total=total, limit=limit,
                           offset=offset)


@router.post("/creators/me/deliverables/{deliverable_id}/submit", response_model=DeliverableOut,
             tags=["creator campaigns"])
async def submit(deliverable_id: uuid.UUID, body: SubmissionIn, principal: CreatorDep, session: SessionDep) -> Any:
    return await DeliverableService(session).submit(principal.id, deliverable_id, Submission(
        post_url=str(body.post_url) if body.post_url else None, content=body.content))


@router.get("/deliverables", response_model=DeliverablePage)
async def list_deliverables(principal: ManagerDep, session: SessionDep, page: PageDep,
                            campaign_id: Annotated[uuid.UUID | None, Query()] = None,
                            contract_id: Annotated[uuid.UUID | None, Query()] = None,
                            status: Annotated[DeliverableStatus | None, Query()] = None) -> Any:
    limit, offset = page.limit, page.offset
    items, total = await DeliverableService(session).page(principal.organization_id, campaign_id=campaign_id,
                                                          contract_id=contract_id, status=status, limit=limit,
                                                          offset=offset)
    return DeliverablePage(items=[DeliverableOut.model_validate(item) for item in items], total=total, limit=limit,
                           offset=offset)


@router.get("/deliverables/{deliverable_id}", response_model=DeliverableOut)
async def get_deliverable(deliverable_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    return await DeliverableService(session).get(principal.organization_id, deliverable_id)


@router.post("/deliverables/{deliverable_id}/review", response_model=DeliverableOut)
async def review(deliverable_id: uuid.UUID, body: ReviewIn, principal: ManagerDep, session: SessionDep) -> Any:
    return await DeliverableService(session).review(principal.organization_id, deliverable_id,
                                                    approve=body.action == ReviewAction.approve,
                                                    feedback=body.feedback, reviewer_id=principal.id)
