"""The brief as API responses show it: `store.campaigns.brief.CampaignBrief`, with its amounts (budget, fee
ceiling, fee target) as JSON numbers, as responses always showed them. The numbers are written from the exact
decimals (`core.money.json_number`), so `1234.56` in the brief reads `1234.56` here; requests may send numbers
or decimal strings."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import PlainSerializer

from core.money import json_number
from store.campaigns.brief import BriefAmount, CampaignBrief

AmountNumber = Annotated[BriefAmount, PlainSerializer(json_number, return_type=int | float, when_used="json")]


class BriefJson(CampaignBrief):
    budget: AmountNumber | None = None
    fee_ceiling: AmountNumber | None = None  # per creator, hard limit enforced in code
    fee_target: AmountNumber | None = None  # per creator, what the agent opens with / aims for


def brief_json(stored: dict[str, Any] | CampaignBrief) -> dict[str, Any]:
    """A stored brief for a response: the stated fields only, amounts as numbers."""
    brief = stored if isinstance(stored, CampaignBrief) else CampaignBrief.model_validate(stored or {})
    return BriefJson.model_validate(brief.model_dump()).model_dump(mode="json", exclude_defaults=True)
