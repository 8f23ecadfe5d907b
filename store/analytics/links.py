"""Tracked links and promo codes of a campaign's creators (one link per creator × campaign, any number of codes).

A creator qualifies when they take part in the campaign: a participation row, a conversation or a contract.
"""

from __future__ import annotations

import secrets
import string
import uuid
from collections.abc import Sequence

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput
from store.analytics.dirty import mark_dirty
from store.models import Campaign, CampaignCreator, Contract, Conversation, Creator, PromoCode, TrackedLink

_ALPHABET = string.ascii_letters + string.digits


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def normalize_promo_code(code: str) -> str:
    return code.strip().upper()


class LinkService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure_participant(self, campaign: Campaign, creator_id: uuid.UUID) -> Creator:
        takes_part = or_(
            exists().where(CampaignCreator.campaign_id == campaign.id, CampaignCreator.creator_id == creator_id),
            exists().where(Conversation.campaign_id == campaign.id, Conversation.creator_id == creator_id),
            exists().where(Contract.campaign_id == campaign.id, Contract.creator_id == creator_id))
        creator = (await self.session.execute(select(Creator).where(Creator.id == creator_id, takes_part)
                                              )).scalar_one_or_none()
        if creator is None:
            raise InvalidInput("This creator does not take part in the campaign: shortlist or invite them first",
                               code="creator_not_in_campaign")
        return creator

    async def link_for(self, campaign: Campaign, creator_id: uuid.UUID, destination_url: str,
                       utm_content: str | None = None) -> TrackedLink:
        """The pair's link (created once; a new destination replaces the old one)."""
        creator = await self.ensure_participant(campaign, creator_id)
        link = (await self.session.execute(select(TrackedLink).where(
            TrackedLink.campaign_id == campaign.id, TrackedLink.creator_id == creator_id))).scalar_one_or_none()
        if link is None:
            link = TrackedLink(organization_id=campaign.organization_id, campaign_id=campaign.id,
                               creator_id=creator_id, code=new_code(), utm_source=_utm_value(creator.display_name),
                               utm_medium="influencer", utm_campaign=_utm_value(campaign.name))
            self.session.add(link)
        link.destination_url = destination_url
        link.utm_content = utm_content
        await self.session.flush()
        await mark_dirty(self.session, [(campaign.id, creator_id)])  # tracked now: clicks become a real 0
        return link

    async def add_promo_code(self, campaign: Campaign, creator_id: uuid.UUID, code: str,
                             description: str | None) -> PromoCode:
        await self.ensure_participant(campaign, creator_id)
        normalized = normalize_promo_code(code)
        existing = (await self.session.execute(select(PromoCode).where(
            PromoCode.organization_id == campaign.organization_id, PromoCode.code == normalized))).scalar_one_or_none()
        if existing is not None:
            if (existing.campaign_id, existing.creator_id) == (campaign.id, creator_id):
                return existing
            raise Conflict(f"Promo code {normalized} already belongs to another creator or campaign",
                           code="promo_code_taken")
        promo = PromoCode(organization_id=campaign.organization_id, campaign_id=campaign.id, creator_id=creator_id,
                          code=normalized, description=description)
        self.session.add(promo)
        await self.session.flush()
        await mark_dirty(self.session, [(campaign.id, creator_id)])
        return promo

    async def links(self, campaign_id: uuid.UUID, creator_id: uuid.UUID | None = None) -> Sequence[TrackedLink]:
        statement = select(TrackedLink).where(TrackedLink.campaign_id == campaign_id)
        if creator_id is not None:
            statement = statement.where(TrackedLink.creator_id == creator_id)
        return (await self.session.execute(statement.order_by(TrackedLink.created_at))).scalars().all()

    async def promo_codes(self, campaign_id: uuid.UUID, creator_id: uuid.UUID | None = None) -> Sequence[PromoCode]:
        statement = select(PromoCode).where(PromoCode.campaign_id == campaign_id)
        if creator_id is not None:
            statement = statement.where(PromoCode.creator_id == creator_id)
        return (await self.session.execute(statement.order_by(PromoCode.code))).scalars().all()

    async def links_of_creator(self, creator_id: uuid.UUID) -> Sequence[TrackedLink]:
        return (await self.session.execute(select(TrackedLink).where(TrackedLink.creator_id == creator_id)
                                           .order_by(TrackedLink.created_at))).scalars().all()

    async def promo_codes_of_creator(self, creator_id: uuid.UUID) -> Sequence[PromoCode]:
        return (await self.session.execute(select(PromoCode).where(PromoCode.creator_id == creator_id)
                                           .order_by(PromoCode.code))).scalars().all()


def _utm_value(text: str) -> str:
    slug = "".join(char.lower() if char.isalnum() else "-" for char in text).strip("-")
    return "-".join(part for part in slug.split("-") if part)[:100] or "creator"
