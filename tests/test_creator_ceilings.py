"""Per-creator ceilings: the brief's ceiling scaled to the creator's audience or taken from their posted rates
(the lowest applicable amount, never above the flat ceiling), enforced in code when an offer is decided; the fees
agreed with the creator before are on the offer card and in its reasoning."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import httpx
from sqlalchemy import select, update

from store.campaigns.brief import CampaignBrief, Deliverable
from store.db import unit_of_work
from store.models import Campaign, Conversation, Creator, Negotiation, NegotiationStatus
from store.negotiations.ceilings import creator_ceiling
from tests.agents_flow import decide
from tests.conftest import manager_headers
from tests.negotiation_flow import Sink, email_reply, pending_approvals, sent_outreach
from tests.support.jobs import run_jobs

BRIEF = CampaignBrief(currency="EUR", platforms=["instagram"], fee_ceiling=Decimal(1500),
                      deliverables=[Deliverable(platform="instagram", kind="reel"),
                                    Deliverable(platform="instagram", kind="story", quantity=3)])


def creator(followers: int | None = 50_000, rates: dict[str, float] | None = None, currency: str = "EUR") -> Creator:
    audience = {"instagram": {"followers": followers}} if followers is not None else {}
    return Creator(display_name="Ana", audience=audience, rates=rates or {}, currency=currency)


def test_the_flat_ceiling_unless_the_brief_scales_it() -> None:
    assert creator_ceiling(BRIEF, creator()).amount == Decimal(1500)
    assert creator_ceiling(BRIEF, None).basis is None


def test_audience_scaled_ceiling_capped_by_the_flat_one() -> None:
    scaled = BRIEF.model_copy(update={"fee_per_1k_followers": Decimal(20)})
    small = creator_ceiling(scaled, creator(50_000))
    assert small.amount == Decimal("1000.00") and "20 per 1,000 followers × 50,000" in (small.basis or "")
    assert creator_ceiling(scaled, creator(400_000)).amount == Decimal(1500)  # the flat ceiling still caps it
    unknown = creator_ceiling(scaled, creator(None))
    assert unknown.amount == Decimal(1500) and "no follower count" in (unknown.basis or "")


def test_posted_rates_priced_for_the_deliverables() -> None:
    by_rates = BRIEF.model_copy(update={"ceiling_from_rates": True})
    rates: dict[str, float] = {"instagram_reel": 600, "instagram_story": 100}
    assert creator_ceiling(by_rates, creator(rates=rates)).amount == Decimal("900.00")  # 600 + 3 × 100
    missing = creator_ceiling(by_rates, creator(rates={"instagram_reel": 600}))
    assert missing.amount == Decimal(1500) and "no posted rate for instagram story" in (missing.basis or "")
    other = creator_ceiling(by_rates, creator(rates=rates, currency="USD"))
    assert other.amount == Decimal(1500) and "in USD" in (other.basis or "")
    both = creator_ceiling(by_rates.model_copy(update={"fee_per_1k_followers": Decimal(10)}), creator(rates=rates))
    assert both.amount == Decimal("500.00")  # the lowest applicable


async def test_the_offer_is_checked_against_this_creators_ceiling_and_shows_past_fees(
        client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)  # Ana, 50,000 followers; brief ceiling EUR 1,500
    async with unit_of_work() as session:
        campaign = (await session.execute(select(Campaign))).scalar_one()
        # this creator's ceiling: 24 per 1,000 followers = EUR 1,200
        await session.execute(update(Campaign).values(brief=Campaign.brief.op("||")({"fee_per_1k_followers": "24"})))
        earlier = Campaign(organization_id=campaign.organization_id, name="Winter promo", brief={})
        session.add(earlier)
        await session.flush()
        conversation = Conversation(organization_id=campaign.organization_id, campaign_id=earlier.id,
                                    creator_id=thread.creator_id)
        session.add(conversation)
        await session.flush()
        session.add(Negotiation(organization_id=campaign.organization_id, campaign_id=earlier.id,
                                creator_id=thread.creator_id, conversation_id=conversation.id,
                                status=NegotiationStatus.agreed, fee=Decimal(700), currency="EUR", rounds=1,
                                deliverables=[], agreed_at=dt.datetime(2026, 1, 15, tzinfo=dt.UTC)))

    await email_reply(client, thread, "Thanks! My rate for this is 1400 EUR.", "<r1@mail.test>")
    await run_jobs()
    [offer] = await pending_approvals("offer")
    args = offer.request["action_request"]["args"]
    assert args["decision"] == "counter" and Decimal(str(args["amount"])) <= Decimal(1200)
    assert args["past_fees"] == [{"campaign": "Winter promo", "fee": "700.00", "currency": "EUR",
                                  "agreed_at": "2026-01-15"}]
    assert "ceiling EUR 1,200" in offer.reasoning
    assert "This creator's ceiling: 1200.00 from 24 per 1,000 followers × 50,000." in offer.reasoning
    assert "Agreed with this creator before: EUR 700 for Winter promo (2026-01-15)." in offer.reasoning

    # below the brief's flat ceiling, above this creator's: refused in code under the campaign lock
    refused = await decide(client, headers, str(offer.id), "edit", payload={"amount": 1300})
    assert refused.status_code == 409 and refused.json()["code"] == "offer_exceeds_limits"
    assert "per-creator ceiling of 1200.00 (1200.00 from 24 per 1,000 followers" in refused.text
    assert (await decide(client, headers, str(offer.id), "edit", payload={"amount": 1150})).status_code == 200
