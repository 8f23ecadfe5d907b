"""All SQL for campaigns, their brief conversation and their creators (participation)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    BriefMessage,
    Campaign,
    CampaignCreator,
    CampaignStatus,
    Creator,
    ParticipationSource,
    ParticipationStatus,
)

CREATOR_VISIBLE = (ParticipationStatus.invited, ParticipationStatus.accepted, ParticipationStatus.declined)


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, campaign: Campaign) -> Campaign:
        self.session.add(campaign)
        await self.session.flush()
        return campaign

    async def get(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID, *,
                  for_update: bool = False) -> Campaign | None:
        """A live campaign of this organization (None for other tenants' and deleted campaigns)."""
        statement = select(Campaign).where(Campaign.id == campaign_id, Campaign.organization_id == organization_id,
                                           Campaign.deleted_at.is_(None))
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get_any_tenant(self, campaign_id: uuid.UUID) -> Campaign | None:
        """For agent runs, whose tenant is the run's own organization."""
        return await self.session.get(Campaign, campaign_id)

    async def page(self, organization_id: uuid.UUID | None, *, status: CampaignStatus | None, query: str | None,
                   limit: int, offset: int) -> tuple[list[Campaign], int]:
        statement: Select[Any] = select(Campaign).where(Campaign.organization_id == organization_id,
                                                        Campaign.deleted_at.is_(None))
        if status is not None:
            statement = statement.where(Campaign.status == status)
        if query:
            statement = statement.where(Campaign.name.ilike(f"%{_escape_like(query)}%", escape="\\"))
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        rows = await self.session.execute(statement.order_by(Campaign.created_at.desc(), Campaign.id)
                                          .limit(limit).offset(offset))
        return list(rows.scalars()), int(total)

    # ------------------------------------------------------------- brief conversation
    async def add_brief_message(self, message: BriefMessage) -> None:
        self.session.add(message)
        await self.session.flush()

    async def brief_messages(self, campaign_id: uuid.UUID) -> list[BriefMessage]:
        statement = (select(BriefMessage).where(BriefMessage.campaign_id == campaign_id)
                     .order_by(BriefMessage.created_at, BriefMessage.id))
        return list((await self.session.execute(statement)).scalars())

    # ------------------------------------------------------------- participation
    async def participation(self, campaign_id: uuid.UUID, creator_id: uuid.UUID, *,
                            for_update: bool = False) -> CampaignCreator | None:
        statement = select(CampaignCreator).where(CampaignCreator.campaign_id == campaign_id,
                                                  CampaignCreator.creator_id == creator_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add_participation_once(self, campaign_id: uuid.UUID, creator_id: uuid.UUID,
                                     status: ParticipationStatus, source: ParticipationSource,
                                     score: float | None = None, reasons: list[Any] | None = None) -> None:
        statement = (
            insert(CampaignCreator)
            .values(id=uuid.uuid4(), campaign_id=campaign_id, creator_id=creator_id, status=status, source=source,
                    score=score, reasons=reasons or [])
            .on_conflict_do_nothing(index_elements=[CampaignCreator.campaign_id, CampaignCreator.creator_id])
        )
        await self.session.execute(statement)

    async def participants(self, campaign_id: uuid.UUID) -> list[tuple[CampaignCreator, Creator]]:
        statement = (select(CampaignCreator, Creator).join(Creator, Creator.id == CampaignCreator.creator_id)
                     .where(CampaignCreator.campaign_id == campaign_id).order_by(CampaignCreator.created_at))
        return [(row[0], row[1]) for row in (await self.session.execute(statement)).all()]

    async def participant_ids(self, campaign_id: uuid.UUID) -> set[uuid.UUID]:
        statement = select(CampaignCreator.creator_id).where(CampaignCreator.campaign_id == campaign_id)
        return set((await self.session.execute(statement)).scalars())

    async def campaigns_of_creator(self, creator_id: uuid.UUID) -> list[tuple[CampaignCreator, Campaign]]:
        statement = (select(CampaignCreator, Campaign).join(Campaign, Campaign.id == CampaignCreator.campaign_id)
                     .where(CampaignCreator.creator_id == creator_id, Campaign.deleted_at.is_(None),
                            CampaignCreator.status.in_(CREATOR_VISIBLE))
                     .order_by(CampaignCreator.created_at.desc()))
        return [(row[0], row[1]) for row in (await self.session.execute(statement)).all()]

    # ------------------------------------------------------------- creators (read-only here)
    async def creator(self, creator_id: uuid.UUID) -> Creator | None:
        """Any tenant's: for records (negotiations, contracts, approvals) whose creator was checked when they were
        made. A creator id from a request goes through `store.creators.visibility` instead."""
        return await self.session.get(Creator, creator_id)

    async def creator_of_user(self, user_id: uuid.UUID) -> Creator | None:
        statement = select(Creator).where(Creator.user_id == user_id)
        return (await self.session.execute(statement)).scalar_one_or_none()


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
