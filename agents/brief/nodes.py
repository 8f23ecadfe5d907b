"""Brief nodes: `extract` asks the brief task; `guard` applies only what the manager stated.

The guard is a second line behind the task's own rules: only fields the task reports as stated in this
message change (anything else it returned is dropped), and `auto_send` may only name `AUTO_SEND_KINDS` and only
changes when the manager's own words (quotes and injected instructions removed) talk about sending without
approval — text pasted into the brief cannot quietly switch approvals off.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.brief.state import BriefTurnState
from agents.context import AgentContext
from agents.llm.prompts import load_prompt
from agents.tasks.brief import PROMPT_ID, compose_reply, extract_brief, missing
from agents.tasks.brief_rules import AUTO_SEND_KINDS, read_auto_send, sanitize
from agents.tasks.types import BriefTurn, CampaignBrief


def missing_fields(brief: CampaignBrief) -> list[str]:
    """What the brief still needs before it can be confirmed: required fields, then the contract terms (unless
    the manager decides them later)."""
    return missing(brief)


async def extract(state: BriefTurnState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    produced = await extract_brief(state["text"], CampaignBrief.model_validate(state["brief"]),
                                   runtime.context.model if runtime.context else None)
    return {"proposed": produced.value.model_dump(mode="json"), "model": produced.model,
            "prompt_version": f"{produced.prompt_id}@{produced.prompt_version}"}


def apply_stated(current: CampaignBrief, turn: BriefTurn, text: str) -> tuple[CampaignBrief, list[str]]:
    """The brief after this turn and the fields it changed, keeping every field the manager did not state."""
    stated = [name for name in dict.fromkeys(turn.changed_fields) if name in CampaignBrief.model_fields]
    if "auto_send" in stated and read_auto_send(sanitize(text)) is None:
        stated.remove("auto_send")
    updates = {name: getattr(turn.brief, name) for name in stated}
    if "auto_send" in updates:
        updates["auto_send"] = [kind for kind in updates["auto_send"] if kind in AUTO_SEND_KINDS]
    merged = CampaignBrief.model_validate({**current.model_dump(), **updates})
    changed = [name for name in stated if getattr(merged, name) != getattr(current, name)]
    return merged, changed


async def guard(state: BriefTurnState) -> dict[str, Any]:
    current = CampaignBrief.model_validate(state["brief"])
    turn = BriefTurn.model_validate(state["proposed"])
    merged, changed = apply_stated(current, turn, state["text"])
    missing = missing_fields(merged)
    # Composed from what the guard actually applied: a field the task reported but the guard dropped is not
    # claimed as changed.
    reply = turn.reply if changed == turn.changed_fields and turn.reply.strip() else \
        compose_reply(load_prompt(PROMPT_ID), merged, changed)
    return {"brief": merged.model_dump(mode="json"), "changed_fields": changed, "missing_fields": missing,
            "reply": reply}
