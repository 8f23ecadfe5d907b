"""What a decision does besides recording itself: one explicit map from approval kind to its effect.

Every process that decides or expires an approval (the API, the agent workers' auto-send, the approval sweeper)
reaches this map through `store/approvals/deciding.py`, so no process can miss an effect because it forgot an
import. Each effect lives with its domain (`store/<domain>/approval.py`, offers in `store/negotiations/offers.py`).
A kind without an effect is a programming error: `apply_effect` raises, it never records a decision silently
(`tests/test_approval_effects.py` checks that every `ApprovalKind` has one).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sqlalchemy.ext.asyncio import AsyncSession

from store.approvals.decision import Decision, DecisionEffect, EffectResult
from store.campaigns.approval import shortlist_effect
from store.contracts.approval import contract_effect
from store.contracts.terms_approval import terms_effect
from store.conversations.approval import release_or_discard_draft
from store.models import Approval, ApprovalKind
from store.negotiations.offers import apply_offer_decision
from store.payments.approval import payment_effect

EFFECTS: Mapping[ApprovalKind, DecisionEffect] = MappingProxyType({
    ApprovalKind.message: release_or_discard_draft,  # approve/edit → queued + send job; else discarded
    ApprovalKind.shortlist: shortlist_effect,  # an edit is normalised to the final creator_ids
    ApprovalKind.offer: apply_offer_decision,  # limits re-checked under the campaign lock; draft released; agreed
    ApprovalKind.contract: contract_effect,  # fee committed against the budget; deliverables and payments created
    ApprovalKind.payment: payment_effect,  # approved if it fits the budget; rejected/expired → `rejected`
    ApprovalKind.terms: terms_effect,  # open contract terms validated and written on the negotiation record
})


class UnknownApprovalKind(LookupError):
    """An approval kind with no effect in `EFFECTS`: a programming error, never a silent no-op."""


async def apply_effect(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    try:
        effect = EFFECTS[ApprovalKind(approval.kind)]
    except (KeyError, ValueError) as exc:
        raise UnknownApprovalKind(f"no effect for approval kind {approval.kind!r}: add it to EFFECTS") from exc
    return await effect(session, approval, decision)
