"""The conversational brief: a chat with the brief agent (`BriefConversation.post`, as `POST
/campaigns/{id}/brief/messages`), the structured brief beside it with the fields still missing, and Confirm."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from agents.brief.service import BriefConversation, BriefView
from agents.llm.factory import get_chat_model
from api.console.pages import ConsoleRoute, redirect, render
from api.console.session import ManagerPage, verify_csrf
from api.deps import SessionDep

router = APIRouter(prefix="/app/campaigns", route_class=ConsoleRoute, dependencies=[Depends(verify_csrf)])


def _context(view: BriefView) -> dict[str, object]:
    brief = view.brief
    return {"view": view, "campaign": view.campaign, "fields": brief.model_dump(mode="json", exclude_none=True),
            "missing_terms": [] if brief.terms_later else brief.missing_terms(),
            "changed": set(view.changed_fields), "confirmed": view.campaign.brief_confirmed_at is not None}


@router.get("/{campaign_id}/brief")
async def brief_page(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                     session: SessionDep) -> Response:
    view = await BriefConversation(session).view(principal.organization_id, campaign_id)
    return render(request, "brief.html", _context(view))


@router.post("/{campaign_id}/brief/messages")
async def brief_message(request: Request, campaign_id: uuid.UUID, principal: ManagerPage, session: SessionDep,
                        text: Annotated[str, Form(min_length=1, max_length=4000)]) -> Response:
    view = await BriefConversation(session, get_chat_model()).post(principal.organization_id, principal.id,
                                                                   campaign_id, text)
    return render(request, "_brief_body.html" if request.headers.get("hx-request") == "true" else "brief.html",
                  _context(view))


@router.post("/{campaign_id}/brief/confirm")
async def brief_confirm(request: Request, campaign_id: uuid.UUID, principal: ManagerPage, session: SessionDep,
                        terms_later: Annotated[str | None, Form(max_length=5)] = None) -> Response:
    await BriefConversation(session).confirm(principal.organization_id, principal.id, campaign_id,
                                             terms_later=bool(terms_later))
    return redirect(f"/app/campaigns/{campaign_id}", request)
