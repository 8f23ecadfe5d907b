"""DEVELOPMENT ONLY: realistic analytics for one campaign (`influency analytics seed --campaign ID`), so a fresh
system on embedded defaults can show a full report.

For up to `creators` participants (taking creators from the directory when the campaign has too few): an agreed
fee with its contract and payments (the advance paid), a tracked link and a promo code, a post with a metric reading
a day growing like a real post, clicks over the last `days` days (some bots, some repeat visitors) and orders from a
few percent of them (promo code or click, a few refunded, some in another currency). Deterministic per `seed`.
Rows go straight into the tables (not through the redirect or webhooks); rollups are refreshed at the end.
"""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from store.analytics.campaign_terms import reporting_currency
from store.analytics.click_ids import new_click_id
from store.analytics.dirty import mark_dirty
from store.analytics.links import LinkService
from store.analytics.posts import PostService, Reading
from store.conversations.service import ConversationService
from store.models import (
    Campaign,
    CampaignCreator,
    ClickEvent,
    Contract,
    Creator,
    Negotiation,
    NegotiationStatus,
    Order,
    OrderRefund,
    ParticipationSource,
    ParticipationStatus,
    Payment,
    PaymentStatus,
)

BOT_SHARE = 0.08
REPEAT_SHARE = 0.18


@dataclass(frozen=True)
class SeedSummary:
    creators: int
    clicks: int
    orders: int
    snapshots: int


async def _participants(session: AsyncSession, campaign: Campaign, count: int) -> list[Creator]:
    current = list((await session.execute(
        select(Creator).join(CampaignCreator, CampaignCreator.creator_id == Creator.id)
        .where(CampaignCreator.campaign_id == campaign.id).limit(count))).scalars())
    if len(current) < count:
        extra = list((await session.execute(select(Creator).where(Creator.id.not_in([c.id for c in current]))
                                            .order_by(Creator.id).limit(count - len(current)))).scalars())
        for creator in extra:
            session.add(CampaignCreator(campaign_id=campaign.id, creator_id=creator.id,
                                        status=ParticipationStatus.accepted, source=ParticipationSource.manual))
        current += extra
    if not current:
        raise InvalidInput("No creators to use: run `influency creators seed` (or import creators) first",
                           code="no_creators")
    await session.flush()
    return current


async def _deal(session: AsyncSession, campaign: Campaign, creator: Creator, fee: Decimal, currency: str,
                start: datetime) -> None:
    existing = (await session.execute(select(func.count()).select_from(Payment).where(
        Payment.campaign_id == campaign.id, Payment.creator_id == creator.id))).scalar_one()
    if existing:
        return
    conversation = await ConversationService(session).open(campaign.organization_id, campaign.id, creator.id)
    negotiation = Negotiation(organization_id=campaign.organization_id, campaign_id=campaign.id,
                              creator_id=creator.id, conversation_id=conversation.id,
                              status=NegotiationStatus.contracted, rounds=2, creator_ask=fee * Decimal("1.25"),
                              our_offer=fee, fee=fee, currency=currency, agreed_at=start)
    session.add(negotiation)
    await session.flush()
    contract = Contract(organization_id=campaign.organization_id, campaign_id=campaign.id, creator_id=creator.id,
                        negotiation_id=negotiation.id, reference=f"CTR-SEED{uuid.uuid4().hex[:6].upper()}",
                        template_id="standard", template_version="seed", terms={}, signed_at=start)
    session.add(contract)
    await session.flush()
    half = (fee / 2).quantize(Decimal("0.01"))
    for key, amount, status in (("advance", half, PaymentStatus.paid), ("final", fee - half, PaymentStatus.scheduled)):
        session.add(Payment(organization_id=campaign.organization_id, campaign_id=campaign.id,
                            contract_id=contract.id, creator_id=creator.id, milestone_key=key, kind=key,
                            trigger="signature", description=f"{key} (seeded)", amount=amount, currency=currency,
                            status=status, paid_at=start + timedelta(days=1) if status == PaymentStatus.paid else None,
                            created_at=start, payout_idempotency_key=f"payout:{contract.id}:{key}"))


def _growth(day: int, days: int) -> float:
    return 1 - math.exp(-(day + 1) / max(days / 4, 1))


