"""The payments a contract's schedule creates: advance (on signature), one milestone per named deliverable (on its
approval), final (on approval of every deliverable).

`milestone_key` is unique within a contract (`advance`, `milestone:<deliverable key>`, `final`): the payments
table's unique (contract, milestone) constraint holds it, so scheduling twice creates no second payment, and the
payout idempotency key is derived from it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from core.money import Money
from store.contracts.terms import ContractTerms, InstallmentKind


class PaymentTrigger(enum.StrEnum):
    signature = "signature"
    deliverable_approved = "deliverable_approved"
    all_deliverables_approved = "all_deliverables_approved"


@dataclass(frozen=True)
class ScheduledPayment:
    milestone_key: str
    kind: InstallmentKind
    amount: Money
    trigger: PaymentTrigger
    net_days: int
    deliverable_key: str | None
    expected_on: date  # the earliest due date implied by the terms (deliverable due date or effective date)
    description: str


def schedule_payments(terms: ContractTerms) -> list[ScheduledPayment]:
    last_due = max(deliverable.due_date for deliverable in terms.deliverables)
    payments = []
    for installment, amount in zip(terms.payment_schedule, terms.installment_amounts(), strict=True):
        if installment.kind == InstallmentKind.advance:
            key, trigger, on, what = "advance", PaymentTrigger.signature, terms.effective_date, "Advance"
        elif installment.kind == InstallmentKind.milestone:
            deliverable = terms.deliverable(installment.deliverable_key or "")
            key, trigger, on = f"milestone:{deliverable.key}", PaymentTrigger.deliverable_approved, deliverable.due_date
            what = f"Milestone: {deliverable.description}"
        else:
            key, trigger, on, what = "final", PaymentTrigger.all_deliverables_approved, last_due, "Final payment"
        payments.append(ScheduledPayment(
            milestone_key=key, kind=installment.kind, amount=amount, trigger=trigger, net_days=installment.net_days,
            deliverable_key=installment.deliverable_key, expected_on=on,
            description=f"{what} ({terms.campaign_name})"))
    return payments


def payout_idempotency_key(contract_id: str, milestone_key: str) -> str:
    """One payout per (contract, milestone), whatever the number of attempts."""
    return f"payout:{contract_id}:{milestone_key}"
