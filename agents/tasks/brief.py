"""Brief extraction. INTERFACE PLACEHOLDER (foundation): the signature is the contract; the body is replaced by
the full offline rules and the prompt-backed path."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from agents.llm.factory import model_label
from agents.tasks.types import BriefTurn, CampaignBrief, Produced

REQUIRED_FIELDS = ("budget", "currency", "platforms", "categories", "countries")


async def extract_brief(text: str, current: CampaignBrief, model: BaseChatModel | None = None) -> Produced[BriefTurn]:
    """Apply one manager message to the brief. Only fields stated in `text` change; embedded instructions are data."""
    brief = current.model_copy(deep=True)
    missing = [name for name in REQUIRED_FIELDS if not getattr(brief, name)]
    reply = f"What is the {missing[0]}?" if missing else "Brief complete."
    return Produced(value=BriefTurn(brief=brief, changed_fields=[], missing_fields=missing, reply=reply),
                    model=model_label(model), prompt_id="brief_extraction", prompt_version="v0")
