"""Payments in the store: scheduling a contract's payments (committing them against the campaign budget), making
them due when their trigger happens, the `payment` approval each payout waits for, and the locked state changes
a payout goes through. Flushes only; the caller's unit of work commits.

Budget rule, enforced here under `SELECT ... FOR UPDATE` on the campaign row (so two decisions can't both spend
the same remainder): approving a contract commits its whole fee (`ensure_can_commit`), approving or processing a
payment must fit what is committed and unpaid (`ensure_can_pay`). The figures come from the payments table:
committed = every payment not cancelled, paid = payments paid (`store/payments/budget.py`).

Lock order, everywhere: approval row (taken by a decision) → campaign row → contract row → payment rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from core.money import Money
from store.agent_runs.repository import AgentRunRepository
from store.approvals.service import ApprovalService, NewApproval
from store.campaigns.brief import brief_of
from store.campaigns.repository import CampaignRepository
from store.contracts.repository import ContractRepository
from store.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Campaign,
    Contract,
    Invoice,
    Payment,
    PaymentStatus,
)
from store.payments.budget import Budget, BudgetExceeded, ensure_can_commit, ensure_can_pay, summarize
from store.payments.repository import PaymentRepository

# Payment triggers (the values of `store.payments.schedule.PaymentTrigger`).
ON_SIGNATURE = "signature"
ON_DELIVERABLE_APPROVED = "deliverable_approved"
ON_ALL_DELIVERABLES_APPROVED = "all_deliverables_approved"
# A payment whose approval can be asked for again: refused, or its approval expired or was cancelled.
REQUESTABLE = (PaymentStatus.pending_approval, PaymentStatus.rejected)


@dataclass(frozen=True)
class PlannedPayment:
    """One installment of an approved contract, as the schedule computed it."""

    milestone_key: str  # advance | milestone:<deliverable key> | final
    kind: str
    trigger: str
    amount: Money
    net_days: int
    description: str
    deliverable_id: uuid.UUID | None
    payout_idempotency_key: str


def money_of(payment: Payment) -> Money:
    return Money.of(payment.amount, payment.currency)


def budget_total(campaign: Campaign) -> Money | None:
    """The campaign's budget from its brief (`budget`, `currency`); None when the brief sets none."""
    brief = brief_of(campaign)
    if brief.budget is None or not brief.currency:
        return None
    try:
        return Money.of(brief.budget, brief.currency)
    except ValueError:  # not a currency code, or more decimals than its minor unit (JPY 10.50)
        return None


class PaymentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.payments = PaymentRepository(session)
        self.campaigns = CampaignRepository(session)

    # ------------------------------------------------------------------ budget
    async def budget(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID, *, lock: bool) -> Budget:
        """Total / committed / paid of a campaign; `lock` holds the campaign row until the transaction ends."""
        campaign = await self.campaigns.get(organization_id, campaign_id, for_update=lock)
        if campaign is None:
            raise NotFound("Campaign not found", code="campaign_not_found")
        total = budget_total(campaign)
        if total is None:
            raise BudgetExceeded("The campaign has no budget: set `budget` and `currency` in its brief first",
                                 code="budget_not_set")
        totals = await self.payments.totals_for_campaign(campaign_id)
        committed = [Money.of(amount, currency) for status, currency, amount in totals
                     if status != PaymentStatus.cancelled]
        paid = [Money.of(amount, currency) for status, currency, amount in totals if status == PaymentStatus.paid]
        return summarize(total, committed, paid)

    async def budget_or_none(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> Budget | None:
        """For display: the figures, or None when the campaign has no (usable) budget."""
        try:
            return await self.budget(organization_id, campaign_id, lock=False)
        except (BudgetExceeded, NotFound, ValueError):
            return None

    # ------------------------------------------------------------------ scheduling (contract approved)
    async def commit_contract(self, contract: Contract, fee: Money, planned: list[PlannedPayment]) -> Budget:
        """Commit the contract's fee against the campaign budget and create its payments; the budget after."""
        budget = ensure_can_commit(await self.budget(contract.organization_id, contract.campaign_id, lock=True), fee)
        for item in planned:
            await self.payments.insert_once({
                "organization_id": contract.organization_id, "campaign_id": contract.campaign_id,
                "contract_id": contract.id, "creator_id": contract.creator_id, "deliverable_id": item.deliverable_id,
                "milestone_key": item.milestone_key, "kind": item.kind, "trigger": item.trigger,
                "description": item.description, "amount": item.amount.amount, "currency": item.amount.currency,
                "net_days": item.net_days, "payout_idempotency_key": item.payout_idempotency_key})
        await self.session.flush()
        return budget

    # ------------------------------------------------------------------ triggers and approvals
    async def make_due(self, contract: Contract, trigger: str, *, deliverable_id: uuid.UUID | None = None,
                       today: date | None = None) -> list[Payment]:
        """Scheduled payments of `contract` with this trigger become due and wait for their approval."""
        today = today or datetime.now(UTC).date()
        due = []
        for payment in await self.payments.for_contract(contract.id, for_update=True):
            if payment.status != PaymentStatus.scheduled or payment.trigger != trigger:
                continue
            if trigger == ON_DELIVERABLE_APPROVED and payment.deliverable_id != deliverable_id:
                continue
            payment.due_on = today + timedelta(days=payment.net_days)
            await self._open_approval(payment, contract)
            due.append(payment)
        return due

    async def request_approval(self, organization_id: uuid.UUID | None, payment_id: uuid.UUID,
                               contract: Contract) -> Payment:
        """Ask again for a payment whose approval was rejected, expired or cancelled."""
        payment = await self.payments.get(payment_id, organization_id, for_update=True)
        if payment is None:
            raise payment_not_found()
        approval = (await ApprovalService(self.session).get_for_run(payment.approval_id)
                    if payment.approval_id else None)
        if payment.status not in REQUESTABLE or (approval is not None and approval.status == ApprovalStatus.pending):
            raise Conflict(f"This payment is {payment.status}"
                           + (" and its approval is still pending" if approval is not None
                              and approval.status == ApprovalStatus.pending else ""),
                           code="payment_not_requestable", details={"status": str(payment.status)})
        await self._open_approval(payment, contract)
        return payment

    async def _open_approval(self, payment: Payment, contract: Contract) -> None:
        run = await AgentRunRepository(self.session).get(contract.run_id) if contract.run_id else None
        if run is None:
            raise Conflict("The contract has no agent run to attach the payment approval to", code="no_contract_run")
        payment.approval_requests += 1
        action_id = f"payment:{payment.id}:{payment.approval_requests}"
        budget = await self.budget_or_none(contract.organization_id, contract.campaign_id)
        approval, _ = await ApprovalService(self.session).open(NewApproval(
            run=run, kind=ApprovalKind.payment, action_id=action_id, creator_id=payment.creator_id,
            request=payment_approval_request(payment, contract, budget, action_id),
            reasoning=f"Due under contract {contract.reference}: {payment.description}. The amount comes from the "
                      "contract's payment schedule; the budget figures are the campaign's right now.",
            model="rules", prompt_version=f"contract:{contract.template_id}@{contract.template_version}"))
        payment.status = PaymentStatus.pending_approval
        payment.approval_id = approval.id
        await self.session.flush()

    async def decide(self, approval: Approval, approve: bool) -> dict[str, Any]:
        """The `payment` approval's effect: approve (if it fits the budget, under the campaign lock) or refuse."""
        found = await self.payments.by_approval(approval.id)
        if found is None:
            raise Conflict("No payment waits for this approval", code="payment_not_pending")
        budget = await self.budget(found.organization_id, found.campaign_id, lock=True) if approve else None
        payment = await self.payments.by_approval(approval.id, for_update=True)
        if payment is None or payment.status != PaymentStatus.pending_approval:
            raise Conflict("This payment no longer waits for approval", code="payment_not_pending")
        if budget is not None:
            after = ensure_can_pay(budget, money_of(payment))
            payment.status, payment.approved_at = PaymentStatus.approved, datetime.now(UTC)
            await self.session.flush()
            return {"payment_id": str(payment.id), "status": str(payment.status),
                    "budget_after_payout": after.as_dict()}
        payment.status = PaymentStatus.rejected
        await self.session.flush()
        return {"payment_id": str(payment.id), "status": str(payment.status)}

    # ------------------------------------------------------------------ payouts
    async def lock_for_payout(self, organization_id: uuid.UUID | None,
                              payment_id: uuid.UUID) -> tuple[Payment, Contract, Budget]:
        """The payment and its contract, locked (campaign → contract → payment) and checked: approved (or failed
        before), and fitting the budget. Concurrent callers queue on the campaign lock; the later ones find the
        payment paid (409 `payment_already_processed`)."""
        found = await self.payments.get(payment_id, organization_id) if organization_id else None
        if found is None:
            raise payment_not_found()
        budget = await self.budget(organization_id, found.campaign_id, lock=True)
        contract = await ContractRepository(self.session).get(found.contract_id, for_update=True)
        payment = await self.payments.get(payment_id, organization_id, for_update=True)
        assert payment is not None and contract is not None
        if payment.status == PaymentStatus.paid:
            invoice = await self.payments.invoice_for_payment(payment.id)
            raise Conflict("This payment has already been paid", code="payment_already_processed",
                           details={"provider_reference": payment.provider_reference,
                                    "invoice_number": invoice.number if invoice else None})
        if payment.status not in (PaymentStatus.approved, PaymentStatus.failed):
            raise Conflict(f"Only an approved payment can be processed; this one is {payment.status}",
                           code="payment_not_approved", details={"status": str(payment.status)})
        ensure_can_pay(budget, money_of(payment))
        return payment, contract, budget

    async def mark_paid(self, payment: Payment, provider: str, provider_reference: str) -> None:
        payment.attempts += 1
        payment.status, payment.paid_at = PaymentStatus.paid, datetime.now(UTC)
        payment.provider, payment.provider_reference, payment.failure_reason = provider, provider_reference, None
        await self.session.flush()

    async def mark_failed(self, payment: Payment, provider: str, reason: str) -> None:
        payment.attempts += 1
        payment.status, payment.provider, payment.failure_reason = PaymentStatus.failed, provider, reason[:2000]
        await self.session.flush()

    async def add_invoice(self, invoice: Invoice) -> Invoice:
        return await self.payments.add_invoice(invoice)

    async def all_paid(self, contract_id: uuid.UUID) -> bool:
        payments = await self.payments.for_contract(contract_id)
        return bool(payments) and all(payment.status == PaymentStatus.paid for payment in payments)

    # ------------------------------------------------------------------ reading
    async def get(self, organization_id: uuid.UUID | None, payment_id: uuid.UUID) -> Payment:
        payment = await self.payments.get(payment_id, organization_id) if organization_id else None
        if payment is None:
            raise payment_not_found()
        return payment

    async def invoice_for(self, payment: Payment) -> Invoice | None:
        return await self.payments.invoice_for_payment(payment.id)

    async def page(self, organization_id: uuid.UUID | None, *, campaign_id: uuid.UUID | None,
                   creator_id: uuid.UUID | None, contract_id: uuid.UUID | None, status: PaymentStatus | None,
                   limit: int, offset: int) -> tuple[list[tuple[Payment, Invoice | None]], int]:
        return await self.payments.page(organization_id, campaign_id=campaign_id, creator_id=creator_id,
                                        contract_id=contract_id, status=status, limit=limit, offset=offset)

    async def for_contract(self, contract_id: uuid.UUID) -> list[Payment]:
        return await self.payments.for_contract(contract_id)


def payment_not_found() -> NotFound:
    return NotFound("Payment not found", code="payment_not_found")


def payment_approval_request(payment: Payment, contract: Contract, budget: Budget | None,
                             action_id: str) -> dict[str, Any]:
    """The interrupt-shaped request (Agent Inbox fields + ours, as `agents.approval.ApprovalRequest`)."""
    amount = money_of(payment)
    return {
        "action_request": {"action": "pay_creator", "args": {
            "payment_id": str(payment.id), "contract_id": str(contract.id), "contract_reference": contract.reference,
            "contract_status": str(contract.status), "milestone_key": payment.milestone_key, "kind": payment.kind,
            "description": payment.description, "amount": {"amount": str(amount.amount), "currency": amount.currency},
            "due_on": payment.due_on.isoformat() if payment.due_on else None,
            "deliverable_id": str(payment.deliverable_id) if payment.deliverable_id else None,
            "budget": budget.as_dict() if budget else None}},
        "config": {"allow_accept": True, "allow_edit": False, "allow_respond": False, "allow_ignore": True},
        "description": f"Pay {amount} to the creator: {payment.description} (contract {contract.reference})? "
                       "Approving lets a manager process the payout; rejecting holds it.",
        "kind": "payment", "action_id": action_id, "creator_id": str(payment.creator_id), "reasoning": "",
        "model": "rules", "prompt_version": None, "auto_send_kind": None,
    }
