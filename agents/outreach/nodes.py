"""Outreach nodes. `approve_message` is the only interrupting node and has no side effects. The approval itself
queues the message (the decision's transaction, `store/approvals/effects.py`); `record_approved`, after it,
only marks the creator invited, which is idempotent."""

from __future__ import annotations

import uuid
from typing import Any

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from agents.approval import ActionRequest, ApprovalRequest, ask_human
from agents.context import AgentContext
from agents.outreach.state import DraftRecord, OutreachState
from agents.outreach.voice import few_shot_pairs, learned_examples, voice_profile
from agents.profiles import creator_profile
from agents.tasks import facts
from agents.tasks.drafting import draft_outreach
from agents.tasks.types import CampaignBrief, Channel, CreatorProfile, Draft
from core.settings import get_settings
from store.campaigns.service import CampaignService
from store.contacts.reachability import channel_address, contactable_channels


async def load_context(state: OutreachState, runtime: Runtime[AgentContext]) -> Command[Any]:
    context = runtime.context
    channel: Channel = "whatsapp" if state["channel"] == "whatsapp" else "email"
    async with context.unit_of_work() as session:
        campaigns = CampaignService(session)
        creator = await campaigns.creator(uuid.UUID(context.organization_id), uuid.UUID(state["creator_id"]))
        campaign = await campaigns.campaign_for_run(context.campaign_uuid)
        company = await campaigns.company_name(uuid.UUID(context.organization_id))
        contactable = (await contactable_channels(session, creator, uuid.UUID(context.organization_id))
                       if creator else [])
    address = channel_address(creator, channel) if creator and channel in contactable else None
    if campaign is None or str(campaign.organization_id) != context.organization_id or creator is None or not address:
        return Command(goto=END, update={"outcome": "unreachable"})  # gone, no consent, or on do-not-contact
    profile = creator_profile(creator).model_dump(mode="json")
    learned = await learned_examples(context, channel, profile, campaign.brief)  # the manager's earlier edits
    return Command(goto="draft_message", update={
        "profile": profile, "brief": campaign.brief, "to_address": address,
        "company": company, "attempt": state.get("attempt", 0), "history": state.get("history", []), **learned})


async def draft_message(state: OutreachState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    feedback = state.get("feedback")
    previous = state.get("draft")
    brief = CampaignBrief.model_validate(state["brief"])
    produced = await draft_outreach(
        CreatorProfile.model_validate(state["profile"]), brief,
        "whatsapp" if state["channel"] == "whatsapp" else "email", feedback=feedback,
        sender=facts.signature(state.get("company"), brief),
        previous=Draft.model_validate(previous) if previous and feedback else None, model=runtime.context.model,
        voice=voice_profile(state.get("voice_examples", [])), examples=few_shot_pairs(state.get("few_shot", [])))
    draft = DraftRecord(channel=produced.value.channel, subject=produced.value.subject,
                        body_text=produced.value.body_text, language=produced.value.language,
                        model=produced.model, prompt_version=f"{produced.prompt_id}@{produced.prompt_version}",
                        notes=produced.notes)
    return {"draft": draft, "attempt": state.get("attempt", 0) + 1}


def _feedback_outcome(feedback: str, notes: list[str]) -> str:
    """What the redraft did with the manager's feedback, from the drafting notes — never more than happened."""
    if "the redraft is unchanged: edit the draft by hand" in notes:
        return (f' The manager\'s feedback ("{feedback}") could not be applied: the redraft is unchanged. '
                "Edit it by hand.")
    applied = [note.removeprefix("feedback applied: ") for note in notes if note.startswith("feedback applied: ")]
    unapplied = [note for note in notes if note.startswith("feedback not applied")]
    text = f' Rewritten after the manager\'s feedback ("{feedback}")' + (f": {', '.join(applied)}" if applied else "")
    return text + (f"; {'; '.join(unapplied)} — edit the draft by hand for that part." if unapplied else ".")


def _reasoning(state: OutreachState) -> str:
    reasons = "; ".join(state.get("reasons", [])) or "chosen by the manager"
    text = (f"Shortlisted because: {reasons}. Draft {state.get('attempt', 1)} for {state['channel']}, "
            f"personalised from the creator's profile and the campaign brief.")
    notes = state.get("draft", {}).get("notes") or []
    text += "".join(f" {note[0].upper()}{note[1:]}." for note in notes
                    if note.startswith(("brand voice", "guided by")))  # what was learned from earlier edits
    if feedback := state.get("feedback"):
        text += _feedback_outcome(feedback, notes)
    return text


async def approve_message(state: OutreachState) -> Command[Any]:
    """Interrupt once for this draft; route on the answer. No side effects here: this re-runs on resume."""
    draft = state["draft"]
    name = state["profile"].get("display_name", "the creator")
    answer = ask_human(ApprovalRequest(
        kind="message", action_id=f"message:{state['attempt']}", creator_id=state["creator_id"],
        action_request=ActionRequest(action=f"send_{state['channel']}", args={
            "channel": state["channel"], "to": state["to_address"], "subject": draft["subject"],
            "body_text": draft["body_text"]}),
        description=f"Send this {state['channel']} message to {name}? Edit it, or reject with feedback for a "
                    "new draft.",
        reasoning=_reasoning(state), model=draft["model"], prompt_version=draft["prompt_version"],
        auto_send_kind="outreach",
    ))
    if answer.accepted:
        edits = answer.edited_args() if answer.type == "edit" else {}
        final = {"subject": draft["subject"], "body_text": draft["body_text"],
                 **{key: value for key, value in edits.items() if key in ("subject", "body_text", "body_html")}}
        return Command(goto="record_approved", update={"final": final})
    history = [*state.get("history", []), {"draft": draft, "action": answer.action, "feedback": answer.instructions}]
    if answer.instructions:
        if state["attempt"] >= get_settings().AGENT_MAX_DRAFT_ATTEMPTS:
            return Command(goto=END, update={"history": history, "outcome": "gave_up"})
        return Command(goto="draft_message", update={"history": history, "feedback": answer.instructions})
    return Command(goto=END, update={"history": history,
                                     "outcome": "expired" if answer.action == "expire" else "rejected"})


async def record_approved(state: OutreachState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    async with runtime.context.unit_of_work() as session:
        await CampaignService(session).mark_invited(runtime.context.campaign_uuid, uuid.UUID(state["creator_id"]))
    return {"outcome": "queued"}
