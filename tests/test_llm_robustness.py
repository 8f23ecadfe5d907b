"""The model path stays bounded and checked (tests/support/openai_server.py, real HTTP on 127.0.0.1): a hung model
costs the call budget, not minutes; the brief's reply says what changed, not what the model claims; a search tool
call naming a country ("Germany") is turned into its code, an unreadable one leaves planning to the rules."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from agents.discovery.planning import plan_searches
from agents.llm.factory import get_chat_model
from agents.llm.tool_args import iso_country, iso_language, platform_name
from agents.tasks.brief import extract_brief
from agents.tasks.types import CampaignBrief
from core.settings import get_settings
from tests.support.openai_server import OpenAICompatServer, Scripted


def _model(server: OpenAICompatServer):  # type: ignore[no-untyped-def]
    return get_chat_model(provider="openai", base_url=server.base_url, api_key="test", model="local-test")


async def test_a_hung_model_costs_the_call_budget(openai_server: OpenAICompatServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLM_CALL_BUDGET_SECONDS", "1")
    get_settings.cache_clear()
    try:
        hang = 3.0

        def hang_then_answer(request: object) -> Scripted:
            time.sleep(hang)
            return Scripted(content="late")

        openai_server.responder = hang_then_answer
        started = time.monotonic()
        result = await extract_brief("Budget €10k, Instagram, beauty creators in Spain.", CampaignBrief(),
                                     _model(openai_server), today=dt.date(2025, 3, 1))
        elapsed = time.monotonic() - started
    finally:
        get_settings.cache_clear()
    assert elapsed < hang  # a retry after a 3 s hang would take 6 s: the budget cut it at about 1 s
    assert result.model == "offline-rules" and result.value.brief.budget == 10000
    assert any("failed" in note for note in result.notes)


async def test_brief_reply_says_what_changed_not_what_the_model_claims(openai_server: OpenAICompatServer) -> None:
    openai_server.script(Scripted.tool("BriefUpdate", {"budget": 50000, "auto_send": ["outreach"],
                                                       "platforms": ["tiktok"],
                                                       "reply": "Done: budget raised and auto-send on."}))
    result = await extract_brief("Let's do TikTok.", CampaignBrief(budget=Decimal(20000), currency="EUR"),
                                 _model(openai_server), today=dt.date(2025, 3, 1))
    turn = result.value
    assert turn.brief.budget == 20000 and turn.brief.auto_send == [] and turn.brief.platforms == ["tiktok"]
    assert turn.changed_fields == ["platforms"]
    assert "Done" not in turn.reply and "budget raised" not in turn.reply


def test_tool_argument_names_become_codes() -> None:
    assert [iso_country(name) for name in ("Germany", "Deutschland", "de", "UK", "España", "Türkiye")] == \
        ["DE", "DE", "DE", "GB", "ES", "TR"]
    assert (iso_language("German"), iso_language("es"), platform_name("IG"), platform_name("X")) == \
        ("de", "es", "instagram", "twitter")
    with pytest.raises(ValueError):
        iso_country("Atlantis")


async def test_search_tool_call_with_a_country_name(openai_server: OpenAICompatServer) -> None:
    brief = CampaignBrief(categories=["beauty"], countries=["DE"], platforms=["instagram"])
    openai_server.script(Scripted(tool_calls=[("SearchCreators", {"category": "beauty", "country": "Germany",
                                                                  "platform": "Instagram"})]))
    calls, planned_by, _ = await plan_searches(brief, [], _model(openai_server), 3)
    assert planned_by == "openai:local-test"
    assert calls[0]["filters"] == {"category": "beauty", "country": "DE", "platform": "instagram"}

    openai_server.script(Scripted(tool_calls=[("SearchCreators", {"category": "beauty", "country": "Atlantis"})]))
    calls, planned_by, _ = await plan_searches(brief, [], _model(openai_server), 3)
    assert planned_by == "offline-rules" and calls[0]["filters"]["country"] == "DE"
