"""Discovery nodes. `approve_shortlist` is the only interrupting node and has no side effects; `start_outreach`
(after it) writes, keyed by run: shortlist rows are inserted once and each outreach run has the idempotency
key `outreach:<run>:<creator>:<channel>`, so re-running the node after a crash creates nothing twice."""

from __future__ import annotations

import uuid
from dataclasses import fields
from typing import Any

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from agents.approval import ActionRequest, ApprovalRequest, InboxConfig, ask_human
from agents.context import AgentContext
from agents.discovery.feedback import apply_feedback
from agents.discovery.planning import plan_searches
from agents.discovery.state import Candidate, DiscoveryState
from agents.profiles import creator_profile, followers
from agents.tasks.types import CampaignBrief
from core.settings import get_settings
from store.agent_runs.service import AgentRunService, NewRun
from store.campaigns.service import CampaignService
from store.contacts.reachability import contactable_channels, outreach_channels
from store.creators.search import SearchFilters
from store.models import Creator, RunKind
from tools.creator_search import search_creators

_FILTER_NAMES = {field.name for field in fields(SearchFilters)}


def _search_brief(state: DiscoveryState) -> CampaignBrief:
    return CampaignBrief.model_validate(state.get("search_brief") or state["brief"])


async def plan_search(state: DiscoveryState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    feedback = state.get("feedback", [])
    effect = apply_feedback(CampaignBrief.model_validate(state["brief"]), feedback)
    # A model reads all the feedback; the rules' free-text query only gets what no filter took up.
    calls, planned_by, version = await plan_searches(
        effect.brief, feedback if runtime.context.model is not None else effect.unapplied, runtime.context.model,
        get_settings().AGENT_MAX_SEARCH_CALLS)
    return {"round": state.get("round", 0) + 1, "search_calls": calls, "planned_by": planned_by,
            "prompt_version": version, "search_brief": effect.brief.model_dump(mode="json"),
            "feedback_applied": effect.applied, "feedback_unapplied": effect.unapplied}


def _candidate(creator: Creator, score: float, explanation: list[str], platforms: list[str],
               channels: list[str]) -> Candidate:
    profile = creator_profile(creator)
    return Candidate(creator_id=str(creator.id), display_name=profile.display_name, score=float(score),
                     reasons=list(explanation), followers=followers(profile.platforms, platforms),
                     channels=channels, country=profile.country, categories=profile.categories)


async def run_searches(state: DiscoveryState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Execute the planned tool calls; merge matches found by several calls (best score, all reasons)."""
    platforms = _search_brief(state).platforms
    limit = get_settings().AGENT_SEARCH_LIMIT
    organization_id = uuid.UUID(runtime.context.organization_id)
    merged: dict[str, Candidate] = {}
    async with runtime.context.unit_of_work() as session:
        in_campaign = await CampaignService(session).participant_ids(runtime.context.campaign_uuid)
        for call in state.get("search_calls", []):
            filters = SearchFilters(**{k: v for k, v in call["filters"].items() if k in _FILTER_NAMES})
            for match in await search_creators(session, call["query"], filters, limit=limit,
                                               organization_id=organization_id):
                known = merged.get(str(match.creator.id))
                if known is None:
                    channels = await contactable_channels(session, match.creator, organization_id)
                    merged[str(match.creator.id)] = _candidate(match.creator, match.score, match.explanation,
                                                               platforms, list(channels))
                else:
                    known["score"] = max(known["score"], float(match.score))
                    known["reasons"] += [reason for reason in match.explanation if reason not in known["reasons"]]
    return {"candidates": list(merged.values()), "already_in_campaign": sorted(str(cid) for cid in in_campaign)}


def _fit(candidate: Candidate, brief: CampaignBrief) -> tuple[str | None, list[str]]:
    """Why the candidate is left out (None if it fits), and the brief-fit reasons to show the manager."""
    reasons = []
    count = candidate["followers"]
    if count is not None:
        if (brief.min_followers and count < brief.min_followers) or (brief.max_followers
                                                                     and count > brief.max_followers):
            return "outside_follower_range", []
        reasons.append(f"{count:,} followers" + (f" on {'/'.join(brief.platforms)}" if brief.platforms else ""))
    if not candidate["channels"]:
        return "unreachable", []
    if candidate["country"] and candidate["country"] in brief.countries:
        reasons.append(f"based in {candidate['country']}")
    niches = sorted(set(candidate["categories"]) & {c.lower() for c in brief.categories})
    if niches:
        reasons.append(f"creates {', '.join(niches)} content")
    reasons.append(f"reachable by {' and '.join(candidate['channels'])}")
    return None, reasons


def _unique_reasons(reasons: list[str]) -> list[str]:
    """Reasons in order, without repeats; "based in ES" and "based in ES (Madrid)" count as one (the longer kept)."""
    kept: list[str] = []
    for reason in reasons:
        same = next((i for i, seen in enumerate(kept) if reason.startswith(seen) or seen.startswith(reason)), None)
        if same is None:
            kept.append(reason)
        elif len(reason) > len(kept[same]):
            kept[same] = reason
    return kept


async def build_shortlist(state: DiscoveryState) -> dict[str, Any]:
    brief = _search_brief(state)
    excluded = set(state.get("already_in_campaign", []))
    left_out: dict[str, int] = {}
    fitting: list[Candidate] = []
    for candidate in state.get("candidates", []):
        reason, fit_reasons = ("already_in_campaign", []) if candidate["creator_id"] in excluded else _fit(
            candidate, brief)
        if reason:
            left_out[reason] = left_out.get(reason, 0) + 1
            continue
        # Search explanations and brief-fit reasons can say the same thing ("based in ES"): show each once.
        fitting.append({**candidate, "reasons": _unique_reasons(fit_reasons + candidate["reasons"])})
    fitting.sort(key=lambda c: (-c["score"], -(c["followers"] or 0), c["display_name"]))
    return {"shortlist": fitting[: get_settings().AGENT_SHORTLIST_SIZE], "left_out": left_out}


def _reasoning(state: DiscoveryState) -> str:
    calls = state.get("search_calls", [])
    described = "; ".join(f"{call['query'] or 'no text'} {call['filters']}" for call in calls)
    left_out = ", ".join(f"{count} {why.replace('_', ' ')}" for why, count in state.get("left_out", {}).items())
    applied, unapplied = state.get("feedback_applied", []), state.get("feedback_unapplied", [])
    text = (f"Round {state.get('round', 1)}: {len(calls)} search call(s) ({described}) found "
            f"{len(state.get('candidates', []))} candidate(s); proposing {len(state.get('shortlist', []))}"
            + (f"; left out: {left_out}" if left_out else "") + ".")
    if applied:
        text += f" Changed after the manager's feedback: {'; '.join(applied)}."
    if unapplied:
        text += (f" Not applied as a filter (no rule understands it): {' / '.join(repr(u) for u in unapplied)}; "
                 "it was added to the search text only — edit the shortlist by hand if it is not met.")
    return text


async def approve_shortlist(state: DiscoveryState) -> Command[Any]:
    """Interrupt once for the shortlist; route on the answer. No side effects here: this re-runs on resume."""
    shortlist = state.get("shortlist", [])
    names = ", ".join(candidate["display_name"] for candidate in shortlist) or "nobody"
    answer = ask_human(ApprovalRequest(
        kind="shortlist", action_id=f"shortlist:{state.get('round', 1)}",
        action_request=ActionRequest(action="approve_shortlist",
                                     args={"creators": shortlist, "searches": state.get("search_calls", [])}),
        config=InboxConfig(allow_accept=bool(shortlist)),
        description=(f"Approve {len(shortlist)} creator(s) for outreach: {names}. Edit to add or remove creators; "
                     "reject with feedback to search again."),
        reasoning=_reasoning(state), model=state.get("planned_by"), prompt_version=state.get("prompt_version"),
    ))
    if answer.accepted:
        edited = answer.edited_args() if answer.type == "edit" else {}
        chosen = edited.get("creator_ids") or [c["creator_id"] if isinstance(c, dict) else c
                                               for c in edited.get("creators", [])]
        final = [str(cid) for cid in chosen] or [candidate["creator_id"] for candidate in shortlist]
        return Command(goto="start_outreach", update={"final_creator_ids": final})
    if answer.instructions:
        return Command(goto="plan_search", update={"feedback": [*state.get("feedback", []), answer.instructions]})
    return Command(goto=END, update={"outcome": "expired" if answer.action == "expire" else "rejected"})


async def start_outreach(state: DiscoveryState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    """Record the approved shortlist and start one outreach run per creator (per open channel when the brief asks
    for all channels)."""
    context = runtime.context
    brief = CampaignBrief.model_validate(state["brief"])
    proposed = {candidate["creator_id"]: candidate for candidate in state.get("shortlist", [])}
    final_ids = [uuid.UUID(cid) for cid in state.get("final_creator_ids", [])]
    started = 0
    async with context.unit_of_work() as session:
        campaigns, runs = CampaignService(session), AgentRunService(session)
        creators = await campaigns.creators_by_ids(uuid.UUID(context.organization_id), final_ids)
        entries = []
        for creator_id in final_ids:
            entry = proposed.get(str(creator_id))
            entries.append((creator_id, entry["score"] if entry else None,
                            entry["reasons"] if entry else ["added by the manager"]))
        await campaigns.shortlist(context.campaign_uuid, [e for e in entries if e[0] in creators])
        for creator_id, _, reasons in entries:
            creator = creators.get(creator_id)
            if creator is None:
                continue
            open_channels = await contactable_channels(session, creator, uuid.UUID(context.organization_id))
            for channel in outreach_channels(creator, open_channels, all_channels=brief.outreach_channels == "all"):
                await runs.start(NewRun(
                    organization_id=uuid.UUID(context.organization_id), campaign_id=context.campaign_uuid,
                    kind=RunKind.outreach, idempotency_key=f"outreach:{context.run_id}:{creator_id}:{channel}",
                    input={"creator_id": str(creator_id), "channel": channel, "reasons": reasons},
                    parent_run_id=context.run_uuid, creator_id=creator_id, channel=channel))
                started += 1
    return {"outreach_runs": started, "outcome": "shortlist_approved"}
