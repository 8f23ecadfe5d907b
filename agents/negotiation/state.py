"""Negotiation state (checkpointed per conversation thread). Plain JSON values only.

The thread outlives its turns: each turn is a new invocation with `turn` as input; `turns_seen` makes a
redelivered turn job a no-op. The creator's text is read from the stored message inside the turn and is data,
never instructions: it reaches the classifier and the drafting model fenced, and nothing in it is executed.
"""

from __future__ import annotations

from typing import Any, TypedDict


class Turn(TypedDict, total=False):
    kind: str  # reply | follow_up
    id: str  # unique per turn: the inbound message id, or follow_up:<conversation>:<n>
    message_id: str  # reply: the stored inbound message
    auto_reply: bool  # reply: an email auto-reply (out of office)
    number: int  # follow_up: 1, 2, ...


class NegotiationInput(TypedDict):
    conversation_id: str
    creator_id: str
    turn: Turn


class Proposal(TypedDict):
    """What the approval node asks the manager, prepared by the drafting nodes."""

    kind: str  # message | offer
    action_id: str
    channel: str
    to: str
    subject: str | None
    body_text: str
    description: str
    reasoning: str
    model: str
    prompt_version: str
    auto_send_kind: str | None
    decision: dict[str, Any] | None  # the policy's decision (action, amount, currency, rule, reason)


class NegotiationState(TypedDict, total=False):
    conversation_id: str
    creator_id: str
    turn: Turn
    turns_seen: list[str]  # the last turn ids started on this thread (redelivered turn jobs do nothing)
    profile: dict[str, Any]  # agents.tasks.types.CreatorProfile as JSON
    brief: dict[str, Any]
    organization_name: str
    channel: str  # the channel we answer on: email | whatsapp
    to_address: str
    reply_text: str  # the creator's words for this turn (untrusted)
    reply_subject: str | None
    previous_text: str  # our last message (follow-ups build on it)
    previous_subject: str | None
    follow_up_limit: int  # the campaign's follow_up_max
    classification: dict[str, Any]  # agents.tasks.types.ReplyClassification as JSON (+ model, prompt_version)
    doubts: list[str]  # why the model's reading of this reply is not acted on (agents/tasks/model_checks.py)
    fee_rounds: int  # replies that named a fee so far (the record's `rounds`, written as an absolute value)
    policy_input: dict[str, Any]  # agents.policy.negotiation.NegotiationState as JSON
    ceiling_basis: str | None  # how this creator's ceiling was set (store/negotiations/ceilings.py)
    past_fees: list[dict[str, Any]]  # fees this organization agreed with the creator before (campaign, fee, ...)
    decision: dict[str, Any]  # agents.policy.negotiation.NegotiationDecision as JSON
    proposal: Proposal
    steer: dict[str, str]  # the manager's steer of an offer: {"amount"} (an edit) or {"instructions"} (a respond)
    instructions: str | None  # the instruction the current redraft follows
    steer_notes: list[str]  # what the redraft could not apply (e.g. an amount above the limits)
    redrafts: int  # redrafts of this turn's reply so far (each gets its own approval action id)
    history: list[dict[str, Any]]  # one line per finished turn: kind, intent, decision, answer
    outcome: str
