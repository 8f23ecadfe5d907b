"""Brief-turn state: the manager's text and the brief before the turn in; the guarded brief and reply out.
No checkpointer: the conversation and the brief are stored in the campaign's own tables."""

from __future__ import annotations

from typing import Any, TypedDict


class BriefTurnInput(TypedDict):
    text: str
    brief: dict[str, Any]  # store.campaigns.brief.CampaignBrief as JSON, before this turn


class BriefTurnState(TypedDict, total=False):
    text: str
    brief: dict[str, Any]
    proposed: dict[str, Any]  # BriefTurn from the extraction task, before the guard
    model: str
    prompt_version: str
    changed_fields: list[str]  # after the guard: fields this turn really changed
    missing_fields: list[str]
    reply: str
