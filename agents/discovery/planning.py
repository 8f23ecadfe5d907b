"""Turning the brief (and the manager's feedback) into creator-search tool calls.

With a chat model: the `discovery_plan_search` prompt (`prompts/`, versioned) and a `SearchCreators` tool; the
model's tool calls are validated and capped. With none (offline), or when the model proposes no valid call: rules,
one call per category × country, carrying the brief's other filters and the feedback as free text.
"""

from __future__ import annotations

import itertools
import json
import logging

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field, ValidationError, field_validator

from agents.discovery.state import SearchCall
from agents.llm.factory import model_label
from agents.llm.prompts import PromptTemplate, fenced, load_prompt
from agents.llm.structured import bounded
from agents.llm.tool_args import iso_country, iso_language, platform_name
from agents.tasks.types import CampaignBrief

log = logging.getLogger(__name__)
PROMPT_ID = "discovery_plan_search"
RULES_VERSION = "rules-v1"


class SearchCreators(BaseModel):
    """Search the creator database. Every filter is optional; leave out what the brief does not say."""

    query: str | None = Field(None, description="Free-text description of the creators wanted")
    platform: str | None = Field(None, description="instagram, youtube, tiktok or twitter")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country code")
    category: str | None = Field(None, description="One niche, e.g. fitness")
    language: str | None = Field(None, description="ISO 639-1 language code")
    min_followers: int | None = Field(None, ge=0)
    max_followers: int | None = Field(None, ge=0)

    # A model writes "Germany" as readily as "DE": names become codes, anything unreadable fails validation and
    # the call is dropped (the rules plan when no call is left), so search never sees a bad argument.
    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return iso_country(value) if value else None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        return iso_language(value) if value else None

    @field_validator("platform")
    @classmethod
    def _platform(cls, value: str | None) -> str | None:
        return platform_name(value) if value else None


def _call(index: int, query: str | None, **filters: object) -> SearchCall:
    return SearchCall(id=f"search-{index}", query=query,
                      filters={key: value for key, value in filters.items() if value is not None})


def plan_by_rules(brief: CampaignBrief, feedback: list[str], limit: int) -> list[SearchCall]:
    query = " ".join(part for part in [brief.goal, brief.product, *feedback] if part) or None
    platform = brief.platforms[0] if len(brief.platforms) == 1 else None
    language = brief.languages[0] if len(brief.languages) == 1 else None
    categories: list[str | None] = list(brief.categories) or [None]
    countries: list[str | None] = list(brief.countries) or [None]
    pairs = itertools.product(categories, countries)
    return [_call(index, query, platform=platform, category=category, country=country, language=language,
                  min_followers=brief.min_followers, max_followers=brief.max_followers)
            for index, (category, country) in enumerate(itertools.islice(pairs, limit), start=1)]


async def _plan_with_model(model: BaseChatModel, prompt: PromptTemplate, brief: CampaignBrief,
                           feedback: list[str], limit: int) -> list[SearchCall]:
    answer = await bounded(model.bind_tools([SearchCreators]).ainvoke(prompt.messages(
        max_calls=limit, brief=fenced(json.dumps(brief.model_dump(mode="json")), "brief"),
        feedback=fenced("\n".join(feedback) or "(none)", "feedback"))))
    calls = []
    for index, tool_call in enumerate(getattr(answer, "tool_calls", [])[:limit], start=1):
        if tool_call.get("name") != "SearchCreators":
            continue
        try:
            args = SearchCreators.model_validate(tool_call.get("args", {}))
        except ValidationError:
            continue
        calls.append(_call(index, **args.model_dump()))
    return calls


async def plan_searches(brief: CampaignBrief, feedback: list[str], model: BaseChatModel | None,
                        limit: int) -> tuple[list[SearchCall], str, str]:
    """The calls to run, the label of what planned them and its prompt version."""
    if model is not None:
        prompt = load_prompt(PROMPT_ID)
        try:
            calls = await _plan_with_model(model, prompt, brief, feedback, limit)
            if calls:
                return calls, model_label(model), f"{prompt.id}@{prompt.version}"
        except Exception:  # a failing model must not stop discovery: the rules still know the brief
            log.warning("search planning by model failed; using rules", exc_info=True)
    return plan_by_rules(brief, feedback, limit), model_label(None), RULES_VERSION
