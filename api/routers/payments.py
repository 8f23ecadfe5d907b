"""/payments: a manager's payments (filters: campaign, creator, contract, status), processing an approved one
(exactly one payout and one invoice, however often or concurrently it is called; `Idempotency-Key` honoured like
Stripe's), asking again for a refused approval, the invoice PDF, and a campaign's budget figures."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from api.deps import AccountDep, ManagerDep, SessionDep
from api.idempotency import IdempotencyDep
from api.integrations import DocumentsDep, PaymentProviderDep
from api.pagination import PageDep
from api.schemas.payments import BudgetOut, InvoiceOut, PaymentOut, PaymentPage
from core.money import Money
from store.contracts.service import ContractService
from store.models import Invoice, Payment, PaymentStatus
from store.payments.payouts import invoice_pdf, process_payment
from store.payments.service import PaymentService, money_of

router = APIRouter(tags=["payments"])
PDF = "application/pdf"


def payment_out(payment: Payment, invoice: Invoice | None) -> PaymentOut:
    return PaymentOut(
        id=payment.id, campaign_id=payment.campaign_id, contract_id=payment.contract_id,
        creator_id=payment.creator_id, deliverable_id=payment.deliverable_id, milestone_key=payment.milestone_key,
        kind=payment.kind, trigger=payment.trigger, description=payment.description, amount=money_of(payment),
        status=payment.status, due_on=payment.due_on, approval_id=payment.approval_id,
        approved_at=payment.approved_at, provider=payment.provider, provider_reference=payment.provider_reference,
        failure_reason=payment.failure_reason, paid_at=payment.paid_at, created_at=payment.created_at,
        invoice=InvoiceOut(id=invoice.id, number=invoice.number, issued_on=invoice.issued_on,
                           amount=Money.of(invoice.amount, invoice.currency), document_sha256=invoice.document_sha256,
                           download_url=f"/payments/{payment.id}/invoice") if invoice else None)


@router.get("/payments/", response_model=PaymentPage)
@router.get("/payments", response_model=PaymentPage, include_in_schema=False)
async def list_payments(principal: ManagerDep, session: SessionDep, page: PageDep,
                        campaign_id: Annotated[uuid.UUID | None, Query()] = None,
                        creator_id: Annotated[uuid.UUID | None, Query()] = None,
                        contract_id: Annotated[uuid.UUID | None, Query()] = None,
                        status: Annotated[PaymentStatus | None, Query()] = None) -> Any:
    limit, offset = page.limit, page.offset
    rows, total = await PaymentService(session).page(principal.organization_id, campaign_id=campaign_id,
                                                     creator_id=creator_id, contract_id=contract_id, status=status,
                                                     limit=limit, offset=offset)
    return PaymentPage(items=[payment_out(*row) for row in rows], total=total, limit=limit, offset=offset)


@router.get("/payments/{payment_id}", response_model=PaymentOut)
async def get_payment(payment_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    service = PaymentService(session)
    payment = await service.get(principal.organization_id, payment_id)
    return payment_out(payment, await service.invoice_for(payment))


@router.post("/payments/{payment_id}/process", response_model=PaymentOut)
async def process(payment_id: uuid.UUID, principal: ManagerDep, session: SessionDep, idempotency: IdempotencyDep,
                  provider: PaymentProviderDep, documents: DocumentsDep) -> Response:
    async def effect() -> PaymentOut:
        processed = await process_payment(session, principal.organization_id, payment_id, provider=provider,
                                          documents=documents)
        return payment_out(processed.payment, processed.invoice)

    return await idempotency.run(session, effect)


@router.post("/payments/{payment_id}/request-approval", response_model=PaymentOut)
async def request_approval(payment_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    service = PaymentService(session)
    payment = await service.get(principal.organization_id, payment_id)
    contract = await ContractService(session).for_manager(principal.organization_id, payment.contract_id)
    return payment_out(await service.request_approval(principal.organization_id, payment_id, contract), None)


@router.get("/payments/{payment_id}/invoice", response_class=Response,
            responses={200: {"content": {PDF: {}}, "description": "the invoice PDF"}})
async def get_invoice(payment_id: uuid.UUID, account: AccountDep, session: SessionDep,
                      documents: DocumentsDep) -> Response:
    invoice, data = await invoice_pdf(session, account, payment_id, documents=documents)
    return Response(data, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{invoice.number}.pdf"'})


@router.get("/campaigns/{campaign_id}/budget", response_model=BudgetOut, tags=["campaigns"])
async def campaign_budget(campaign_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> Any:
    budget = await PaymentService(session).budget(principal.organization_id, campaign_id, lock=False)
    return BudgetOut(campaign_id=campaign_id, currency=budget.currency, total=budget.total,
                     committed=budget.committed, paid=budget.paid, remaining=budget.remaining,
                     outstanding=budget.outstanding)
