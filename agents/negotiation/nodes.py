"""Negotiation nodes. `approve` is the only interrupting node and has no side effects (it re-runs on resume).

Writes happen in the nodes after a decision is known and are idempotent on re-run: record values are absolute
(computed from checkpointed state, never incremented), closing and blocking are set operations. The creator's
text is untrusted: it goes to the classifier and the drafting model as fenced data; what it asks for never
becomes a tool call, an approval decision, a budget change or another creator's data (the turn loads only this
conversation's creator and brief). Amounts come from the policy in code (`agents/policy/negotiation.py`).
A model's reading that the reply's own words contradict (`agents/tasks/model_checks.py`: its doubts) is escalated
to the manager with the reasons, never acted on; an opt-out always wins. Replies are drafted with what the manager's
earlier edits taught (brand voice offline, the nearest edits as few-shot with a model).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from agents.approval import ActionRequest, ApprovalRequest, InboxConfig, ask_human
from agents.context import AgentContext
from agents.negotiation import reasoning
from agents.negotiation.loading import load_conversation
from agents.negotiation.state import NegotiationState, Proposal
from agents.outreach.voice import few_shot_pairs, learned_examples, voice_profile
from agents.policy.negotiation import NegotiationDecision, decide, violates_limits
from agents.policy.negotiation import NegotiationState as PolicyInput
from agents.tasks import facts
from agents.tasks.follow_up import draft_follow_up
from agents.tasks.model_checks import doubts_in
from agents.tasks.money import find_amounts, format_amount
from agents.tasks.negotiation import draft_negotiation_reply
from agents.tasks.replies import classify_reply
from agents.tasks.reply_terms import term_conflicts
from agents.tasks.subjects import reply_subject
from agents.tasks.types import CampaignBrief, Channel, CreatorProfile, ReplyClassification
from core.money import json_number
from core.settings import get_settings
from store.contacts.opt_out import OptOutService
from store.conversations.repository import ConversationRepository
from store.followups.service import FollowUpService
from store.models import Campaign, Conversation, ConversationStatus
from store.models import Channel as ContactChannel
from store.negotiations.service import NegotiationService

MAX_TURNS_REMEMBERED = 200
log = logging.getLogger("influency.negotiation")


def _channel(state: NegotiationState) -> Channel:
    return "whatsapp" if state.get("channel") == "whatsapp" else "email"


def _finish(state: NegotiationState, outcome: str, **facts: Any) -> dict[str, Any]:
    turn = state.get("turn", {})
    line = {"turn": turn.get("id"), "kind": turn.get("kind"), "outcome": outcome, **facts}
    return {"outcome": outcome, "history": [*state.get("history", []), line][-MAX_TURNS_REMEMBERED:]}


# ---------------------------------------------------------------------------------------------- loading
async def load_turn(state: NegotiationState, runtime: Runtime[AgentContext]) -> Command[Any]:
    turn = state["turn"]
    seen = [*state.get("turns_seen", []), turn["id"]][-MAX_TURNS_REMEMBERED:]
    loaded = await load_conversation(runtime.context, uuid.UUID(state["conversation_id"]), turn)
    base: dict[str, Any] = {"turns_seen": seen, "classification": {}, "reply_text": "", "reply_subject": None}
    if loaded.stop_reason:
        return Command(goto=END, update=base | _finish(state, loaded.stop_reason))
    base |= {"profile": loaded.profile, "brief": loaded.brief, "organization_name": loaded.organization_name,
             "channel": loaded.channel, "to_address": loaded.to_address, "follow_up_limit": loaded.follow_up_limit,
             "previous_text": loaded.previous_text, "previous_subject": loaded.previous_subject}
    if turn.get("kind") == "follow_up":
        return Command(goto="draft_follow_up", update=base)
    return Command(goto="classify", update=base | {"reply_text": loaded.reply_text,
                                                   "reply_subject": loaded.reply_subject})


# ---------------------------------------------------------------------------------------------- a reply
async def classify(state: NegotiationState, runtime: Runtime[AgentContext]) -> Command[Any]:
    produced = await classify_reply(state["reply_text"], _channel(state), model=runtime.context.model)
    verdict = produced.value
    doubts = doubts_in(produced.notes)  # the model's reading disagrees with cheap signals: the manager decides
    classification = verdict.model_dump(mode="json") | {
        "model": produced.model, "prompt_version": f"{produced.prompt_id}@{produced.prompt_version}"}
    update: dict[str, Any] = {"classification": classification, "doubts": doubts}
    if state["turn"].get("auto_reply") and verdict.intent != "out_of_office":
        return Command(goto=END, update=update | _finish(state, "auto_reply_ignored", intent=verdict.intent))
    route = {"unsubscribe": "opt_out", "out_of_office": "postpone", "declined": "close"}.get(verdict.intent, "decide")
    if doubts and route != "opt_out":  # an opt-out always wins; nothing else is acted on unconfirmed
        route = "decide"
    return Command(goto=route, update=update)


async def opt_out(state: NegotiationState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """The classifier heard an opt-out the keyword rules missed: err towards not contacting."""
    channel = ContactChannel(_channel(state))
    async with runtime.context.unit_of_work() as session:
        await OptOutService(session).opt_out(creator_id=uuid.UUID(state["creator_id"]), channel=channel,
                                             address=state["to_address"], reason="asked not to be contacted")
    return _finish(state, "opted_out", intent="unsubscribe")


async def postpone(state: NegotiationState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Out of office: no answer; the follow-up moves past the return date."""
    verdict = ReplyClassification.model_validate(state["classification"])
    async with runtime.context.unit_of_work() as session:
        conversation, campaign = await _conversation_and_campaign(session, state)
        due = FollowUpService(session).push_past(conversation, campaign, verdict.return_date, datetime.now(UTC))
    return _finish(state, "postponed", intent="out_of_office", follow_up_at=due.isoformat() if due else None)


