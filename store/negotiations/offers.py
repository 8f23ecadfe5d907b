"""What deciding an `offer` approval does, inside the decision's transaction (kind `offer` in the map of
`store/approvals/effects.py`).

An offer carries a fee decided by the policy in code: `action_request.args` holds `decision` (accept | counter),
`amount` and `currency`, written by the negotiation agent, never by a model or the creator. On approve / edit:

1. the limits are checked again under the campaign's row lock (two accepts cannot spend the same budget): an
   amount above the per-creator ceiling or the budget left, or in another currency, is refused (409
   `offer_exceeds_limits`) and nothing is sent;
2. the draft is released like any message (queued with its send job; an edit may change the wording only);
3. a counter becomes the record's `our_offer`; an accept makes the negotiation `agreed` with its terms, the
   conversation `agreed`, and notifies the manager.

Reject / respond / expire discard the draft and change nothing else.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict
from store.approvals.decision import Decision, EffectResult
from store.campaigns.repository import CampaignRepository
from store.conversations.approval import release_or_discard_draft
from store.conversations.service import ConversationService
from store.models import Approval, Conversation, DecisionAction, NegotiationStatus
from store.negotiations.service import NegotiationService, decimal_or_none

CENTS = Decimal("0.01")


class OfferExceedsLimits(Conflict):
    code = "offer_exceeds_limits"


def offer_terms(approval: Approval) -> tuple[str, Decimal, str | None]:
    args: dict[str, Any] = approval.request.get("action_request", {}).get("args", {})
    amount = decimal_or_none(args.get("amount"))
    if args.get("decision") not in ("accept", "counter") or amount is None or amount <= 0:
        raise Conflict("This offer carries no valid amount", code="invalid_offer")
    currency = args.get("currency")
    return str(args["decision"]), amount.quantize(CENTS), str(currency).upper() if currency else None


async def apply_offer_decision(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    if decision.action not in (DecisionAction.approve, DecisionAction.edit):
        return await release_or_discard_draft(session, approval, decision)
    kind, amount, currency = offer_terms(approval)
    negotiations = NegotiationService(session)
    # Locked: concurrent offers of one campaign are checked against its budget one at a time.
    campaign = await CampaignRepository(session).get(approval.organization_id, approval.campaign_id, for_update=True)
    if campaign is None:
        raise Conflict("The campaign is gone", code="campaign_closed")
    conversation = await _conversation(session, approval)
    negotiation = await negotiations.record_for(conversation)
    if negotiation.status != NegotiationStatus.open:
        raise Conflict(f"This negotiation is already {negotiation.status}", code="negotiation_closed")
    limits = await negotiations.limits(campaign, negotiation.id)
    problems = []
    if limits.ceiling is not None and amount > limits.ceiling:
        problems.append(f"above the per-creator ceiling of {limits.ceiling}")
    if limits.budget_left is not None and amount > limits.budget_left:
        problems.append(f"above the budget left ({limits.budget_left})")
    if currency and limits.currency and currency != limits.currency:
        problems.append(f"in {currency}, the campaign is in {limits.currency}")
    if problems:
        raise OfferExceedsLimits(f"The offer of {amount} is {' and '.join(problems)}; reject it",
                                 details={"amount": str(amount), "ceiling": str(limits.ceiling),
                                          "budget_left": str(limits.budget_left)})
    draft_result = await release_or_discard_draft(session, approval, decision)
    after = dict(draft_result.after or {})
    if kind == "accept":
        after["agreed_terms"] = await negotiations.agree(negotiation, conversation, campaign, amount,
                                                         currency or limits.currency)
    else:
        await negotiations.note_offer(negotiation, amount, currency or limits.currency)
        after["our_offer"] = str(amount)
    return EffectResult(before=draft_result.before, after=after, payload=draft_result.payload)


async def _conversation(session: AsyncSession, approval: Approval) -> Conversation:
    draft = await ConversationService(session).message_for_approval(approval.id)
    conversation = await session.get(Conversation, draft.conversation_id) if draft else None
    if conversation is None:
        raise Conflict("The draft of this offer is gone", code="draft_not_pending")
    return conversation
