"""Processing an approved payment: exactly one payout, one invoice, and the notifications — in one transaction.

Exactly once, however often or concurrently it is called: the payment row is unique per (contract, milestone);
callers queue on the campaign row lock and re-read the payment under its own lock, so every call after the first
finds it `paid` (409 `payment_already_processed`; with the same Idempotency-Key the first response is replayed);
and the provider gets the payment's idempotency key (`payout:<contract>:<milestone>`), so even a payout whose
transaction died after the provider accepted it is not paid twice on retry (only after the provider refused a
payout, which moved no money, does the next attempt use a new key).

The invoice (a self-billing invoice: the brand issues it for the creator) takes the organization's next gapless
number in the same transaction; its PDF is stored; the creator is emailed through the outbox (a `Message` in their
conversation) and the manager by the `payments.notify_manager` job. A refused payout is recorded (`failed`, with
the reason) and answered 502; it can be processed again. A creator without a `payout_account` where the provider
needs one (Stripe) is a 409 `payout_account_missing` and changes nothing.

The payment provider and the documents (`ContractDocuments`: invoice PDF + storage) are passed in by the caller,
which also closes the provider.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound, Unauthorized
from store.campaigns.repository import CampaignRepository
from store.contracts.documents import ContractDocuments
from store.contracts.notifications import queue_creator_message
from store.contracts.service import ContractService
from store.contracts.template import contract_terms
from store.contracts.terms import ContractTerms
from store.invoices.document import InvoiceDocument, InvoiceLine, InvoiceParty
from store.invoices.numbering import allocate_invoice_number
from store.jobs import PAYMENTS_NOTIFY_MANAGER, InvoiceNotify
from store.models import Contract, Creator, Invoice, MessageChannel, Payment, PaymentStatus, User, UserRole
from store.outbox.repository import OutboxRepository
from store.payments.provider import PaymentProvider, PayoutFailed, PayoutRequest, PayoutStatus
from store.payments.service import PaymentService, money_of


@dataclass(frozen=True)
class ProcessedPayment:
    payment: Payment
    invoice: Invoice


def payout_key(payment: Payment) -> str:
    """The provider idempotency key: the payment's own (`payout:<contract>:<milestone>`); after the provider
    refused it (no money moved) a fresh one per retry, since the provider replays a refusal for the same key."""
    if payment.status == PaymentStatus.failed:
        return f"{payment.payout_idempotency_key}:retry-{payment.attempts}"
    return payment.payout_idempotency_key


async def process_payment(session: AsyncSession, organization_id: uuid.UUID | None, payment_id: uuid.UUID, *,
                          provider: PaymentProvider, documents: ContractDocuments,
                          today: date | None = None) -> ProcessedPayment:
    payments = PaymentService(session)
    payment, contract, _ = await payments.lock_for_payout(organization_id, payment_id)
    creator = await CampaignRepository(session).creator(payment.creator_id)
    money = money_of(payment)
    try:
        result = await provider.payout(PayoutRequest(
            amount=money.amount, currency=money.currency, payee=f"creator:{payment.creator_id}",
            payout_account=creator.payout_account if creator else None, reference=f"payment:{payment.id}",
            idempotency_key=payout_key(payment)))
        if result.status == PayoutStatus.failed:
            raise PayoutFailed(f"The provider reports payout {result.provider_reference} as failed",
                               details={"provider_reference": result.provider_reference})
    except PayoutFailed as exc:
        await payments.mark_failed(payment, provider.name, exc.message)
        exc.keep_changes = True  # the failure is recorded even though the request fails
        raise
    await payments.mark_paid(payment, result.provider, result.provider_reference)
    terms = contract_terms(contract)
    invoice = await _issue_invoice(session, documents, payment, contract, terms, result.provider_reference,
                                   today or datetime.now(UTC).date())
    await _notify(session, contract, payment, invoice, creator, terms)
    if await payments.all_paid(contract.id):
        await ContractService(session).complete(contract)
    return ProcessedPayment(payment=payment, invoice=invoice)


async def _issue_invoice(session: AsyncSession, documents: ContractDocuments, payment: Payment, contract: Contract,
                         terms: ContractTerms, payout_reference: str, issued_on: date) -> Invoice:
    number = await allocate_invoice_number(session, contract.organization_id, issued_on)
    money = money_of(payment)
    stored = await documents.store_invoice_pdf(str(contract.organization_id), InvoiceDocument(
        number=number.formatted, issued_on=issued_on,
        supplier=InvoiceParty(terms.creator.legal_name, terms.creator.address, terms.creator.email),
        customer=InvoiceParty(terms.brand.legal_name, terms.brand.address, terms.brand.email),
        lines=[InvoiceLine(f"{payment.description} — contract {contract.reference}", money)],
        contract_reference=contract.reference, payout_reference=payout_reference, title="Self-billing invoice"))
    return await PaymentService(session).add_invoice(Invoice(
        organization_id=contract.organization_id, payment_id=payment.id, contract_id=contract.id,
        sequence=number.sequence, number=number.formatted, issued_on=issued_on, amount=money.amount,
        currency=money.currency, document_key=stored.key, document_sha256=stored.sha256))


async def _notify(session: AsyncSession, contract: Contract, payment: Payment, invoice: Invoice,
                  creator: Creator | None, terms: ContractTerms) -> None:
    money = money_of(payment)
    if creator is not None and creator.email:
        await queue_creator_message(
            session, contract, channel=MessageChannel.email, to_address=creator.email,
            subject=f"Payment sent: {money} (invoice {invoice.number})",
            body_text=(f"Hi {terms.creator.legal_name},\n\n{terms.brand.legal_name} has paid you {money} for "
                       f"{payment.description} under contract {contract.reference} (payout reference "
                       f"{payment.provider_reference}).\n\nSelf-billing invoice {invoice.number} dated "
                       f"{invoice.issued_on.isoformat()} records the payment; download it from your account "
                       f"(Payments).\n\nThank you!\n{terms.brand.legal_name}"),
            idempotency_key=f"invoice:{invoice.id}:creator")
    await OutboxRepository(session).enqueue(PAYMENTS_NOTIFY_MANAGER, InvoiceNotify(invoice_id=invoice.id),
                                            f"invoice-notify:{invoice.id}")


async def invoice_pdf(session: AsyncSession, user: User | None, payment_id: uuid.UUID, *,
                      documents: ContractDocuments) -> tuple[Invoice, bytes]:
    """A paid payment's invoice, for a manager of the organization or the creator it paid."""
    if user is None:
        raise Unauthorized()
    payments = PaymentService(session)
    if user.role == UserRole.creator:
        creator = await ContractService(session).creator_of_user(user.id)
        payment = await payments.payments.get(payment_id)
        if payment is None or creator is None or payment.creator_id != creator.id:
            raise NotFound("Payment not found", code="payment_not_found")
    else:
        payment = await payments.get(user.organization_id, payment_id)
    invoice = await payments.invoice_for(payment)
    if invoice is None:
        raise NotFound("This payment has no invoice yet: it is issued when the payment is processed",
                       code="invoice_not_found")
    return invoice, await documents.load_stored(invoice.document_key, invoice.document_sha256)
