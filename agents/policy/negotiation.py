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

Before those rules, safety checks that only ever escalate (the manager decides, with the reason shown): the round
limit passed; a gifted offer (never answered with money); conditions beyond the brief (usage, exclusivity, paid
usage, deliverables); an ask that is not the creator's one clear price (a range, several prices, a fee the model
and the rules read differently), invalid (negative, exponent), zero, or implausible (above
`IMPLAUSIBLE_FACTOR` × the ceiling or below `IMPLAUSIBLE_FLOOR` × the target).

Every amount is a `Decimal` (never a float): the fee the policy accepts is the exact number that becomes the
offer, the contract's fee, the payments and the invoice. `NegotiationState` / `NegotiationDecision` are Pydantic
models so they travel through the agent's state and the approval card as JSON (amounts as strings) and come back
exact.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Action = Literal["accept", "counter", "decline", "escalate"]
ACCEPT_MARGIN = Decimal("0.05")
ESCALATE_MARGIN = Decimal("0.20")
DEFAULT_MAX_ROUNDS = 3
IMPLAUSIBLE_FACTOR = Decimal(10)
IMPLAUSIBLE_FLOOR = Decimal("0.05")
AMBIGUOUS_FLAGS = frozenset({"range", "several_prices", "disputed"})
INVALID_FLAGS = frozenset({"invalid", "negative"})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class NegotiationState(_Frozen):
    ask: Decimal | None  # the creator's fee; None when they named none
    ask_currency: str | None  # None: taken to be the brief's currency
    currency: str | None  # the brief's currency
    ceiling: Decimal | None  # per-creator hard limit
    target: Decimal | None  # per-creator aim; defaults to the ceiling
    budget_left: Decimal | None  # campaign budget not yet committed; None: unknown / not limiting
    round: int = 1  # 1 for the creator's first fee reply
    max_rounds: int = DEFAULT_MAX_ROUNDS
    last_offer: Decimal | None = None  # our previous counter, if any
    ask_flags: tuple[str, ...] = ()  # why the ask may not be one clear price (see AMBIGUOUS_FLAGS, INVALID_FLAGS)
    term_conflicts: tuple[str, ...] = ()  # the creator's conditions beyond the brief (agents/tasks/reply_terms.py)
    gifted: bool = False  # the creator offers to work for product only


class NegotiationDecision(_Frozen):
    action: Action
    amount: Decimal | None  # accept: the agreed fee; counter: our offer; else None
    currency: str | None
    rule: str  # which rule decided, for the approval card and the logs
    reason: str

    def as_json(self) -> dict[str, Any]:
        """For the agent's state and the approval card: the amount as an exact string."""
        return self.model_dump(mode="json")


def _decision(action: Action, amount: Decimal | None, currency: str | None, rule: str,
              reason: str) -> NegotiationDecision:
    return NegotiationDecision(action=action, amount=amount, currency=currency, rule=rule, reason=reason)


def _floor(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_FLOOR)


def _counter(state: NegotiationState, limit: Decimal, target: Decimal, rule: str,
             reason: str) -> NegotiationDecision:
    ask = state.ask
    if state.round <= 1 or state.last_offer is None:
        amount = min(target, limit)
    else:
        previous = max(state.last_offer, Decimal(0))
        amount = _floor(previous + ((limit if ask is None else min(ask, limit)) - previous) / 2)
        amount = max(amount, previous)
    amount = min(amount, limit)
    if ask is not None and amount >= ask:  # our offer would meet the ask: agree to the ask (it is within the limit)
        return _decision("accept", ask, state.currency, "3-accept", "counter would meet the ask")
    return _decision("counter", amount, state.currency, rule, reason)


def _safety(state: NegotiationState) -> NegotiationDecision | None:
    """The escalations that come before any amount rule (see the module docstring)."""
    currency, ask, flags = state.currency, state.ask, set(state.ask_flags)

    def escalate(rule: str, reason: str) -> NegotiationDecision:
        return _decision("escalate", None, currency, rule, reason)

    if state.round > state.max_rounds:
        return escalate("0-round-limit", f"the round limit ({state.max_rounds}) is reached: the manager decides")
    if state.gifted:
        return escalate("0-gifted", "the creator offers to work for product only: no money offer")
    if state.term_conflicts:
        return escalate("0-terms", "conditions beyond the brief: " + "; ".join(state.term_conflicts))
    if flags & INVALID_FLAGS:
        return escalate("0-invalid-ask", "the amount cannot be a fee (" + ", ".join(sorted(flags & INVALID_FLAGS))
                        + ")")
    if ask is None:
        return None
    if ask <= 0:
        return escalate("0-invalid-ask", "negative ask" if ask < 0 else "the creator named a fee of zero")
    if flags & AMBIGUOUS_FLAGS:
        return escalate("0-ambiguous-ask", "the creator's price is not one clear amount ("
                        + ", ".join(sorted(flags & AMBIGUOUS_FLAGS)) + ")")
    ceiling, target = state.ceiling, state.target if state.target is not None else state.ceiling
    if ceiling is not None and ask > ceiling * IMPLAUSIBLE_FACTOR:
        return escalate("0-implausible-ask", f"the ask is more than {IMPLAUSIBLE_FACTOR}× the ceiling")
    if target is not None and ask < target * IMPLAUSIBLE_FLOOR:
        return escalate("0-implausible-ask", "the ask is implausibly low for the target")
    return None


def decide(state: NegotiationState) -> NegotiationDecision:
    """The policy's decision for one negotiation turn (pure; see the module docstring for the rules)."""
    currency = state.currency
    unsafe = _safety(state)
    if unsafe is not None:
        return unsafe
    if state.ceiling is None:
        return _decision("escalate", None, currency, "1-no-ceiling", "the brief sets no per-creator ceiling")
    if state.ask_currency and currency and state.ask_currency.upper() != currency.upper():
        return _decision("escalate", None, currency, "1-currency", f"ask in {state.ask_currency}, brief in {currency}")
    limit = state.ceiling if state.budget_left is None else min(state.ceiling, state.budget_left)
    if limit <= 0:
        return _decision("escalate", None, currency, "1-no-budget", "no budget left")
    target = min(state.target if state.target is not None else state.ceiling, state.ceiling)
    last_round = state.round >= state.max_rounds
    if state.ask is None:
        return _counter(state.model_copy(update={"round": 1}), limit, target, "2-opening", "the creator named no fee")
    ask = state.ask
    if ask <= limit:
        if ask <= target * (1 + ACCEPT_MARGIN):
            return _decision("accept", ask, currency, "3-accept", "ask within target")
        if last_round:
            return _decision("accept", ask, currency, "3-accept-last-round", "last round, ask within limit")
        return _counter(state, limit, target, "3-counter", "ask above target")
    if not last_round:
        return _counter(state, limit, target, "4-counter", "ask above the limit")
    if ask <= state.ceiling or ask <= state.ceiling * (1 + ESCALATE_MARGIN):
        return _decision("escalate", None, currency, "4-escalate",
                         "last round; ask slightly above the ceiling or the budget left")
    return _decision("decline", None, currency, "4-decline", "last round; ask far above the ceiling")


def violates_limits(state: NegotiationState, decision: NegotiationDecision) -> bool:
    """True if a decision accepts or offers more than the ceiling or the budget left (must never happen)."""
    if decision.action not in ("accept", "counter") or decision.amount is None:
        return False
    limits = [value for value in (state.ceiling, state.budget_left) if value is not None]
    return bool(limits) and decision.amount > min(limits)
