"""/campaigns: a manager's campaigns (their organization's only; 404 otherwise), the conversational brief,
manual invitations, and read-only views of the campaign's creators and agent runs."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response, status

from agents.brief.service import BriefConversation, BriefView
from agents.llm.factory import get_chat_model
from api.deps import ManagerDep, SessionDep
from api.pagination import PageDep
from api.schemas.campaigns import (
    BriefConfirmIn,
    BriefMessageIn,
    BriefMessageOut,
    BriefOut,
    BriefTurnOut,
    CampaignCreate,
    CampaignOut,
    CampaignPage,
    CampaignUpdate,
    InvitationOut,
    InviteIn,
    ParticipantOut,
    RunOut,
)
from store.campaigns.brief import CampaignBrief
from store.campaigns.service import CampaignChanges, CampaignService
from store.models import CampaignStatus
from store.users.repository import UserRepository

router = APIRouter(prefix="/campaigns", tags=["campaigns"])


@router.post("/", response_model=CampaignOut, status_code=status.HTTP_201_CREATED)
async def create_campaign(body: CampaignCreate, principal: ManagerDep, session: SessionDep) -> Any:
    return await CampaignService(session).create(principal.organization_id, principal.id, name=body.name,
                                                 description=body.description or "",
                                                 brief=body.brief or CampaignBrief(), brand_name=body.brand_name,
                                                 campaign_type=body.campaign_type)


@router.get("/", response_model=CampaignPage)
async def list_campaigns(principal: ManagerDep, session: SessionDep, page: PageDep,
                         status_filter: Annotated[CampaignStatus | None, Query(alias="status")] = None,
                         q: Annotated[str | None, Query(max_length=200, description="name contains")] = None) -> Any:
    limit, offset = page.limit, page.offset
    items, total = await CampaignService(session).page(principal.organization_id, status=status_filter, query=q,
                                                       limit=limit, offset=offset)
    return CampaignPage(items=[CampaignOut.model_validate(item) for item in items], total=total, limit=limit,
                        offset=offset)


@router.get("/{campaign_id}", response_model=CampaignOut)
async def get_campaign(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    return await CampaignService(session).get(principal.organization_id, campaign_id)


@router.put("/{campaign_id}", response_model=CampaignOut)
async def update_campaign(campaign_id: uuid.UUID, body: CampaignUpdate, principal: ManagerDep,
                          session: SessionDep) -> Any:
    changes = CampaignChanges(name=body.name, description=body.description, status=body.status,
                              brief_patch=body.brief.patch() if body.brief else None, brand_name=body.brand_name,
                              campaign_type=body.campaign_type)
    return await CampaignService(session).update(principal.organization_id, campaign_id, changes)


@router.delete("/{campaign_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_campaign(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Response:
    await CampaignService(session).delete(principal.organization_id, campaign_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{campaign_id}/invite", response_model=InvitationOut, status_code=status.HTTP_201_CREATED)
async def invite_creator(campaign_id: uuid.UUID, body: InviteIn, principal: ManagerDep, session: SessionDep) -> Any:
    organization = (await UserRepository(session).get_organization(principal.organization_id)
                    if principal.organization_id else None)
    invitation = await CampaignService(session).invite(
        principal.organization_id, principal.id, campaign_id, body.creator_id, note=body.message,
        send_email=body.send_email, organization_name=organization.name if organization else "Influency")
    participation, message = invitation.participation, invitation.message
    return InvitationOut(campaign_id=participation.campaign_id, creator_id=participation.creator_id,
                         status=participation.status, invited_at=participation.invited_at,
                         message_id=message.id if message else None,
                         message_status=str(message.status) if message else None)


@router.get("/{campaign_id}/creators", response_model=list[ParticipantOut])
async def campaign_creators(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    rows = await CampaignService(session).participants(principal.organization_id, campaign_id)
    return [ParticipantOut(creator_id=creator.id, display_name=creator.display_name, status=row.status,
                           source=row.source, score=row.score, reasons=row.reasons, invited_at=row.invited_at,
                           responded_at=row.responded_at) for row, creator in rows]


@router.get("/{campaign_id}/runs", response_model=list[RunOut])
async def campaign_runs(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    return await CampaignService(session).runs(principal.organization_id, campaign_id)


@router.post("/{campaign_id}/runs/{run_id}/retry", response_model=RunOut)
async def retry_campaign_run(campaign_id: uuid.UUID, run_id: uuid.UUID, principal: ManagerDep,
                             session: SessionDep) -> Any:
    """Continue a `failed` or `needs_attention` run from its last checkpoint (409 `run_not_retryable` otherwise)."""
    return await CampaignService(session).retry_run(principal.organization_id, campaign_id, run_id)


# ------------------------------------------------------------------------------------------ the brief
def _brief_out(view: BriefView) -> dict[str, Any]:
    confirmed = view.campaign.brief_confirmed_at
    return {"campaign_id": view.campaign.id, "brief": view.brief.model_dump(), "missing_fields": view.missing_fields,
            "status": "confirmed" if confirmed else ("collecting" if view.missing_fields else "complete"),
            "confirmed_at": confirmed, "run_id": view.run_id,
            "messages": [BriefMessageOut.model_validate(message) for message in view.messages]}


@router.post("/{campaign_id}/brief/messages", response_model=BriefTurnOut)
async def post_brief_message(campaign_id: uuid.UUID, body: BriefMessageIn, principal: ManagerDep,
                             session: SessionDep) -> Any:
    view = await BriefConversation(session, get_chat_model()).post(principal.organization_id, principal.id,
                                                                   campaign_id, body.text)
    return BriefTurnOut(**_brief_out(view), reply=view.reply or "", changed_fields=view.changed_fields,
                        model=view.model, prompt_version=view.prompt_version)


@router.get("/{campaign_id}/brief", response_model=BriefOut)
async def get_brief(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    return BriefOut(**_brief_out(await BriefConversation(session).view(principal.organization_id, campaign_id)))


@router.post("/{campaign_id}/brief/confirm", response_model=BriefOut)
async def confirm_brief(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep,
                        body: Annotated[BriefConfirmIn | None, Body()] = None) -> Any:
    """422 `brief_incomplete` lists what is missing, contract terms included, unless `{"terms_later": true}`."""
    view = await BriefConversation(session).confirm(principal.organization_id, principal.id, campaign_id,
                                                    terms_later=bool(body and body.terms_later))
    return BriefOut(**_brief_out(view))