async def seed_campaign(session: AsyncSession, campaign_id: uuid.UUID, *, creators: int = 6, days: int = 21,
                        seed: int = 1, now: datetime | None = None) -> SeedSummary:
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.deleted_at is not None:
        raise NotFound("Campaign not found", code="campaign_not_found")
    rng = random.Random(f"{campaign_id}:{seed}")
    currency = reporting_currency(campaign)
    now = now or datetime.now(UTC)
    start = now - timedelta(days=days)
    links, posts = LinkService(session), PostService(session)
    clicks = orders = snapshots = 0
    people = await _participants(session, campaign, creators)
    for index, creator in enumerate(people):
        audience = rng.choice([0.4, 0.7, 1.0, 1.6, 2.5])  # how big and how keen this creator's audience is
        fee = Decimal(rng.randrange(400, 2400, 50))
        await _deal(session, campaign, creator, fee, currency, start)
        link = await links.link_for(campaign, creator.id, str(campaign.brief.get("landing_url")
                                                              or "https://shop.example.com/"))
        code = "".join(ch for ch in creator.display_name.upper() if ch.isalnum())[:10] + f"{10 + index}"
        try:
            promo = await links.add_promo_code(campaign, creator.id, code, "seeded")
        except Exception:  # noqa: BLE001  (the code exists from an earlier seed: keep going without it)
            promo = None
        platform = (creator.platforms or ["instagram"])[0]
        handle = hashlib.sha256(f"{creator.id}{seed}".encode()).hexdigest()[:11]
        url = {"youtube": f"https://www.youtube.com/watch?v={handle}",
               "tiktok": f"https://www.tiktok.com/@seed/video/7{int(handle, 16) % 10**15}"}.get(
            platform, f"https://www.instagram.com/p/{handle}/")
        post = await posts.register(campaign.organization_id, campaign.id, creator.id, url,
                                    published_at=start + timedelta(days=1))
        post.next_poll_at = None  # seeded readings stand in for polling
        eventual = int(rng.uniform(15_000, 120_000) * audience)
        for day in range(1, days):
            reached = int(eventual * _growth(day, days))
            likes = int(reached * rng.uniform(0.03, 0.05))
            values: dict[str, int | None] = {"impressions": int(reached * 1.35), "reach": reached, "likes": likes,
                                             "comments": likes // 25, "shares": likes // 40, "saves": likes // 30,
                                             "views": int(reached * 0.8) if platform != "instagram" else None}
            if platform == "youtube":
                values |= {"impressions": None, "reach": None, "saves": None}
            await posts.record(post, Reading(values, start + timedelta(days=day, hours=rng.randint(8, 20))),
                               source="import")
            snapshots += 1
        rows: list[dict[str, Any]] = []
        visitors: list[str] = []
        for day in range(1, days):
            for _ in range(int(rng.uniform(10, 60) * audience * (1.8 if day < 5 else 1.0))):
                at = start + timedelta(days=day, seconds=rng.randint(0, 86_399))
                bot = rng.random() < BOT_SHARE
                repeat = bool(visitors) and rng.random() < REPEAT_SHARE
                visitor = rng.choice(visitors) if repeat else uuid.UUID(int=rng.getrandbits(128)).hex
                visitors.append(visitor)
                rows.append({"id": new_click_id(at), "link_id": link.id, "organization_id": campaign.organization_id,
                             "campaign_id": campaign.id, "creator_id": creator.id, "occurred_at": at,
                             "visitor_hash": visitor[:32], "is_bot": bot, "is_unique": not bot and not repeat})
        for chunk in range(0, len(rows), 3_000):
            await session.execute(insert(ClickEvent).values(rows[chunk:chunk + 3_000]))
        clicks += len(rows)
        for row in rows:
            if row["is_bot"] or rng.random() > 0.035 * audience:
                continue
            by_code = promo is not None and rng.random() < 0.4
            order_currency = currency if rng.random() < 0.85 else ("USD" if currency != "USD" else "EUR")
            total = Decimal(rng.randrange(1900, 12900)) / 100
            order_id = uuid.uuid4()
            ordered_at = row["occurred_at"] + timedelta(minutes=rng.randint(2, 600))
            session.add(Order(id=order_id, organization_id=campaign.organization_id, source="generic",
                              external_order_id=f"seed-{order_id.hex[:12]}", campaign_id=campaign.id,
                              creator_id=creator.id, attributed_by="promo_code" if by_code else "click",
                              promo_code=promo.code if by_code and promo else None,
                              click_id=None if by_code else row["id"], currency=order_currency, total_amount=total,
                              refunded_amount=total if rng.random() < 0.05 else Decimal(0),
                              ordered_at=min(ordered_at, now)))
            orders += 1
        await session.flush()
        await mark_dirty(session, [(campaign.id, creator.id)])
    refunded = select(Order.id, Order.refunded_amount, Order.currency, Order.ordered_at).where(
        Order.campaign_id == campaign.id, Order.refunded_amount > 0, Order.external_order_id.like("seed-%"))
    for order_id, amount, order_currency, ordered_at in (await session.execute(refunded)).all():
        await session.execute(pg_insert(OrderRefund).values(
            id=uuid.uuid4(), order_id=order_id, external_refund_id=f"seed-{order_id.hex[:8]}", amount=amount,
            currency=order_currency, refunded_at=ordered_at + timedelta(days=2)).on_conflict_do_nothing())
    return SeedSummary(len(people), clicks, orders, snapshots)
