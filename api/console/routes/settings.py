"""Do-not-contact list (list, add, remove: `DoNotContactService`, as `/do-not-contact`), follow-up rules per
campaign (`FollowUpService.configure`, as `PUT /campaigns/{id}/follow-ups`) and the organization's members."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from starlette.responses import Response

from api.console.pages import ConsoleRoute, redirect, render
from api.console.session import ManagerPage, verify_csrf
from api.deps import SessionDep
from store.campaigns.service import CampaignService
from store.contacts.service import DoNotContactService
from store.followups.service import FollowUpService
from store.models import BlockSource
from store.users.repository import UserRepository

router = APIRouter(prefix="/app", route_class=ConsoleRoute, dependencies=[Depends(verify_csrf)])


@router.get("/do-not-contact")
async def do_not_contact(request: Request, principal: ManagerPage, session: SessionDep,
                         offset: Annotated[int, Query(ge=0)] = 0) -> Response:
    entries, total = await DoNotContactService(session).list_scope(principal.organization_id, None, 100, offset)
    return render(request, "do_not_contact.html", {"entries": entries, "total": total, "offset": offset})


@router.post("/do-not-contact")
async def block(request: Request, principal: ManagerPage, session: SessionDep,
                channel: Annotated[Literal["email", "whatsapp"], Form()],
                address: Annotated[str, Form(min_length=3, max_length=320)],
                reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    await DoNotContactService(session).block(channel, address.strip(), source=BlockSource.manager,
                                             organization_id=principal.organization_id, creator_id=None,
                                             reason=reason.strip(), created_by_user_id=principal.id)
    return redirect("/app/do-not-contact", request)


@router.post("/do-not-contact/{entry_id}/remove")
async def unblock(request: Request, entry_id: uuid.UUID, principal: ManagerPage, session: SessionDep) -> Response:
    await DoNotContactService(session).unblock(entry_id, principal.organization_id)
    return redirect("/app/do-not-contact", request)


@router.get("/settings")
async def settings_page(request: Request, principal: ManagerPage, session: SessionDep) -> Response:
    campaigns, _ = await CampaignService(session).page(principal.organization_id, status=None, query=None,
                                                       limit=200, offset=0)
    members = await UserRepository(session).members(principal.organization_id)
    return render(request, "settings.html", {"campaigns": campaigns, "members": members,
                                             "chosen": request.query_params.get("campaign")})


@router.post("/settings/follow-ups")
async def follow_ups(request: Request, principal: ManagerPage, session: SessionDep,
                     campaign_id: Annotated[uuid.UUID, Form()],
                     after_days: Annotated[int | None, Form(ge=0, le=90)] = None,
                     max_count: Annotated[int | None, Form(ge=0, le=10)] = None) -> Response:
    await FollowUpService(session).configure(principal.organization_id, campaign_id, after_days=after_days,
                                             max_count=max_count)
    return redirect(f"/app/settings?campaign={campaign_id}", request)



