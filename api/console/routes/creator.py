"""A creator's pages: invitations (accept / decline), replying about a campaign (the negotiation agent answers),
the contract (read, download, sign through the same single-use signing rules as the API), deliverables (submit)
and payments made to them with their invoices."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from pydantic import AnyHttpUrl, TypeAdapter, ValidationError
from starlette.responses import Response

from api.console.pages import ConsoleRoute, redirect, render
from api.console.session import CreatorPage, verify_csrf
from api.deps import SessionDep
from api.integrations import DocumentsDep, ESignDep
from core.errors import InvalidInput
from store.campaigns.service import CampaignService
from store.contracts.service import ContractService
from store.contracts.signing import (
    CONSENT_TEXT,
    Caller,
    SignatureIn,
    creator_contract_document,
    describe_contract,
    sign_contract,
)
from store.deliverables.service import DeliverableService, Submission
from store.inbound.service import InboundService
from store.payments.creator_view import payments_for_creator_user

router = APIRouter(prefix="/app/me", route_class=ConsoleRoute, dependencies=[Depends(verify_csrf)])


@router.get("")
async def my_home(request: Request, principal: CreatorPage, session: SessionDep) -> Response:
    rows = await CampaignService(session).campaigns_for_creator(principal.id)
    return render(request, "creator_home.html", {"rows": rows})


@router.post("/campaigns/{campaign_id}/answer")
async def answer(request: Request, campaign_id: uuid.UUID, principal: CreatorPage, session: SessionDep,
                 answer: Annotated[str, Form(pattern="^(accept|decline)$")]) -> Response:
    await CampaignService(session).answer_invitation(principal.id, campaign_id, accept=answer == "accept")
    return redirect("/app/me", request)


@router.post("/campaigns/{campaign_id}/reply")
async def reply(request: Request, campaign_id: uuid.UUID, principal: CreatorPage, session: SessionDep,
                text: Annotated[str, Form(min_length=1, max_length=4000)]) -> Response:
    await InboundService(session).creator_message(principal.id, campaign_id, text)
    return render(request, "_flash_ok.html", {"message": "Sent. The brand's team will answer here and by email."})


@router.get("/campaigns/{campaign_id}/contract")
async def contract_page(request: Request, campaign_id: uuid.UUID, principal: CreatorPage,
                        session: SessionDep) -> Response:
    contract = await ContractService(session).for_creator_campaign(principal.id, campaign_id)
    view = await describe_contract(session, contract)
    return render(request, "creator_contract.html", {"view": view, "contract": contract, "consent": CONSENT_TEXT,
                                                     "campaign_id": campaign_id})


@router.get("/campaigns/{campaign_id}/contract.pdf")
async def contract_pdf(campaign_id: uuid.UUID, principal: CreatorPage, session: SessionDep,
                       documents: DocumentsDep) -> Response:
    name, data = await creator_contract_document(session, principal.user, campaign_id, documents=documents)
    return Response(data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.post("/contracts/{contract_id}/sign")
async def sign(request: Request, contract_id: uuid.UUID, principal: CreatorPage, session: SessionDep,
               documents: DocumentsDep, esign: ESignDep, full_name: Annotated[str, Form(max_length=200)],
               document_sha256: Annotated[str, Form(max_length=64)], campaign_id: Annotated[uuid.UUID, Form()],
               consent: Annotated[str | None, Form(max_length=5)] = None) -> Response:
    await sign_contract(session, contract_id, Caller(user=principal.user), SignatureIn(
        full_name=full_name, consent=bool(consent), document_sha256=document_sha256,
        ip_address=request.client.host if request.client else None, user_agent=request.headers.get("user-agent")),
        documents=documents, esign=esign)
    return redirect(f"/app/me/campaigns/{campaign_id}/contract", request)


@router.get("/payments")
async def my_payments(request: Request, principal: CreatorPage, session: SessionDep) -> Response:
    rows = await payments_for_creator_user(session, principal.id)
    return render(request, "creator_payments.html", {"rows": rows})


@router.get("/deliverables")
async def my_deliverables(request: Request, principal: CreatorPage, session: SessionDep) -> Response:
    items, _ = await DeliverableService(session).for_creator_user(principal.id, status=None, limit=200, offset=0)
    return render(request, "creator_deliverables.html", {"items": items})


@router.post("/deliverables/{deliverable_id}/submit")
async def submit(request: Request, deliverable_id: uuid.UUID, principal: CreatorPage, session: SessionDep,
                 post_url: Annotated[str | None, Form(max_length=2000)] = None,
                 content: Annotated[str | None, Form(max_length=20000)] = None) -> Response:
    try:  # the same URL rule as the API's schema
        url = str(TypeAdapter(AnyHttpUrl).validate_python(post_url)) if post_url else None
    except ValidationError as exc:
        raise InvalidInput("The post link must be a web address (https://...)", code="invalid_url") from exc
    await DeliverableService(session).submit(principal.id, deliverable_id,
                                             Submission(post_url=url, content=content or None))
    return redirect("/app/me/deliverables", request)
