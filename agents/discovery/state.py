"""Discovery state. Plain JSON values only (checkpointed); every list is replaced, not appended, by the node
that owns it. Input is just the frozen brief."""

from __future__ import annotations

from typing import Any, TypedDict


class SearchCall(TypedDict):
    id: str
    query: str | None
    filters: dict[str, Any]  # keyword arguments of `store.creators.search.SearchFilters`


class Candidate(TypedDict):
    creator_id: str
    display_name: str
    score: float
    reasons: list[str]
    followers: int | None
    channels: list[str]
    country: str | None
    categories: list[str]


class DiscoveryInput(TypedDict):
    brief: dict[str, Any]  # store.campaigns.brief.CampaignBrief as JSON


class DiscoveryState(TypedDict, total=False):
    brief: dict[str, Any]
    round: int  # 1 for the first shortlist, +1 per re-run after feedback
    feedback: list[str]  # the manager's feedback on earlier shortlists, oldest first
    search_brief: dict[str, Any]  # the brief with the filters the feedback changed (what searches and fit use)
    feedback_applied: list[str]  # "min followers 20,000 → 100,000": what the feedback changed
    feedback_unapplied: list[str]  # feedback sentences no rule could turn into a filter
    search_calls: list[SearchCall]
    planned_by: str  # model label of the planner ("offline-rules" or a chat model)
    prompt_version: str
    candidates: list[Candidate]
    already_in_campaign: list[str]
    shortlist: list[Candidate]
    left_out: dict[str, int]  # why candidates were not proposed, with counts
    final_creator_ids: list[str]
    outreach_runs: int
    outcome: str  # shortlist_approved | rejected | expired
