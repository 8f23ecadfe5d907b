"""The model's reading of a reply cross-checked against cheap signals (`agents/tasks/model_checks.py`), through
`classify_reply` with a scripted fake model: fees the rules cannot parse are kept when the text holds them,
unverifiable fees are dropped and doubted, refusals / opt-outs / questions against the model's word are doubted,
an opt-out always wins."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from agents.tasks.model_checks import doubts_in, fee_in_text
from agents.tasks.replies import classify_reply
from tests.support.fake_models import scripted_model, tool_answer


async def _classify(text: str, **verdict: Any):  # type: ignore[no-untyped-def]
    model = scripted_model(tool_answer("ReplyVerdict", {"summary": "s", **verdict}))
    return await classify_reply(text, "email", model=model)


@pytest.mark.parametrize(("text", "fee"), [
    ("Sounds fun! I can do it for twelve hundred", 1200),
    ("1.5k for reel + story", 1500),
    ("Posso fazer por mil e quinhentos", 1500),
    ("Te lo hago por 2,5 mil", 2500),
    ("Mein Preis: 1.500", 1500),
    ("My rate is 1'800 for the package", 1800),
    ("ok, zwölfhundert passt", 1200),
])
def test_tolerant_check_finds_fees_the_rules_may_miss(text: str, fee: int) -> None:
    assert fee_in_text(text, Decimal(fee))


@pytest.mark.parametrize(("text", "fee"), [
    ("My rate is $900.", 5000),
    ("I have 1.5k followers and would love to", 1500),
    ("Let's talk on 12/03 about it", 12),
    ("Yes!\n\nOn Mon, Brand <b@x.com> wrote:\n> we can offer EUR 500", 500),  # our own quoted offer
])
def test_tolerant_check_never_invents_a_fee(text: str, fee: int) -> None:
    assert not fee_in_text(text, Decimal(fee))


async def test_a_model_fee_in_words_is_kept_without_doubt() -> None:
    result = await _classify("Sounds fun! I can do it for twelve hundred", intent="counter_offer",
                             proposed_fee=1200, currency="USD")
    assert result.value.proposed_fee == Decimal(1200) and "disputed" not in result.value.fee_flags
    assert doubts_in(result.notes) == []
    assert any("tolerant check" in note for note in result.notes)


async def test_an_unverifiable_model_fee_is_dropped_and_doubted() -> None:
    result = await _classify("My rate is $900.", intent="counter_offer", proposed_fee=5000, currency="USD")
    assert result.value.proposed_fee is None
    [doubt] = [d for d in doubts_in(result.notes) if "does not contain" in d]
    assert "5,000" in doubt or "5000" in doubt


async def test_sarcastic_refusal_read_as_interest_is_doubted() -> None:
    text = "$200 for three reels…? Wow, so generous. I'll pass"
    result = await _classify(text, intent="interested", proposed_fee=200, currency="USD")
    doubts = doubts_in(result.notes)
    assert doubts and any("declined" in doubt for doubt in doubts), result.notes


async def test_a_question_about_our_budget_is_not_a_price() -> None:
    result = await _classify("Is $500 your budget for the whole thing?", intent="counter_offer", proposed_fee=500,
                             currency="USD")
    assert any("question" in doubt for doubt in doubts_in(result.notes)), result.notes


async def test_a_refusal_the_rules_read_as_a_price_is_doubted() -> None:
    result = await _classify("My rate is 900 EUR for the reel.", intent="declined")
    assert any("price" in doubt for doubt in doubts_in(result.notes)), result.notes


async def test_opt_out_always_wins_over_the_model() -> None:
    model = scripted_model(tool_answer("ReplyVerdict", {"intent": "interested", "summary": "s"}))
    result = await classify_reply("Not interested. Delete my data please, STOP", "email", model=model)
    assert result.value.intent == "unsubscribe" and model.seen == []  # decided in code, before the model


async def test_an_invalid_amount_stays_invalid_whatever_the_model_reads() -> None:
    result = await _classify("ok -500 EUR", intent="counter_offer", proposed_fee=500, currency="EUR")
    assert {"invalid", "negative"} & set(result.value.fee_flags), result.value


async def test_agreeing_readings_raise_no_doubt() -> None:
    result = await _classify("My rate is 900 EUR for the reel.", intent="counter_offer", proposed_fee=900,
                             currency="EUR")
    assert result.value.proposed_fee == Decimal(900) and doubts_in(result.notes) == []
    assert "disputed" not in result.value.fee_flags
