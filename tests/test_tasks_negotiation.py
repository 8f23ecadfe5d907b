"""The negotiation policy and the reply that carries its decision."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from agents.policy.negotiation import NegotiationState, decide, violates_limits
from agents.tasks.negotiation import draft_negotiation_reply
from agents.tasks.types import CampaignBrief, CreatorProfile
from tests.support.fake_models import scripted_model, tool_answer

PROFILE = CreatorProfile(creator_id="c", display_name="Sam Lee", first_name="Sam")
BRIEF = CampaignBrief(product="Acme", currency="EUR", fee_ceiling=Decimal(1000), fee_target=Decimal(700))


def _state(ask: float | None, round: int = 1, **kwargs: object) -> NegotiationState:
    values: dict = {"ask": ask, "ask_currency": "EUR", "currency": "EUR", "ceiling": 1000, "target": 700,
                    "budget_left": 10000, "round": round} | kwargs
    return NegotiationState(**values)


def _exact(value: float | None) -> Decimal | None:
    """A random float as the Decimal pydantic makes of it (its shortest repr)."""
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize(("state", "action", "amount"), [
    (_state(650), "accept", 650),
    (_state(900), "counter", 700),
    (_state(900, round=2, last_offer=700), "counter", 800),
    (_state(900, round=3, last_offer=800), "accept", 900),
    (_state(1500), "counter", 700),
    (_state(1150, round=3, last_offer=850), "escalate", None),
    (_state(3000, round=3, last_offer=850), "decline", None),
    (_state(None, budget_left=500), "counter", 500),
    (_state(800, ask_currency="USD"), "escalate", None),
    (_state(800, ceiling=None), "escalate", None),
])
def test_policy_examples(state: NegotiationState, action: str, amount: float | None) -> None:
    decision = decide(state)
    assert (decision.action, decision.amount) == (action, amount)


def test_policy_never_exceeds_the_ceiling_or_the_budget_left() -> None:
    rng = random.Random(6)
    for _ in range(5000):
        ceiling = _exact(rng.choice([None, rng.uniform(50, 5000)]))
        target = _exact(rng.choice([None, rng.uniform(0, 6000)]))
        state = NegotiationState(ask=_exact(rng.choice([None, rng.uniform(-10, 12000)])), ask_currency="EUR",
                                 currency="EUR", ceiling=ceiling, target=target,
                                 budget_left=_exact(rng.choice([None, rng.uniform(-100, 8000)])),
                                 round=rng.randint(1, 5), max_rounds=rng.randint(1, 4),
                                 last_offer=_exact(rng.choice([None, rng.uniform(0, 5000)])))
        decision = decide(state)
        assert not violates_limits(state, decision), (state, decision)
        if decision.action == "accept":
            assert state.ceiling is not None and state.ask is not None and decision.amount == state.ask
            assert state.ask <= state.ceiling
        if decision.action == "counter" and state.ask is not None:
            assert decision.amount is not None and decision.amount < state.ask


async def test_reply_renders_the_decided_amount() -> None:
    decision = decide(_state(900))
    result = await draft_negotiation_reply(decision, PROFILE, BRIEF, "email")
    assert "EUR 700" in result.value.body_text and result.value.subject == "Re: Acme collaboration"
    hold = await draft_negotiation_reply(decide(_state(1150, round=3)), PROFILE, BRIEF, "whatsapp")
    assert "check with the team" in hold.value.body_text and hold.value.subject is None


async def test_model_reply_with_another_amount_is_replaced() -> None:
    decision = decide(_state(900))
    model = scripted_model(tool_answer("DraftOut", {"body_text": "Hi Sam, we can do EUR 850, deal?"}))
    result = await draft_negotiation_reply(decision, PROFILE, BRIEF, "email", creator_reply="I want 900", model=model)
    assert "EUR 700" in result.value.body_text and result.model == "offline-rules" and result.notes
