"""What outreach drafting learns from the manager's earlier edits (`store/drafts/edits.py`): the latest edits of
this organization and channel for the brand-voice profile (applied offline), and on the model path the nearest
ones by embedding (latest when none is embedded yet) as few-shot examples. Read through the run's own
`unit_of_work`, like every other store read of a node; the query is embedded outside any transaction."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from agents.context import AgentContext
from agents.tasks.brand_voice import VoiceProfile, learn_voice
from store.drafts.edits import DraftEditRepository
from tools.embeddings import embed_query

VOICE_EXAMPLES = 20  # the latest edits the brand-voice profile is learned from
FEW_SHOT = 3  # nearest examples shown to the model


async def learned_examples(context: AgentContext, channel: str, profile: dict[str, Any],
                           brief: dict[str, Any], query: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """State for the drafting node: `voice_examples` (latest) and `few_shot` (nearest to `query`, by default the
    creator's profile and the product; model path only). The negotiation agent passes its own draft as `query`."""
    organization_id = uuid.UUID(context.organization_id)
    async with context.unit_of_work() as session:
        latest = await DraftEditRepository(session).examples(organization_id, channel, VOICE_EXAMPLES)
    nearest = []
    if context.model is not None and latest:
        query = query or "\n".join(str(part) for part in (
            profile.get("display_name"), profile.get("bio"), ", ".join(profile.get("categories") or []),
            brief.get("product")) if part)
        vector = await embed_query(query)
        async with context.unit_of_work() as session:
            nearest = await DraftEditRepository(session).examples(organization_id, channel, FEW_SHOT, near=vector)
    return {"voice_examples": [asdict(example) for example in latest],
            "few_shot": [asdict(example) for example in nearest]}


def voice_profile(examples: list[dict[str, Any]]) -> VoiceProfile:
    return learn_voice([(e["before"], e["after"], e.get("creator_name")) for e in examples if e.get("after")])


def few_shot_pairs(examples: list[dict[str, Any]]) -> list[tuple[str, str | None, str | None]]:
    return [(e["before"], e.get("after"), e.get("feedback")) for e in examples]
