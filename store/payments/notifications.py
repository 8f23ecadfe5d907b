"""The manager's notice that a payment went out: who gets it and what it says (`payments.notify_manager` sends it).
The recipient is the manager who approved the payment, else the campaign's manager."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from store.approvals.repository import ApprovalRepository
from store.campaigns.repository import CampaignRepository
from store.contracts.repository import ContractRepository
from store.payments.repository import PaymentRepository
from store.payments.service import money_of
from store.users.repository import UserRepository


@dataclass(frozen=True)
class InvoiceNotice:
    invoice_id: uuid.UUID
    to_address: str
    to_name: str
    subject: str
    text: str


async def invoice_notice(session: AsyncSession, invoice_id: uuid.UUID) -> InvoiceNotice | None:
    """The notice to send, with the invoice row locked; None when it was sent already or has no recipient."""
    payments = PaymentRepository(session)
    invoice = await payments.invoice(invoice_id, for_update=True)
    if invoice is None or invoice.manager_notified_at is not None:
        return None
    payment = await payments.get(invoice.payment_id)
    contract = await ContractRepository(session).get(invoice.contract_id)
    if payment is None or contract is None:
        return None
    campaign = await CampaignRepository(session).get_any_tenant(contract.campaign_id)
    approval = await ApprovalRepository(session).get(payment.approval_id) if payment.approval_id else None
    users = UserRepository(session)
    recipient_id = (approval.decided_by_id if approval else None) or (campaign.created_by_id if campaign else None)
    manager = await users.get(recipient_id) if recipient_id else None
    if manager is None:
        return None
    money = money_of(payment)
    campaign_name = campaign.name if campaign else "the campaign"
    return InvoiceNotice(
        invoice_id=invoice.id, to_address=manager.email, to_name=manager.full_name,
        subject=f"Paid {money}: {payment.description} (invoice {invoice.number})",
        text=(f"Hi {manager.full_name},\n\nThe payment you approved has been paid out: {money} for "
              f"{payment.description}, contract {contract.reference} ({campaign_name}).\n"
              f"Payout reference: {payment.provider_reference} ({payment.provider}).\n"
              f"Invoice {invoice.number}, dated {invoice.issued_on.isoformat()}: GET /payments/{payment.id}/invoice"
              "\n\nInfluency"))


async def record_notice(session: AsyncSession, invoice_id: uuid.UUID, *, sent: bool, error: str | None) -> None:
    invoice = await PaymentRepository(session).invoice(invoice_id, for_update=True)
    if invoice is None:
        return
    if sent:
        invoice.manager_notified_at, invoice.manager_notification_error = datetime.now(UTC), None
    else:
        invoice.manager_notification_error = error
    await session.flush()
