"""The outreach funnel of a campaign, from the tables that already record each step (no tracking of its own):

    drafted   first outreach draft's approval created          (approvals, kind message)
    approved  that approval approved or edited                 (approvals; edited / rejected counted aside)
    sent → delivered → read                                    (outbound messages' sent_at / delivered_at / read_at)
    replied   first inbound message                            (messages)
    interested a reply that opened a negotiation not cancelled  (negotiations)
    offer     first offer approval, else an offer on record    (approvals kind offer / negotiations.our_offer)
    agreed    negotiation agreed                               (negotiations.agreed_at)
    signed    contract signed by the creator                   (contracts.signed_at)
    posted    first post URL                                   (deliverables.submitted_at with a post URL / posts)

The unit is a creator of the campaign. A step counts a creator who reached it (later steps imply earlier ones even
when an earlier timestamp is missing, e.g. an invite sent without an agent draft). Conversion is against the
previous step and against the first; the median time between two steps is over creators with both timestamps.
Breakdowns: per channel of the first outbound message, creator language, and prompt version of the first draft.
Negotiation savings: the creator's first ask (from the first offer approval, else the negotiation) vs agreed fee.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from store.analytics.campaign_terms import reporting_currency
from store.analytics.fx import convert
from store.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Campaign,
    Contract,
    Conversation,
    Creator,
    Deliverable,
    Message,
    MessageDirection,
    Negotiation,
    NegotiationStatus,
    Post,
)

STEPS = ("drafted", "approved", "sent", "delivered", "read", "replied", "interested", "offer", "agreed", "signed",
         "posted")


@dataclass
class CreatorPath:
    reached: dict[str, datetime | None] = field(default_factory=dict)  # step → when (None: reached, time unknown)
    channel: str = "unknown"
    language: str = "unknown"
    prompt_version: str = "unknown"
    edited: bool = False
    rejected: bool = False


@dataclass(frozen=True)
class StepStats:
    step: str
    creators: int
    rate_from_previous: Decimal | None
    rate_from_start: Decimal | None
    median_hours_from_previous: float | None
    timed_pairs: int


@dataclass(frozen=True)
class Savings:
    negotiations: int
    first_ask_total: Decimal | None
    agreed_total: Decimal | None
    saved: Decimal | None
    saved_rate: Decimal | None
    currency: str


@dataclass(frozen=True)
class Funnel:
    campaign_id: uuid.UUID
    steps: list[StepStats]
    drafts: dict[str, int]
    by_channel: dict[str, list[StepStats]]
    by_language: dict[str, list[StepStats]]
    by_prompt_version: dict[str, list[StepStats]]
    savings: Savings


def _rate(numerator: int, denominator: int) -> Decimal | None:
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001")) if denominator else None


def step_stats(paths: list[CreatorPath]) -> list[StepStats]:
    """Counts (a later step implies the earlier ones), conversion rates and median times for these creators."""
    furthest = [max((STEPS.index(step) for step in path.reached), default=-1) for path in paths]
    counts = [sum(1 for index in furthest if index >= position) for position in range(len(STEPS))]
    result = []
    for position, step in enumerate(STEPS):
        gaps = []
        if position:
            previous = STEPS[position - 1]
            for path in paths:
                start, end = path.reached.get(previous), path.reached.get(step)
                if start is not None and end is not None and end >= start:
                    gaps.append((end - start).total_seconds() / 3600)
        result.append(StepStats(step, counts[position],
                                _rate(counts[position], counts[position - 1]) if position else None,
                                _rate(counts[position], counts[0]), round(statistics.median(gaps), 2) if gaps else None,
                                len(gaps)))
    return result


def _first_ask(request: Any) -> Decimal | None:
    """The `creator_ask` anywhere in an offer approval's request (the agent records it with the proposal)."""
    if isinstance(request, dict):
        for key, value in request.items():
            if key == "creator_ask" and value is not None:
                try:
                    return Decimal(str(value))
                except ArithmeticError:
                    return None
            if (found := _first_ask(value)) is not None:
                return found
    if isinstance(request, list):
        for item in request:
            if (found := _first_ask(item)) is not None:
                return found
    return None


