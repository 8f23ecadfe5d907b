"""The outreach funnel from the tables that record each step, against a hand-computed case: counts, conversion
rates, median hours between steps, breakdowns by channel / language / prompt version, negotiation savings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx

from store.conversations.service import ConversationService
from store.db import unit_of_work
from store.models import (
    AgentRun,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Contract,
    Message,
    MessageChannel,
    MessageDirection,
    MessageStatus,
    Negotiation,
    NegotiationStatus,
    Post,
    RunKind,
)
from tests.agents_flow import seed_creator
from tests.conftest import manager_headers
from tests.support.analytics import campaign_with_creators

T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def hours(count: float) -> datetime:
    return T0 + timedelta(hours=count)


async def test_funnel_by_hand(client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), [])
    ana, ben = await seed_creator("Ana"), await seed_creator("Ben", languages=["en"])
    cai = await seed_creator("Cai")
    org, campaign = setup.organization_id, setup.campaign_id
    async with unit_of_work() as session:
        run = AgentRun(organization_id=org, campaign_id=campaign, kind=RunKind.outreach, idempotency_key="o:1")
        session.add(run)
        await session.flush()

        def approval(creator: uuid.UUID, kind: ApprovalKind, status: ApprovalStatus, created: float,
                     decided: float | None, prompt: str = "outreach@1", request: dict | None = None) -> Approval:
            return Approval(organization_id=org, campaign_id=campaign, run_id=run.id, action_id=uuid.uuid4().hex,
                            kind=kind, status=status, creator_id=creator, request=request or {}, prompt_version=prompt,
                            created_at=hours(created), decided_at=hours(decided) if decided is not None else None)

        session.add_all([
            approval(ana, ApprovalKind.message, ApprovalStatus.approved, 0, 2),
            approval(ben, ApprovalKind.message, ApprovalStatus.edited, 0, 4),
            approval(cai, ApprovalKind.message, ApprovalStatus.rejected, 0, 1, prompt="outreach@2"),
            approval(ana, ApprovalKind.offer, ApprovalStatus.approved, 12, 13,
                     request={"action_request": {"args": {"creator_ask": "1500"}}})])
        conversations = {creator: await ConversationService(session).open(org, campaign, creator)
                         for creator in (ana, ben)}

        def message(creator: uuid.UUID, direction: MessageDirection, channel: MessageChannel, *, created: float,
                    sent: float | None = None, delivered: float | None = None, read: float | None = None) -> Message:
            return Message(conversation_id=conversations[creator].id, direction=direction, channel=channel,
                           status=MessageStatus.sent, body_text="hi", idempotency_key=uuid.uuid4().hex,
                           created_at=hours(created), sent_at=hours(sent) if sent is not None else None,
                           delivered_at=hours(delivered) if delivered is not None else None,
                           read_at=hours(read) if read is not None else None)

        session.add_all([
            message(ana, MessageDirection.outbound, MessageChannel.email, created=2, sent=3, delivered=3, read=5),
            message(ana, MessageDirection.inbound, MessageChannel.email, created=10),
            message(ben, MessageDirection.outbound, MessageChannel.whatsapp, created=4, sent=5, delivered=6)])
        negotiation = Negotiation(organization_id=org, campaign_id=campaign, creator_id=ana,
                                  conversation_id=conversations[ana].id, status=NegotiationStatus.contracted,
                                  creator_ask=Decimal("1200"), our_offer=Decimal("900"), fee=Decimal("1000"),
                                  currency="EUR", created_at=hours(11), agreed_at=hours(20))
        session.add(negotiation)
        await session.flush()
        session.add(Contract(organization_id=org, campaign_id=campaign, creator_id=ana, negotiation_id=negotiation.id,
                             reference="CTR-FUNNEL0001", template_id="standard", template_version="1", terms={},
                             signed_at=hours(30)))
        session.add(Post(organization_id=org, campaign_id=campaign, creator_id=ana, platform="instagram",
                         url="https://www.instagram.com/p/abc/", published_at=hours(50)))

    response = await client.get(f"/campaigns/{campaign}/analytics/funnel", headers=setup.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    steps = {step["step"]: step for step in body["steps"]}
    assert [step["creators"] for step in body["steps"]] == [3, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    assert Decimal(steps["approved"]["rate_from_previous"]) == Decimal("0.6667")
    assert Decimal(steps["read"]["rate_from_previous"]) == Decimal("0.5")
    assert Decimal(steps["posted"]["rate_from_start"]) == Decimal("0.3333")
    assert steps["approved"]["median_hours_from_previous"] == 3.0  # Ana 2 h, Ben 4 h
    assert steps["sent"]["median_hours_from_previous"] == 1.0 and steps["sent"]["timed_pairs"] == 2
    assert steps["replied"]["median_hours_from_previous"] == 5.0  # read at 5 h, reply at 10 h
    assert steps["offer"]["median_hours_from_previous"] == 1.0  # interested at 11 h, offer at 12 h
    assert steps["posted"]["median_hours_from_previous"] == 20.0
    assert steps["drafted"]["rate_from_previous"] is None
    assert body["drafts"] == {"drafted": 3, "approved": 2, "edited": 1, "rejected": 1}
    assert {key: [step["creators"] for step in value][:3] for key, value in body["by_channel"].items()} == {
        "email": [1, 1, 1], "unknown": [1, 0, 0], "whatsapp": [1, 1, 1]}
    assert set(body["by_language"]) == {"en", "es"} and body["by_language"]["en"][3]["creators"] == 1
    assert {key: value[0]["creators"] for key, value in body["by_prompt_version"].items()} == {
        "outreach@1": 2, "outreach@2": 1}
    savings = body["savings"]  # first ask 1,500 (the offer approval), agreed 1,000
    assert (savings["negotiations"], Decimal(savings["saved"]), Decimal(savings["saved_rate"])) == (
        1, Decimal("500.00"), Decimal("0.3333"))
    exported = await client.get(f"/campaigns/{campaign}/analytics/funnel", headers=setup.headers,
                                params={"format": "csv"})
    assert exported.text.splitlines()[0].startswith("step,creators,rate_from_previous")
