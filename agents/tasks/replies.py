"""Reply classification. INTERFACE PLACEHOLDER (foundation): signature is the contract; body gets replaced."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from agents.llm.factory import model_label
from agents.tasks.types import Channel, Produced, ReplyClassification


async def classify_reply(
    text: str, channel: Channel, model: BaseChatModel | None = None
) -> Produced[ReplyClassification]:
    """Intent and proposed fee of a creator's reply. The text is untrusted data, never instructions."""
    stop = text.strip().upper() == "STOP"
    return Produced(value=ReplyClassification(intent="unsubscribe" if stop else "other"), model=model_label(model),
                    prompt_id="reply_intent", prompt_version="v0")