async def close(state: NegotiationState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    async with runtime.context.unit_of_work() as session:
        conversation, _ = await _conversation_and_campaign(session, state)
        negotiations = NegotiationService(session)
        await negotiations.record_for(conversation)  # the record of a negotiation that ended at once
        await negotiations.close(conversation, reason="the creator declined")
    return _finish(state, "declined_by_creator", intent="declined")


async def decide_terms(state: NegotiationState, runtime: Runtime[AgentContext]) -> Command[Any]:
    """The policy's decision for this reply, and the creator's structured ask on the record."""
    verdict = ReplyClassification.model_validate(state["classification"])
    async with runtime.context.unit_of_work() as session:
        conversation, campaign = await _conversation_and_campaign(session, state)
        negotiations = NegotiationService(session)
        negotiation = await negotiations.record_for(conversation)
        limits = await negotiations.limits(campaign, negotiation.id, conversation.creator_id)
        past_fees = await negotiations.past_fees(conversation.organization_id, conversation.creator_id,
                                                 negotiation.id)
        doubts = state.get("doubts") or []
        counted = verdict.proposed_fee is not None and not doubts  # a doubted reading is not the creator's ask
        fee_rounds = state.get("fee_rounds", 0) + (1 if counted else 0)
        await negotiations.note_round(negotiation, fee_rounds, verdict.proposed_fee if counted else None,
                                      verdict.currency or limits.currency)
        last_offer: Decimal | None = negotiation.our_offer
        agreed_already = conversation.status == ConversationStatus.agreed
    ask = verdict.proposed_fee
    if ask is None and last_offer is not None and verdict.intent == "interested":
        ask = last_offer  # "sounds good" after our offer: they accept it
    brief = CampaignBrief.model_validate(state["brief"])
    conflicts = term_conflicts([t for t in verdict.terms if t.kind != "gifting"], brief)
    policy_input = PolicyInput(
        ask=ask, ask_currency=verdict.currency, currency=limits.currency, ceiling=limits.ceiling,
        target=limits.target, budget_left=limits.budget_left, round=max(fee_rounds, 1),
        max_rounds=get_settings().NEGOTIATION_MAX_ROUNDS, last_offer=last_offer,
        ask_flags=tuple(verdict.fee_flags), term_conflicts=tuple(conflicts),
        gifted=any(t.kind == "gifting" for t in verdict.terms))
    conditions = bool(policy_input.term_conflicts) or policy_input.gifted
    if doubts:
        decision = NegotiationDecision(action="escalate", amount=None, currency=limits.currency, rule="0-cross-check",
                                       reason="the model's reading disagrees with the reply's own words ("
                                       + "; ".join(doubts) + ")")
    elif agreed_already or (verdict.intent in ("question", "other") and not conditions):
        decision = NegotiationDecision(action="escalate", amount=None, currency=limits.currency, rule="0-question",
                                       reason="the creator wrote something the policy cannot answer")
    else:
        decision = decide(policy_input)
        if violates_limits(policy_input, decision):  # cannot happen; never let it through if it does
            decision = NegotiationDecision(action="escalate", amount=None, currency=limits.currency,
                                           rule="0-limit-guard", reason="limit guard")
    return Command(goto="draft_reply", update={
        "fee_rounds": fee_rounds, "decision": decision.as_json(), "policy_input": policy_input.model_dump(mode="json"),
        "ceiling_basis": limits.ceiling_basis, "past_fees": past_fees})


async def draft_reply(state: NegotiationState, runtime: Runtime[AgentContext]) -> Command[Any]:
    decision = NegotiationDecision.model_validate(state["decision"])
    brief = CampaignBrief.model_validate(state["brief"])
    profile = CreatorProfile.model_validate(state["profile"])
    word = partial(draft_negotiation_reply, decision, profile, brief, _channel(state),
                   creator_reply=state["reply_text"], sender=facts.signature(state.get("organization_name"), brief),
                   instructions=state.get("instructions"), language=state.get("classification", {}).get("language"))
    # The manager's earlier edits: their voice for the template, the nearest ones to this reply for the model (the
    # template reply is the query: the edits are embedded by the draft they corrected).
    template = await word() if runtime.context.model is not None else None
    try:
        learned = await learned_examples(runtime.context, _channel(state), state["profile"], state["brief"],
                                         query=template.value.body_text if template else None)
    except Exception as error:  # e.g. the embedder cannot load: the reply is drafted without the examples
        log.warning("negotiation: the manager's edits could not be loaded (%s); drafting without them", error)
        learned = {"voice_examples": [], "few_shot": []}
    produced = await word(model=runtime.context.model, voice=voice_profile(learned["voice_examples"]),
                          examples=few_shot_pairs(learned["few_shot"]))
    redrafts = state.get("redrafts", 0)
    subject = produced.value.subject
    original = state.get("reply_subject") or state.get("previous_subject")  # stay in the email thread
    if subject:
        subject = reply_subject(original, subject)
    carries_fee = decision.action in ("accept", "counter") and decision.amount is not None
    proposal = Proposal(
        kind="offer" if carries_fee else "message",
        action_id=f"reply:{state['turn']['id']}" + (f":redraft-{redrafts}" if redrafts else ""),
        channel=_channel(state), to=state["to_address"], subject=subject, body_text=produced.value.body_text,
        description=reasoning.description(state, decision),
        reasoning=reasoning.explain(state, decision) + reasoning.steering(state, produced.notes),
        model=produced.model, prompt_version=f"{produced.prompt_id}@{produced.prompt_version}", auto_send_kind=None,
        decision=decision.as_json())
    return Command(goto="approve", update={"proposal": proposal})


# ---------------------------------------------------------------------------------------------- a follow-up
async def draft_follow_up_message(state: NegotiationState, runtime: Runtime[AgentContext]) -> Command[Any]:
    number = int(state["turn"].get("number") or 1)
    brief = CampaignBrief.model_validate(state["brief"])
    produced = await draft_follow_up(
        CreatorProfile.model_validate(state["profile"]), brief,
        _channel(state), number=number, limit=int(state.get("follow_up_limit") or number),
        previous=state.get("previous_text") or "", subject=state.get("previous_subject"),
        sender=facts.signature(state.get("organization_name"), brief), model=runtime.context.model)
    name = state["profile"].get("display_name", "the creator")
    proposal = Proposal(
        kind="message", action_id=f"follow_up:{state['turn']['id']}", channel=_channel(state),
        to=state["to_address"], subject=produced.value.subject, body_text=produced.value.body_text,
        description=f"Follow up with {name} (no reply yet; follow-up {number} of {state.get('follow_up_limit')})?",
        reasoning=f"{name} has not answered our last message. Follow-up {number}; stopped by any reply.",
        model=produced.model, prompt_version=f"{produced.prompt_id}@{produced.prompt_version}",
        auto_send_kind="follow_up", decision=None)
    return Command(goto="approve", update={"proposal": proposal})


# ---------------------------------------------------------------------------------------------- approval
async def approve(state: NegotiationState) -> Command[Any]:
    """Interrupt once for this draft; route on the answer. No side effects here: this re-runs on resume."""
    proposal = state["proposal"]
    args: dict[str, Any] = {"channel": proposal["channel"], "to": proposal["to"], "subject": proposal["subject"],
                            "body_text": proposal["body_text"]}
    decision = proposal.get("decision")
    if decision:
        # Amounts are JSON numbers on the card (as they always were), written from the exact decimals.
        ask = state.get("classification", {}).get("proposed_fee")
        args |= {"decision": decision["action"], "rule": decision["rule"],
                 "amount": amount_on_card(decision["amount"]), "currency": decision["currency"],
                 "creator_ask": amount_on_card(ask), "past_fees": state.get("past_fees", [])}
    is_offer = proposal["kind"] == "offer"
    answer = ask_human(ApprovalRequest(
        kind="offer" if is_offer else "message", action_id=proposal["action_id"],
        creator_id=state["creator_id"], action_request=ActionRequest(action=f"send_{proposal['channel']}", args=args),
        config=InboxConfig(allow_respond=is_offer), description=proposal["description"],
        reasoning=proposal["reasoning"], model=proposal["model"], prompt_version=proposal["prompt_version"],
        auto_send_kind=proposal["auto_send_kind"]))
    amount = (answer.payload or {}).get("amount") if is_offer and answer.action == "edit" else None
    if amount is not None and Decimal(str(amount)) != Decimal(str((decision or {}).get("amount"))):
        # the decision's effect checked the amount against the limits and discarded the draft: write a new one
        return Command(goto="redraft_offer", update={"steer": {"amount": str(amount)}})
    if answer.accepted:
        return Command(goto="after_approval")
    if is_offer and answer.instructions:
        return Command(goto="redraft_offer", update={"steer": {"instructions": answer.instructions}})
    outcome = {"expire": "expired", "superseded": "superseded"}.get(answer.action or "", "rejected")
    return Command(goto=END, update=_finish(state, outcome, decision=(decision or {}).get("action")))


async def redraft_offer(state: NegotiationState) -> Command[Any]:
    """The manager steered an offer: a new amount (already checked against the limits in code by the decision),
    or an instruction — an amount it names is taken only within the limits; the rest guides the wording."""
    steer = state.get("steer") or {}
    decision = NegotiationDecision.model_validate(state["proposal"]["decision"])
    policy = PolicyInput.model_validate(state["policy_input"])
    instructions = steer.get("instructions")
    amount = Decimal(steer["amount"]) if steer.get("amount") else None
    notes: list[str] = []
    if instructions:
        named = [found.value for found in find_amounts(instructions) if found.currency or found.value >= 50]
        if named:
            candidate = NegotiationDecision(action="counter", amount=named[0], currency=decision.currency,
                                            rule="m-manager", reason="the manager named the amount")
            if violates_limits(policy, candidate):
                notes.append(f"amount not applied: {format_amount(named[0], decision.currency)} is above the "
                             f"limits (ceiling and budget left); the offer stays "
                             f"{format_amount(decision.amount or 0, decision.currency)}")
            else:
                amount = named[0]
    if amount is not None and amount != decision.amount:
        set_to = format_amount(amount, decision.currency)
        accepts = policy.ask is not None and amount == policy.ask
        decision = NegotiationDecision(action="accept" if accepts else "counter", amount=amount,
                                       currency=decision.currency, rule="m-manager",
                                       reason=f"the manager set the amount to {set_to}")
    return Command(goto="draft_reply", update={
        "decision": decision.as_json(), "instructions": instructions, "steer_notes": notes,
        "redrafts": state.get("redrafts", 0) + 1})


async def after_approval(state: NegotiationState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """The approved message is already queued (and an offer recorded) by the decision's transaction."""
    decision = state["proposal"].get("decision") or {}
    action = decision.get("action")
    if action == "decline":
        async with runtime.context.unit_of_work() as session:
            conversation, _ = await _conversation_and_campaign(session, state)
            await NegotiationService(session).close(conversation, reason="we declined the ask")
    outcome = {"accept": "agreed", "counter": "offer_sent", "decline": "declined",
               "escalate": "escalation_answered"}.get(action or "", "follow_up_queued")
    return _finish(state, outcome, decision=action, amount=decision.get("amount"))


# ---------------------------------------------------------------------------------------------- helpers
async def _conversation_and_campaign(session: Any, state: NegotiationState) -> tuple[Conversation, Campaign]:
    found = await ConversationRepository(session).with_campaign_for_update(uuid.UUID(state["conversation_id"]))
    if found is None:
        raise LookupError(f"conversation {state['conversation_id']} or its campaign is gone")
    return found


def amount_on_card(value: str | None) -> int | float | None:
    """An exact amount from the state as the JSON number the approval card has always shown (exact text)."""
    return json_number(Decimal(value)) if value is not None else None
