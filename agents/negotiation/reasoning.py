"""The words on a negotiation approval card: a one-line description of what approving does, and the reasoning
(classification, the policy rule that decided, the limits it respected). Built from structured values only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.negotiation.state import NegotiationState
from agents.policy.negotiation import NegotiationDecision
from agents.policy.negotiation import NegotiationState as PolicyInput
from agents.tasks.money import format_amount


def _money(value: Any, currency: str | None) -> str:
    return format_amount(Decimal(str(value)), currency) if value is not None else "no fee"


def description(state: NegotiationState, decision: NegotiationDecision) -> str:
    name = state["profile"].get("display_name", "the creator")
    verdict = state.get("classification", {})
    ask = _money(verdict.get("proposed_fee"), verdict.get("currency") or decision.currency)
    amount = _money(decision.amount, decision.currency)
    if decision.action == "accept":
        return f"Accept {amount} with {name}? Approving sends this reply and records the agreed terms."
    if decision.action == "counter":
        asked = f" (they asked {ask})" if verdict.get("proposed_fee") is not None else ""
        return f"Offer {amount} to {name}{asked}?"
    if decision.action == "decline":
        return f"Decline {name}'s ask of {ask}? It is far above the ceiling after the last round."
    if decision.rule == "0-question":
        summary = verdict.get("summary") or "a question"
        return (f"{name} wrote something the agent may not answer on its own ({summary[:160]}). "
                "The draft is a holding reply: edit it to answer, or reject it.")
    if decision.rule.startswith("0-"):  # a safety escalation: the reason is the news, not the amount
        return (f"Escalated to you: {name}'s reply needs your decision: {decision.reason}. "
                "The draft is a holding reply: edit it to answer, or reject it.")
    return (f"Escalated to you: {name} asks {ask}, beyond what the agent may accept ({decision.reason}). "
            "The draft is a holding reply: edit it to answer, or reject it.")


def explain(state: NegotiationState, decision: NegotiationDecision) -> str:
    verdict = state.get("classification", {})
    policy = PolicyInput.model_validate(state["policy_input"])
    currency = decision.currency
    asked = (f", asking {_money(verdict.get('proposed_fee'), verdict.get('currency') or currency)}"
             if verdict.get("proposed_fee") is not None else "")
    budget_left = policy.budget_left
    parts = [
        f"Reply classified as {verdict.get('intent')} ({verdict.get('model')}, {verdict.get('prompt_version')})"
        f"{asked}.",
        f"Policy rule {decision.rule}: {decision.reason}.",
        f"Limits: ceiling {_money(policy.ceiling, currency)}, target {_money(policy.target, currency)}, "
        f"budget left {_money(budget_left, currency) if budget_left is not None else 'not set'}; "
        + (f"round {policy.round} of {policy.max_rounds}." if policy.round <= policy.max_rounds
           else f"the round limit ({policy.max_rounds}) is passed."),
    ]
    terms = verdict.get("terms") or []
    if terms:
        parts.append("Creator's conditions: " + "; ".join(f"{t.get('kind')}: {t.get('text')}" for t in terms) + ".")
    if verdict.get("fee_flags"):
        parts.append("Fee flags: " + ", ".join(verdict["fee_flags"]) + ".")
    if state.get("ceiling_basis"):
        parts.append(f"This creator's ceiling: {state['ceiling_basis']}.")
    parts.append(past_fees(state.get("past_fees") or []))
    if decision.amount is not None:
        parts.append(f"Amount in this message: {_money(decision.amount, currency)} (never above the limits).")
    return " ".join(parts)


def past_fees(fees: list[dict[str, Any]]) -> str:
    """The fees agreed with this creator before, for the manager (the policy does not use them)."""
    if not fees:
        return "No fee agreed with this creator before."
    listed = "; ".join(f"{_money(fee['fee'], fee.get('currency'))} for {fee['campaign']}"
                       + (f" ({fee['agreed_at']})" if fee.get("agreed_at") else "") for fee in fees)
    return f"Agreed with this creator before: {listed}."


def steering(state: NegotiationState, notes: list[str]) -> str:
    """What a redraft did with the manager's steer — never more than happened."""
    if not state.get("redrafts"):
        return ""
    instructions = state.get("instructions")
    applied = [note.removeprefix("feedback applied: ") for note in notes if note.startswith("feedback applied: ")]
    unapplied = [*state.get("steer_notes", []),
                 *(note for note in notes if note.startswith("feedback not applied"))]
    decision = state.get("decision") or {}
    text = " Redrafted for the manager" + (f' ("{instructions}")' if instructions else "")
    if decision.get("rule") == "m-manager":
        applied.insert(0, decision.get("reason", "amount set by the manager"))
    text += (": " + "; ".join(applied) if applied else ": nothing in the instruction could be applied") + "."
    if unapplied:
        text += " Not applied: " + "; ".join(unapplied) + " (edit the text or the amount by hand)."
    return text
