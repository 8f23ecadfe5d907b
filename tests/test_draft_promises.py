"""The amount guard (`agents/tasks/draft_checks.promise_problems`) on every draft a model writes to a creator:
extra money in digits or words, bonus promises, usage / exclusivity / paid usage beyond the brief are refused
(the template answers, the reason is noted); what the brief grants and the decided amount pass."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agents.policy.negotiation import NegotiationDecision
from agents.tasks.draft_checks import check_draft, promise_problems
from agents.tasks.follow_up import draft_follow_up
from agents.tasks.negotiation import draft_negotiation_reply
from agents.tasks.types import CampaignBrief, CreatorProfile, Draft
from tests.support.fake_models import scripted_model, tool_answer

PROFILE = CreatorProfile(creator_id="c", display_name="Sam Lee", first_name="Sam", platforms={"instagram": {}})
BRIEF = CampaignBrief.model_validate({"product": "Acme", "currency": "EUR", "fee_ceiling": 1000, "fee_target": 700,
                                      "usage_rights": {"channels": ["organic social"], "months": 6},
                                      "exclusivity": {"exclusive": False}})
ACCEPT = NegotiationDecision(action="accept", amount=Decimal(800), currency="EUR", rule="3-accept", reason="r")


@pytest.mark.parametrize("text", [
    "EUR 800 works for us, plus two thousand euros for the usage.",
    "EUR 800 works, and we add perpetual usage of the content.",
    "EUR 800 works; we'd like 12 months exclusivity in the category.",
    "EUR 800 works and we will boost the reel as paid ads.",
    "EUR 800 works, plus a bonus per sale.",
    "EUR 800 works, plus a commission on every sale.",
    "800 € passen, dazu zweitausend Euro extra.",
])
def test_promises_beyond_the_deal_are_found(text: str) -> None:
    assert promise_problems(text, BRIEF, {Decimal(800)}, language="de" if "Euro" in text else "en"), text


@pytest.mark.parametrize("text", [
    "EUR 800 works for us for 2 reels.",
    "Usage rights for 6 months on organic social, as in the brief. No exclusivity needed.",
    "¡Mil gracias! 800 EUR nos encaja.",
    "EUR 800 works; we'd love to commission 2 reels, and the contract's provisions follow the brief.",
])
def test_what_was_agreed_passes(text: str) -> None:
    assert promise_problems(text, BRIEF, {Decimal(800)}, language="es" if "gracias" in text else "en") == []


async def test_a_negotiation_reply_promising_more_is_replaced_by_the_template() -> None:
    model = scripted_model(tool_answer("DraftOut", {
        "body_text": "Hi Sam, EUR 800 works for us, plus two thousand euros and perpetual usage. Best, Acme"}))
    result = await draft_negotiation_reply(ACCEPT, PROFILE, BRIEF, "email", creator_reply="800?", model=model)
    assert result.model == "offline-rules" and "perpetual" not in result.value.body_text
    assert "EUR 800" in result.value.body_text
    assert any("2,000" in note and "usage" in note for note in result.notes), result.notes


async def test_a_follow_up_promising_terms_is_replaced_by_the_template() -> None:
    model = scripted_model(tool_answer("DraftOut", {"body_text": "Hi Sam, still keen? We'd add 12 months "
                                                                 "exclusivity. Best"}))
    result = await draft_follow_up(PROFILE, BRIEF, "email", number=1, limit=2, model=model)
    assert result.model == "offline-rules" and "exclusivity" in result.notes[0]


def test_an_outreach_draft_promising_perpetual_usage_fails_the_draft_rules() -> None:
    draft = Draft(channel="email", subject="Sam x Acme", body_text="Hi Sam Lee, we love your Instagram. We offer "
                  "perpetual usage rights and a bonus.\n\nReply unsubscribe to opt out.")
    problems = check_draft(draft, PROFILE, BRIEF)
    assert any("usage" in p for p in problems) and any("bonus" in p for p in problems), problems
