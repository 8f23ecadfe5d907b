"""/creators/me/campaigns: a creator's invitations, and accepting or declining them."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from api.deps import CreatorDep, SessionDep
from api.schemas.campaigns import CreatorBriefOut, CreatorCampaignOut
from store.campaigns.brief import brief_of
from store.campaigns.service import CampaignService
from store.models import Campaign, CampaignCreator

router = APIRouter(prefix="/creators/me/campaigns", tags=["creator campaigns"])


def _out(participation: CampaignCreator, campaign: Campaign) -> CreatorCampaignOut:
    return CreatorCampaignOut(
        campaign_id=campaign.id, name=campaign.name, description=campaign.description,
        campaign_status=campaign.status, invitation_status=participation.status,
        invited_at=participation.invited_at, responded_at=participation.responded_at,
        brief=CreatorBriefOut.model_validate(brief_of(campaign).model_dump(include=set(CreatorBriefOut.model_fields))))


@router.get("", response_model=list[CreatorCampaignOut])
async def my_campaigns(principal: CreatorDep, session: SessionDep) -> Any:
    return [_out(*row) for row in await CampaignService(session).campaigns_for_creator(principal.id)]


@router.post("/{campaign_id}/accept", response_model=CreatorCampaignOut)
async def accept(campaign_id: uuid.UUID, principal: CreatorDep, session: SessionDep) -> Any:
    return _out(*await CampaignService(session).answer_invitation(principal.id, campaign_id, accept=True))


@router.post("/{campaign_id}/decline", response_model=CreatorCampaignOut)
async def decline(campaign_id: uuid.UUID, principal: CreatorDep, session: SessionDep) -> Any:
    return _out(*await CampaignService(session).answer_invitation(principal.id, campaign_id, accept=False))
