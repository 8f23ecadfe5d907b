"""What deciding an `offer` approval does, inside the decision's transaction (kind `offer` in the map of
`store/approvals/effects.py`).

An offer carries a fee decided by the policy in code: `action_request.args` holds `decision` (accept | counter),
`amount` and `currency`, written by the negotiation agent, never by a model or the creator. On approve / edit:

1. the limits are checked again under the campaign's row lock (two accepts cannot spend the same budget): an
   amount above the per-creator ceiling (the brief's, or this creator's: audience-scaled or from posted rates,
   `ceilings.py`) or the budget left, or in another currency, is refused (409
   `offer_exceeds_limits`) and nothing is sent;
2. an edit of the **amount** (`{"amount": 1000}`, alone: 422 otherwise) is checked the same way; the draft is
   discarded and the resumed agent writes a new one for that amount, which waits for approval — so the text is
   always written from the recorded amount. An edit of the **wording** may not state another amount (422
   `offer_text_mismatch`: edit the amount instead);
3. otherwise the draft is released like any message (queued with its send job);
4. a counter becomes the record's `our_offer`; an accept makes the negotiation `agreed` with its terms, the
   conversation `agreed`, and notifies the manager.

Reject / respond / expire discard the draft and change nothing else (the agent redrafts after a respond or a
reject with feedback, following the instruction).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput
from store.approvals.decision import Decision, EffectResult, inbox_args
from store.campaigns.repository import CampaignRepository
from store.conversations.approval import release_or_discard_draft
from store.conversations.service import ConversationService
from store.models import Approval, Conversation, DecisionAction, NegotiationStatus
from store.negotiations.offer_text import disagreeing_amounts
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


def edited_amount(decision: Decision, current: Decimal) -> Decimal | None:
    """The amount an edit sets (None: the edit is about the wording, whose amounts must agree with `current`)."""
    if decision.action != DecisionAction.edit:
        return None
    fields = {key: value for key, value in inbox_args(decision.payload or {}).items()
              if key not in ("to", "channel", "decision", "currency", "rule", "creator_ask")}
    if "amount" not in fields or decimal_or_none(fields["amount"]) == current:
        text = " ".join(str(fields.get(key) or "") for key in ("subject", "body_text", "body_html"))
        stated = disagreeing_amounts(text, current)
        if stated:
            raise InvalidInput(f"The edited text states {', '.join(f'{value:,}' for value in stated)} but the offer "
                               f"is {current:,}: edit the amount instead ({{\"amount\": ...}}), and the message is "
                               "rewritten for it", code="offer_text_mismatch",
                               details={"amount": str(current), "stated": [str(value) for value in stated]})
        return None
    if set(fields) - {"amount"}:
        raise InvalidInput("Edit the amount alone (the message is rewritten for it) or the wording alone",
                           code="invalid_edit")
    amount = decimal_or_none(fields["amount"])
    if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(CENTS):
        raise InvalidInput("amount must be a positive number with at most 2 decimal places, e.g. 1000 or "
                           "\"999.50\"", code="invalid_edit")
    return amount.quantize(CENTS)


async def apply_offer_decision(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    if decision.action not in (DecisionAction.approve, DecisionAction.edit):
        return await release_or_discard_draft(session, approval, decision)
    kind, offered, currency = offer_terms(approval)
    new_amount = edited_amount(decision, offered)
    amount = new_amount if new_amount is not None else offered
    negotiations = NegotiationService(session)
    # Locked: concurrent offers of one campaign are checked against its budget one at a time.
    campaign = await CampaignRepository(session).get(approval.organization_id, approval.campaign_id, for_update=True)
    if campaign is None:
        raise Conflict("The campaign is gone", code="campaign_closed")
    conversation = await _conversation(session, approval)
    negotiation = await negotiations.record_for(conversation)
    if negotiation.status != NegotiationStatus.open:
        raise Conflict(f"This negotiation is already {negotiation.status}", code="negotiation_closed")
    limits = await negotiations.limits(campaign, negotiation.id, conversation.creator_id)
    problems = []
    if limits.ceiling is not None and amount > limits.ceiling:
        problems.append(f"above the per-creator ceiling of {limits.ceiling}"
                        + (f" ({limits.ceiling_basis})" if limits.ceiling_basis else ""))
    if limits.budget_left is not None and amount > limits.budget_left:
        problems.append(f"above the budget left ({limits.budget_left})")
    if currency and limits.currency and currency != limits.currency:
        problems.append(f"in {currency}, the campaign is in {limits.currency}")
    if problems:
        raise OfferExceedsLimits(f"The offer of {amount} is {' and '.join(problems)}; "
                                 + ("choose a lower amount" if new_amount is not None else "reject it"),
                                 details={"amount": str(amount), "ceiling": str(limits.ceiling),
                                          "budget_left": str(limits.budget_left)})
    if new_amount is not None:  # the agent writes a new draft for this amount; this one is never sent
        await release_or_discard_draft(session, approval, Decision(action=DecisionAction.reject))
        return EffectResult(before={"amount": str(offered)}, after={"amount": str(new_amount)},
                            payload={"amount": str(new_amount)})
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
