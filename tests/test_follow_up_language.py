"""Follow-ups in the creator's language: the offline templates for each market language, and the model path told
the language (and checked by the amount guard like every other draft)."""

from __future__ import annotations

import pytest

from agents.llm.prompts import load_prompt
from agents.tasks.follow_up import draft_follow_up
from agents.tasks.language import MARKET_LANGUAGES
from agents.tasks.types import CampaignBrief, CreatorProfile
from tests.support.fake_models import FailingChatModel, scripted_model, tool_answer

BRIEF = CampaignBrief(product="Acme", currency="EUR")
GREETING = {"en": "Hi", "es": "Hola", "pt": "Olá", "de": "Hallo", "fr": "Bonjour", "it": "Ciao", "nl": "Hoi",
            "pl": "Cześć", "tr": "Merhaba", "id": "Halo"}


def _profile(**fields: object) -> CreatorProfile:
    return CreatorProfile.model_validate({"creator_id": "c", "display_name": "Lucía Gómez", "first_name": "Lucía"}
                                         | fields)


def test_every_market_language_has_both_follow_ups() -> None:
    prompt = load_prompt("follow_up")
    for language in MARKET_LANGUAGES[1:]:
        assert prompt.has(f"offline_next__{language}") and prompt.has(f"offline_last__{language}"), language


@pytest.mark.parametrize("language", MARKET_LANGUAGES)
async def test_offline_follow_ups_are_in_the_profile_language(language: str) -> None:
    for number in (1, 2):
        result = await draft_follow_up(_profile(languages=[language]), BRIEF, "email", number=number, limit=2)
        assert result.value.body_text.startswith(f"{GREETING[language]} Lucía"), result.value.body_text
        assert result.value.language == language and "Acme" in result.value.body_text


async def test_the_country_decides_when_the_profile_names_no_language() -> None:
    result = await draft_follow_up(_profile(country="ES"), BRIEF, "whatsapp", number=1, limit=3)
    assert result.value.body_text.startswith("Hola") and result.value.subject is None


async def test_the_model_is_told_the_language_and_failures_fall_back() -> None:
    model = scripted_model(tool_answer("DraftOut", {"body_text": "Hola Lucía, ¿te interesa? Un saludo",
                                                    "language": "es"}))
    result = await draft_follow_up(_profile(languages=["es"]), BRIEF, "email", number=1, limit=2, model=model)
    assert result.value.body_text.startswith("Hola Lucía") and result.value.language == "es"
    assert "Spanish" in model.seen[0][0].content and "`es`" in model.seen[0][0].content
    failed = await draft_follow_up(_profile(languages=["pt"]), BRIEF, "email", number=2, limit=2,
                                   model=FailingChatModel())
    assert failed.model == "offline-rules" and failed.value.body_text.startswith("Olá")