class FunnelService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def funnel(self, campaign: Campaign) -> Funnel:
        paths: dict[uuid.UUID, CreatorPath] = defaultdict(CreatorPath)

        def reach(creator_id: uuid.UUID | None, step: str, when: datetime | None) -> None:
            if creator_id is None:
                return
            current = paths[creator_id].reached.get(step)
            if step not in paths[creator_id].reached or (when is not None and (current is None or when < current)):
                paths[creator_id].reached[step] = when

        approvals = (await self.session.execute(select(Approval).where(
            Approval.campaign_id == campaign.id, Approval.kind.in_([ApprovalKind.message, ApprovalKind.offer]))
            .order_by(Approval.created_at))).scalars().all()
        first_asks: dict[uuid.UUID, Decimal] = {}
        for approval in approvals:
            if approval.kind == ApprovalKind.offer:
                reach(approval.creator_id, "offer", approval.created_at)
                ask = _first_ask(approval.request)
                if approval.creator_id and ask is not None:
                    first_asks.setdefault(approval.creator_id, ask)
                continue
            if approval.creator_id is None:
                continue
            path = paths[approval.creator_id]
            if "drafted" not in path.reached:
                path.prompt_version = approval.prompt_version or "unknown"
            reach(approval.creator_id, "drafted", approval.created_at)
            if approval.status in (ApprovalStatus.approved, ApprovalStatus.edited):
                reach(approval.creator_id, "approved", approval.decided_at)
            path.edited |= approval.status == ApprovalStatus.edited
            path.rejected |= approval.status == ApprovalStatus.rejected

        messages = (await self.session.execute(
            select(Conversation.creator_id, Message.direction, Message.channel, Message.sent_at,
                   Message.delivered_at, Message.read_at, Message.created_at)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Conversation.campaign_id == campaign.id).order_by(Message.created_at))).all()
        for row in messages:
            if row.direction == MessageDirection.inbound:
                reach(row.creator_id, "replied", row.created_at)
                continue
            if row.sent_at is None:
                continue
            if "sent" not in paths[row.creator_id].reached:
                paths[row.creator_id].channel = str(row.channel)
            reach(row.creator_id, "sent", row.sent_at)
            if row.delivered_at or row.read_at:
                reach(row.creator_id, "delivered", row.delivered_at)
            if row.read_at:
                reach(row.creator_id, "read", row.read_at)

        negotiations = (await self.session.execute(select(Negotiation).where(
            Negotiation.campaign_id == campaign.id))).scalars().all()
        for negotiation in negotiations:
            if negotiation.status != NegotiationStatus.cancelled:
                reach(negotiation.creator_id, "interested", negotiation.created_at)
            if negotiation.our_offer is not None:
                reach(negotiation.creator_id, "offer", None)
            if negotiation.status in (NegotiationStatus.agreed, NegotiationStatus.contracted):
                reach(negotiation.creator_id, "agreed", negotiation.agreed_at)

        for creator_id, signed_at in (await self.session.execute(select(Contract.creator_id, Contract.signed_at).where(
                Contract.campaign_id == campaign.id, Contract.signed_at.is_not(None)))).all():
            reach(creator_id, "signed", signed_at)
        for creator_id, posted_at in (await self.session.execute(
                select(Deliverable.creator_id, func.min(Deliverable.submitted_at)).where(
                    Deliverable.campaign_id == campaign.id, Deliverable.post_url.is_not(None))
                .group_by(Deliverable.creator_id))).all():
            reach(creator_id, "posted", posted_at)
        for creator_id, posted_at in (await self.session.execute(
                select(Post.creator_id, func.min(Post.published_at)).where(Post.campaign_id == campaign.id)
                .group_by(Post.creator_id))).all():
            reach(creator_id, "posted", posted_at)

        if paths:
            languages = (await self.session.execute(select(Creator.id, Creator.languages).where(
                Creator.id.in_(list(paths))))).all()
            for creator_id, spoken in languages:
                paths[creator_id].language = spoken[0] if spoken else "unknown"
        everyone = list(paths.values())
        return Funnel(
            campaign.id, step_stats(everyone),
            {"drafted": sum("drafted" in path.reached for path in everyone),
             "approved": sum("approved" in path.reached for path in everyone),
             "edited": sum(path.edited for path in everyone), "rejected": sum(path.rejected for path in everyone)},
            _by(everyone, "channel"), _by(everyone, "language"), _by(everyone, "prompt_version"),
            _savings(negotiations, first_asks, reporting_currency(campaign)))


def _by(paths: list[CreatorPath], attribute: str) -> dict[str, list[StepStats]]:
    groups: dict[str, list[CreatorPath]] = defaultdict(list)
    for path in paths:
        groups[getattr(path, attribute)].append(path)
    return {key: step_stats(members) for key, members in sorted(groups.items())}


def _savings(negotiations: Any, first_asks: dict[uuid.UUID, Decimal], currency: str) -> Savings:
    asked, agreed, count = Decimal(0), Decimal(0), 0
    for negotiation in negotiations:
        if negotiation.fee is None or not negotiation.currency or negotiation.status not in (
                NegotiationStatus.agreed, NegotiationStatus.contracted):
            continue
        first = first_asks.get(negotiation.creator_id, negotiation.creator_ask)
        ask, fee = (convert(first, negotiation.currency, currency) if first is not None else None,
                    convert(negotiation.fee, negotiation.currency, currency))
        if ask is None or fee is None:
            continue
        asked, agreed, count = asked + ask, agreed + fee, count + 1
    if not count:
        return Savings(0, None, None, None, None, currency)
    cent = Decimal("0.01")
    return Savings(count, asked.quantize(cent), agreed.quantize(cent), (asked - agreed).quantize(cent),
                   _rate(int((asked - agreed) * 100), int(asked * 100)) if asked else None, currency)
