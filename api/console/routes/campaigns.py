"""Campaigns: the list (and a new one), and a campaign's page. The page's sections load on their own (one
service call each, the same the API's routers make): shortlist with match explanations, conversations per
creator, negotiations, contracts and signatures, payments and invoices, deliverables, budget and analytics."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from api.console.pages import ConsoleRoute, redirect, render
from api.console.session import ConsolePrincipal, ManagerPage, verify_csrf
from api.deps import SessionDep
from api.integrations import DocumentsDep
from core.errors import DomainError
from store.analytics.service import AnalyticsService
from store.campaigns.brief import CampaignBrief
from store.campaigns.service import CampaignService
from store.campaigns.threads import campaign_thread
from store.contracts.service import ContractService
from store.contracts.signing import CONSENT_TEXT, SignatureIn, countersign_contract
from store.deliverables.service import DeliverableService
from store.negotiations.service import NegotiationService
from store.payments.payouts import invoice_pdf
from store.payments.service import PaymentService

router = APIRouter(prefix="/app", route_class=ConsoleRoute, dependencies=[Depends(verify_csrf)])
SECTIONS = ("shortlist", "negotiations", "contracts", "payments", "deliverables", "analytics")


@router.get("/campaigns")
async def campaigns(request: Request, principal: ManagerPage, session: SessionDep) -> Response:
    items, total = await CampaignService(session).page(principal.organization_id, status=None, query=None,
                                                       limit=200, offset=0)
    return render(request, "campaigns.html", {"campaigns": items, "total": total})


@router.post("/campaigns")
async def create_campaign(request: Request, principal: ManagerPage, session: SessionDep,
                          name: Annotated[str, Form(min_length=1, max_length=200)]) -> Response:
    campaign = await CampaignService(session).create(principal.organization_id, principal.id, name=name,
                                                     description="", brief=CampaignBrief(), brand_name=None,
                                                     campaign_type=None)
    return redirect(f"/app/campaigns/{campaign.id}/brief", request)


@router.get("/campaigns/{campaign_id}")
async def campaign_page(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                        session: SessionDep) -> Response:
    campaign = await CampaignService(session).get(principal.organization_id, campaign_id)
    return render(request, "campaign.html", {"campaign": campaign, "sections": SECTIONS})


@router.get("/campaigns/{campaign_id}/shortlist")
async def shortlist(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                    session: SessionDep) -> Response:
    rows = await CampaignService(session).participants(principal.organization_id, campaign_id)
    return render(request, "sections/shortlist.html", {"rows": rows, "campaign_id": campaign_id})


@router.get("/campaigns/{campaign_id}/threads/{creator_id}")
async def thread(request: Request, campaign_id: uuid.UUID, creator_id: uuid.UUID, principal: ManagerPage,
                 session: SessionDep) -> Response:
    messages = await campaign_thread(session, principal.organization_id, campaign_id, creator_id)
    return render(request, "sections/thread.html", {"messages": messages})


@router.get("/campaigns/{campaign_id}/negotiations")
async def negotiations(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                       session: SessionDep) -> Response:
    rows = await NegotiationService(session).for_campaign(principal.organization_id, campaign_id)
    return render(request, "sections/negotiations.html", {"rows": rows})


@router.get("/campaigns/{campaign_id}/contracts")
async def contracts(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                    session: SessionDep) -> Response:
    rows, _ = await ContractService(session).page(principal.organization_id, campaign_id=campaign_id,
                                                  creator_id=None, status=None, limit=200, offset=0)
    return render(request, "sections/contracts.html", {"rows": rows, "consent": CONSENT_TEXT})


@router.get("/campaigns/{campaign_id}/payments")
async def payments(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                   session: SessionDep) -> Response:
    rows, _ = await PaymentService(session).page(principal.organization_id, campaign_id=campaign_id,
                                                 creator_id=None, contract_id=None, status=None, limit=200, offset=0)
    return render(request, "sections/payments.html", {"rows": rows})


@router.get("/campaigns/{campaign_id}/deliverables")
async def deliverables(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                       session: SessionDep) -> Response:
    rows, _ = await DeliverableService(session).page(principal.organization_id, campaign_id=campaign_id,
                                                     contract_id=None, status=None, limit=200, offset=0)
    return render(request, "sections/deliverables.html", {"rows": rows})


@router.get("/campaigns/{campaign_id}/analytics")
async def analytics(request: Request, campaign_id: uuid.UUID, principal: ManagerPage,
                    session: SessionDep) -> Response:
    try:
        figures = await AnalyticsService(session).campaign(principal.organization_id, campaign_id)
    except DomainError as exc:  # e.g. no budget or currency yet: the section says so, the page stands
        return render(request, "sections/analytics.html", {"figures": None, "problem": exc.message})
    return render(request, "sections/analytics.html", {"figures": figures, "problem": None})


@router.post("/contracts/{contract_id}/countersign")
async def countersign(request: Request, contract_id: uuid.UUID, principal: ManagerPage, session: SessionDep,
                      documents: DocumentsDep, full_name: Annotated[str, Form(max_length=200)],
                      document_sha256: Annotated[str, Form(max_length=64)],
                      consent: Annotated[str | None, Form(max_length=5)] = None) -> Response:
    view = await countersign_contract(session, contract_id, principal.user, SignatureIn(
        full_name=full_name, consent=bool(consent), document_sha256=document_sha256,
        ip_address=request.client.host if request.client else None, user_agent=request.headers.get("user-agent")),
        documents=documents)
    return render(request, "_flash_ok.html", {"message": f"Countersigned: the contract is {view.contract.status}."})


@router.post("/deliverables/{deliverable_id}/review")
async def review(request: Request, deliverable_id: uuid.UUID, principal: ManagerPage, session: SessionDep,
                 action: Annotated[str, Form(pattern="^(approve|request_changes)$")],
                 feedback: Annotated[str | None, Form(max_length=4000)] = None) -> Response:
    deliverable = await DeliverableService(session).review(principal.organization_id, deliverable_id,
                                                           approve=action == "approve", feedback=feedback,
                                                           reviewer_id=principal.id)
    return render(request, "_flash_ok.html", {"message": f"{deliverable.key}: {deliverable.status}."})


@router.get("/payments/{payment_id}/invoice")
async def invoice(payment_id: uuid.UUID, principal: ConsolePrincipal, session: SessionDep,
                  documents: DocumentsDep) -> Response:
    """The invoice PDF, for a manager of the organization or the creator it paid (the same rule as the API)."""
    document, data = await invoice_pdf(session, principal.user, payment_id, documents=documents)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{document.number}.pdf"'})
