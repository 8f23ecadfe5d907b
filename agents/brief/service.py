"""The brief conversation as the API uses it: post a message (one brief-graph turn, stored with the reply),
read the brief, confirm it (freezes it and starts discovery through `CampaignService.confirm_brief`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from sqlalchemy.ext.asyncio import AsyncSession

from agents.brief.graph import builder
from agents.brief.nodes import missing_fields
from agents.context import AgentContext
from store.campaigns.brief import CampaignBrief, brief_of
from store.campaigns.service import BriefTurnRecord, CampaignService
from store.models import BriefMessage, Campaign

_graph = builder.compile()


@dataclass(frozen=True)
class BriefView:
    campaign: Campaign
    brief: CampaignBrief
    missing_fields: list[str]
    messages: list[BriefMessage]
    reply: str | None = None
    changed_fields: list[str] = field(default_factory=list)
    model: str | None = None
    prompt_version: str | None = None
    run_id: uuid.UUID | None = None


class BriefConversation:
    def __init__(self, session: AsyncSession, model: BaseChatModel | None = None) -> None:
        self.session = session
        self.model = model
        self.campaigns = CampaignService(session)

    async def post(self, organization_id: uuid.UUID | None, user_id: uuid.UUID, campaign_id: uuid.UUID,
                   text: str) -> BriefView:
        # No row lock while the model thinks (a hung model would block every write to the campaign): read, run
        # the turn, then lock and apply. Should the brief have changed meanwhile, the turn is redone on the
        # fresh brief under the lock by the offline rules, which take milliseconds.
        seen = await self.campaigns.get(organization_id, campaign_id)
        before = dict(seen.brief or {})
        result = await self._turn(seen, text, self.model)
        campaign = await self.campaigns.brief_for_update(organization_id, campaign_id)
        await self.session.refresh(campaign)  # the row as committed now that we hold its lock
        if dict(campaign.brief or {}) != before:
            result = await self._turn(campaign, text, None)
        brief = CampaignBrief.model_validate(result["brief"])
        await self.campaigns.record_brief_turn(campaign, user_id, BriefTurnRecord(
            manager_text=text, reply=result["reply"], brief=brief, changed_fields=result["changed_fields"],
            model=result["model"], prompt_version=result["prompt_version"]))
        return BriefView(campaign=campaign, brief=brief,
                         missing_fields=result["missing_fields"],
                         messages=await self.campaigns.brief_messages(campaign.id), reply=result["reply"],
                         changed_fields=result["changed_fields"], model=result["model"],
                         prompt_version=result["prompt_version"])

    @staticmethod
    async def _turn(campaign: Campaign, text: str, model: BaseChatModel | None) -> dict[str, Any]:
        context = AgentContext(organization_id=str(campaign.organization_id), campaign_id=str(campaign.id),
                               run_id=f"brief:{campaign.id}", model=model)
        result: dict[str, Any] = await _graph.ainvoke({"text": text, "brief": campaign.brief}, context=context)
        return result

    async def view(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> BriefView:
        campaign = await self.campaigns.get(organization_id, campaign_id)
        brief = brief_of(campaign)
        return BriefView(campaign=campaign, brief=brief, missing_fields=missing_fields(brief),
                         messages=await self.campaigns.brief_messages(campaign.id))

    async def confirm(self, organization_id: uuid.UUID | None, user_id: uuid.UUID, campaign_id: uuid.UUID, *,
                      terms_later: bool = False) -> BriefView:
        """Freeze the brief. Its contract terms are needed too, unless `terms_later` (or the manager's "decide
        later" in the conversation): then the contract agent asks for them when a creator agrees."""
        campaign = await self.campaigns.get(organization_id, campaign_id)
        brief = brief_of(campaign)
        if terms_later:
            brief = brief.model_copy(update={"terms_later": True})
        missing = missing_fields(brief)
        campaign, run = await self.campaigns.confirm_brief(organization_id, user_id, campaign_id, missing,
                                                           terms_later=terms_later)
        view = await self.view(organization_id, campaign.id)
        return BriefView(campaign=view.campaign, brief=view.brief, missing_fields=[], messages=view.messages,
                         run_id=run.id)
