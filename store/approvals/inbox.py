"""The manager's inbox as the console shows it: pending approvals across campaigns with filters (campaign, kind,
channel, age, escalated), each row with its campaign and creator names, and one approval's card — the approval
detail plus what a manager weighs it against: why the creator was matched, and for offers the negotiation record
and the limits the policy applies (ceiling, budget left).

Reads only; the decisions go through `store/approvals/deciding.py` like the API's. Kept apart from
`repository.py` because it is a read model over several tables (approvals, campaigns, creators, negotiations).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.approvals.service import ApprovalDetail, ApprovalService
from store.campaigns.repository import CampaignRepository
from store.models import Approval, ApprovalKind, ApprovalStatus, Campaign, Creator, Negotiation
from store.negotiations.service import Limits, NegotiationService

AGES = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "72h": timedelta(hours=72)}


@dataclass(frozen=True)
class InboxFilters:
    campaign_id: uuid.UUID | None = None
    kind: ApprovalKind | None = None
    channel: str | None = None  # "email" | "whatsapp": the draft's channel (messages and offers)
    older_than: str | None = None  # a key of AGES
    escalated: bool = False


@dataclass(frozen=True)
class InboxRow:
    approval: Approval
    campaign_name: str
    creator_name: str | None

    @property
    def channel(self) -> str | None:
        return self.approval.request.get("action_request", {}).get("args", {}).get("channel")


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int


@dataclass(frozen=True)
class InboxCard:
    detail: ApprovalDetail
    match_reasons: list[Any]
    match_score: float | None
    negotiation: Negotiation | None
    limits: Limits | None


class InboxService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, organization_id: uuid.UUID | None, filters: InboxFilters, *, limit: int = 50,
                   offset: int = 0) -> InboxPage:
        conditions = [Approval.organization_id == organization_id, Approval.status == ApprovalStatus.pending]
        if filters.campaign_id is not None:
            conditions.append(Approval.campaign_id == filters.campaign_id)
        if filters.kind is not None:
            conditions.append(Approval.kind == filters.kind)
        if filters.channel:
            conditions.append(Approval.request["action_request"]["args"]["channel"].astext == filters.channel)
        if filters.older_than in AGES:
            conditions.append(Approval.created_at <= datetime.now(UTC) - AGES[filters.older_than])
        if filters.escalated:
            conditions.append(Approval.escalated_at.is_not(None))
        # counted on approvals alone: every approval has its campaign, and the creator join adds no rows
        count = select(func.count()).select_from(Approval).where(*conditions)
        total = int((await self.session.execute(count)).scalar_one())
        statement = (
            select(Approval, Campaign.name, Creator.display_name)
            .join(Campaign, Campaign.id == Approval.campaign_id)
            .outerjoin(Creator, Creator.id == Approval.creator_id)
            .where(*conditions))
        rows = await self.session.execute(statement.order_by(Approval.created_at, Approval.id)
                                          .limit(limit).offset(offset))
        return InboxPage([InboxRow(approval, name, creator) for approval, name, creator in rows], total)

    async def card(self, organization_id: uuid.UUID | None, approval_id: uuid.UUID) -> InboxCard:
        detail = await ApprovalService(self.session).detail(organization_id, approval_id)
        approval, reasons, score = detail.approval, [], None
        negotiation = limits = None
        if approval.creator_id is not None:
            for participation, _ in await CampaignRepository(self.session).participants(approval.campaign_id):
                if participation.creator_id == approval.creator_id:
                    reasons, score = list(participation.reasons or []), participation.score
            negotiation = await self._negotiation(approval.campaign_id, approval.creator_id)
        if approval.kind == ApprovalKind.offer and detail.campaign is not None:
            limits = await NegotiationService(self.session).limits(detail.campaign,
                                                                   negotiation.id if negotiation else None)
        return InboxCard(detail, reasons, score, negotiation, limits)

    async def _negotiation(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> Negotiation | None:
        statement = (select(Negotiation).where(Negotiation.campaign_id == campaign_id,
                                               Negotiation.creator_id == creator_id)
                     .order_by(Negotiation.created_at.desc()).limit(1))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def campaigns(self, organization_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
        """The filter's choices: the organization's campaigns, by name."""
        statement = (select(Campaign.id, Campaign.name).where(Campaign.organization_id == organization_id,
                                                               Campaign.deleted_at.is_(None))
                     .order_by(Campaign.name))
        return [(row.id, row.name) for row in await self.session.execute(statement)]



