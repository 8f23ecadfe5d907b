"""Negotiation endpoints: a creator answers in the app (one more inbound channel into the conversation's
negotiation thread), a manager reads the negotiation records of a campaign, sets its follow-up rules, and reads
notifications (terms agreed)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, status

from api.deps import CreatorDep, ManagerDep, SessionDep
from api.pagination import PageDep
from api.schemas.negotiation import (
    CreatorMessageIn,
    CreatorMessageOut,
    FollowUpSettingsIn,
    FollowUpSettingsOut,
    NegotiationOut,
    NotificationOut,
    NotificationPage,
)
from core.errors import NotFound
from store.followups.service import FollowUpService
from store.inbound.service import InboundService
from store.negotiations.service import NegotiationService
from store.notifications.service import NotificationService

router = APIRouter(tags=["negotiation"])


@router.post("/creators/me/campaigns/{campaign_id}/negotiate", response_model=CreatorMessageOut,
             status_code=status.HTTP_202_ACCEPTED, summary="Answer about a campaign (the agent replies later)")
async def negotiate(campaign_id: uuid.UUID, body: CreatorMessageIn, principal: CreatorDep,
                    session: SessionDep) -> Any:
    conversation, message, outcome = await InboundService(session).creator_message(principal.id, campaign_id,
                                                                                 body.text)
    return CreatorMessageOut(conversation_id=conversation.id, message_id=message.id if message else None,
                             outcome=outcome)


@router.get("/campaigns/{campaign_id}/negotiations", response_model=list[NegotiationOut],
            summary="Negotiation records of a campaign (terms as they stand; agreed ones feed contracts)")
async def negotiations(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    return await NegotiationService(session).for_campaign(principal.organization_id, campaign_id)


@router.put("/campaigns/{campaign_id}/follow-ups", response_model=FollowUpSettingsOut,
            summary="Follow-up rules: days without a reply before a follow-up draft, and the cap per creator")
async def follow_up_settings(campaign_id: uuid.UUID, body: FollowUpSettingsIn, principal: ManagerDep,
                             session: SessionDep) -> Any:
    campaign = await FollowUpService(session).configure(principal.organization_id, campaign_id,
                                                        after_days=body.after_days, max_count=body.max_count)
    return FollowUpSettingsOut(campaign_id=campaign.id, after_days=campaign.follow_up_after_days,
                               max_count=campaign.follow_up_max)


@router.get("/notifications", response_model=NotificationPage, tags=["notifications"],
            summary="Notifications for the manager's organization, newest first")
async def notifications(principal: ManagerDep, session: SessionDep, page: PageDep) -> Any:
    limit, offset = page.limit, page.offset
    if principal.organization_id is None:
        raise NotFound("No organization", code="no_organization")
    items, total = await NotificationService(session).page(principal.organization_id, limit, offset)
    return NotificationPage(items=[NotificationOut.model_validate(item) for item in items], total=total)
