"""What deciding a `payment` approval does (kind `payment` in `store/approvals/effects.py`): approving marks the
payment approved once it fits the campaign budget (checked under the campaign row lock; 409 `budget_exceeded`
otherwise, and the approval stays pending); rejecting or expiring holds it (`rejected`: a manager can ask for
approval again)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.approvals.decision import Decision, EffectResult
from store.models import Approval, DecisionAction
from store.payments.service import PaymentService


async def payment_effect(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    outcome = await PaymentService(session).decide(approval, approve=decision.action == DecisionAction.approve)
    return EffectResult(payload={**(decision.payload or {}), **outcome})
