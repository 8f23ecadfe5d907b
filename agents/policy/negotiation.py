"""The negotiation policy, in code: given the creator's ask, the brief's per-creator ceiling and target, the budget
left and the round, decide accept | counter (with an amount) | decline | escalate.

Invariant, whatever the inputs: nothing is accepted or offered above the ceiling or above the budget left, and an
ask above the ceiling is never accepted. Rules (evals/datasets/README.md has the same list):
1. No ceiling, or an ask in another currency than the brief's → escalate. limit = min(ceiling, budget_left);
   limit <= 0 → escalate.
2. No ask → counter with the opening offer min(target or ceiling, limit).
3. Ask within the limit: accept at the ask when it is at most target + ACCEPT_MARGIN, or at the last round;
   otherwise counter.
4. Ask above the limit: counter while rounds remain; at the last round escalate when the ask is at most
   ceiling + ESCALATE_MARGIN (or only the budget left is short), else decline.
5. A counter is the target in round 1, later the midpoint between the previous offer (or target) and
   min(ask, limit), rounded down to whole units; never above the limit, never below the previous offer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Action = Literal["accept", "counter", "decline", "escalate"]
ACCEPT_MARGIN = 0.05
ESCALATE_MARGIN = 0.20
DEFAULT_MAX_ROUNDS = 3


@dataclass(frozen=True)
class NegotiationState:
    ask: float | None  # the creator's fee; None when they named none
    ask_currency: str | None  # None: taken to be the brief's currency
    currency: str | None  # the brief's currency
    ceiling: float | None  # per-creator hard limit
    target: float | None  # per-creator aim; defaults to the ceiling
    budget_left: float | None  # campaign budget not yet committed; None: unknown / not limiting
    round: int = 1  # 1 for the creator's first fee reply
    max_rounds: int = DEFAULT_MAX_ROUNDS
    last_offer: float | None = None  # our previous counter, if any


@dataclass(frozen=True)
class NegotiationDecision:
    action: Action
    amount: float | None  # accept: the agreed fee; counter: our offer; else None
    currency: str | None
    rule: str  # which rule decided, for the approval card and the logs
    reason: str


def _floor(value: float) -> float:
    return float(math.floor(value))


def _counter(state: NegotiationState, limit: float, target: float, rule: str, reason: str) -> NegotiationDecision:
    ask = state.ask if state.ask is not None else math.inf
    if state.round <= 1 or state.last_offer is None:
        amount = min(target, limit)
    else:
        previous = max(state.last_offer, 0.0)
        amount = _floor(previous + (min(ask, limit) - previous) / 2)
        amount = max(amount, previous)
    amount = min(amount, limit)
    if amount >= ask:  # our offer would meet the ask: agree to the ask itself (it is within the limit)
        return NegotiationDecision("accept", state.ask, state.currency, "3-accept", "counter would meet the ask")
    return NegotiationDecision("counter", amount, state.currency, rule, reason)


def decide(state: NegotiationState) -> NegotiationDecision:
    """The policy's decision for one negotiation turn (pure; see the module docstring for the rules)."""
    currency = state.currency
    if state.ceiling is None:
        return NegotiationDecision("escalate", None, currency, "1-no-ceiling", "the brief sets no per-creator ceiling")
    if state.ask_currency and currency and state.ask_currency.upper() != currency.upper():
        return NegotiationDecision("escalate", None, currency, "1-currency",
                                   f"ask in {state.ask_currency}, brief in {currency}")
    limit = state.ceiling if state.budget_left is None else min(state.ceiling, state.budget_left)
    if limit <= 0:
        return NegotiationDecision("escalate", None, currency, "1-no-budget", "no budget left")
    target = min(state.target if state.target is not None else state.ceiling, state.ceiling)
    last_round = state.round >= state.max_rounds
    if state.ask is None:
        return _counter(NegotiationState(**{**state.__dict__, "round": 1}), limit, target, "2-opening",
                        "the creator named no fee")
    ask = state.ask
    if ask < 0:
        return NegotiationDecision("escalate", None, currency, "1-invalid-ask", "negative ask")
    if ask <= limit:
        if ask <= target * (1 + ACCEPT_MARGIN):
            return NegotiationDecision("accept", ask, currency, "3-accept", "ask within target")
        if last_round:
            return NegotiationDecision("accept", ask, currency, "3-accept-last-round", "last round, ask within limit")
        return _counter(state, limit, target, "3-counter", "ask above target")
    if not last_round:
        return _counter(state, limit, target, "4-counter", "ask above the limit")
    if ask <= state.ceiling or ask <= state.ceiling * (1 + ESCALATE_MARGIN):
        return NegotiationDecision("escalate", None, currency, "4-escalate",
                                   "last round; ask slightly above the ceiling or the budget left")
    return NegotiationDecision("decline", None, currency, "4-decline", "last round; ask far above the ceiling")


def violates_limits(state: NegotiationState, decision: NegotiationDecision) -> bool:
    """True if a decision accepts or offers more than the ceiling or the budget left (must never happen)."""
    if decision.action not in ("accept", "counter") or decision.amount is None:
        return False
    limit = math.inf if state.ceiling is None else state.ceiling
    if state.budget_left is not None:
        limit = min(limit, state.budget_left)
    return decision.amount > limit + 1e-9
