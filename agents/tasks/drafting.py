"""Outreach drafting. INTERFACE PLACEHOLDER (foundation): signature is the contract; body gets replaced."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from agents.llm.factory import model_label
from agents.tasks.types import CampaignBrief, Channel, CreatorProfile, Draft, Produced


async def draft_outreach(profile: CreatorProfile, brief: CampaignBrief, channel: Channel, *,
                         feedback: str | None = None, previous: Draft | None = None,
                         model: BaseChatModel | None = None) -> Produced[Draft]:
    """One personalised first-contact draft. `feedback` (a manager's rejection note) drives a redraft of `previous`."""
    name = profile.first_name or profile.display_name
    body = f"Hi {name}, we would love to work with you on {brief.product or 'our campaign'}."
    subject = f"Collaboration with {brief.product or 'us'}" if channel == "email" else None
    return Produced(value=Draft(channel=channel, subject=subject, body_text=body), model=model_label(model),
                    prompt_id=f"outreach_{channel}", prompt_version="v0")
