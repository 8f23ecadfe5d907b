"""The brief as API responses show it: `store.campaigns.brief.CampaignBrief`, with its amounts (budget, fee
ceiling, fee target) as JSON numbers, as responses always showed them. The numbers are written from the exact
decimals (`core.money.json_number`), so `1234.56` in the brief reads `1234.56` here; requests may send numbers
or strings."""

from __future__ import annotations

from typing import Any

from pydantic import SerializationInfo, SerializerFunctionWrapHandler, model_serializer

from core.money import json_number
from store.campaigns.brief import MONEY_FIELDS, CampaignBrief


class BriefJson(CampaignBrief):
    @model_serializer(mode="wrap")
    def _amounts_as_numbers(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if info.mode_is_json():
            for name in MONEY_FIELDS:
                if data.get(name) is not None:
                    data[name] = json_number(getattr(self, name))
        return data


def brief_json(stored: dict[str, Any] | CampaignBrief) -> dict[str, Any]:
    """A stored brief for a response: the stated fields only, amounts as numbers."""
    brief = stored if isinstance(stored, CampaignBrief) else CampaignBrief.model_validate(stored or {})
    return BriefJson.model_validate(brief.model_dump()).model_dump(mode="json", exclude_defaults=True)
