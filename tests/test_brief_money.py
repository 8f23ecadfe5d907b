"""The typed brief and exact money: a fee of 1234.56 stated in the brief survives the policy, the offer card, the
agreement, the contract, the payments and the invoice to the cent; amounts are bounded (422 with what to fix);
usage rights and exclusivity can be set (API and the manager's words) and reach the agreement and the contract."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import select

from agents.negotiation.nodes import amount_on_card
from agents.policy.negotiation import NegotiationDecision, NegotiationState, decide
from agents.tasks.brief import extract_brief, summarize
from agents.tasks.replies import classify_reply
from store.campaigns.brief import CampaignBrief, Exclusivity, UsageRights, brief_of
from store.db import unit_of_work
from store.models import Campaign, Conversation, Invoice, Negotiation, NegotiationStatus
from store.negotiations.service import NegotiationService, decimal_or_none
from tests.agents_flow import FULL_BRIEF, create_campaign, pending
from tests.agents_flow import decide as decide_approval
from tests.conftest import manager_headers
from tests.support.contracts_flow import STANDARD_SCHEDULE, agreed_negotiation, run_jobs, sign, signing_token

FEE = Decimal("1234.56")
TODAY = dt.date(2026, 1, 10)


async def test_the_fee_survives_brief_policy_and_offer_card_exactly() -> None:
    turn = (await extract_brief("Budget EUR 20,000 on Instagram. We pay max EUR 1,234.56 per creator.",
                                CampaignBrief(), today=TODAY)).value
    brief = turn.brief
    assert brief.fee_ceiling == FEE and brief.budget == Decimal(20000)
    stored = brief.stored()
    assert stored["fee_ceiling"] == "1234.56" and CampaignBrief.model_validate(stored) == brief

    reply = (await classify_reply("Happy to do it, my fee is EUR 1,234.56 for the reel.", "email")).value
    assert reply.proposed_fee == FEE and reply.currency == "EUR"
    state = NegotiationState(ask=reply.proposed_fee, ask_currency=reply.currency, currency=brief.currency,
                             ceiling=brief.fee_ceiling, target=brief.fee_ceiling, budget_left=brief.budget)
    decision = decide(state)
    assert (decision.action, decision.amount) == ("accept", FEE)
    # through the agent's checkpointed state (JSON) and the approval card (a JSON number) and back
    again = NegotiationDecision.model_validate(decision.as_json())
    assert again.amount == FEE and decimal_or_none(amount_on_card(decision.as_json()["amount"])) == FEE


def test_old_float_briefs_still_read_exactly() -> None:
    brief = CampaignBrief.model_validate({"budget": 20000.0, "fee_ceiling": 1234.56, "fee_target": "999.9"})
    assert (brief.budget, brief.fee_ceiling, brief.fee_target) == (Decimal(20000), FEE, Decimal("999.9"))
    assert brief.stored() == {"budget": "20000", "fee_ceiling": "1234.56", "fee_target": "999.9"}


async def test_usage_rights_and_exclusivity_from_the_managers_words() -> None:
    turn = (await extract_brief("Usage rights 6 months organic + paid, 3 months exclusivity in skincare.",
                                CampaignBrief(), today=TODAY)).value
    assert turn.brief.usage_rights == UsageRights(channels=["organic social", "paid social"], months=6)
    assert turn.brief.exclusivity == Exclusivity(category="skincare", months=3)
    assert {"usage_rights", "exclusivity"} <= set(turn.changed_fields)
    assert "usage rights organic social, paid social for 6 months" in summarize(turn.brief)
    later = (await extract_brief("Make the usage rights 12 months.", turn.brief, today=TODAY)).value
    assert later.brief.usage_rights == UsageRights(channels=["organic social", "paid social"], months=12)
    none = (await extract_brief("No exclusivity needed. Budget EUR 5000.", CampaignBrief(), today=TODAY)).value
    assert none.brief.exclusivity == Exclusivity(exclusive=False)  # decided: no exclusivity


@pytest.mark.parametrize(("field", "value", "message"), [
    ("budget", 1e308, "at most 1,000,000,000,000"),
    ("budget", "12.345", "at most 2 decimal places"),
    ("fee_ceiling", -5, "cannot be negative"),
    ("fee_target", "a lot", "decimal number"),
    ("budget", "NaN", "finite"),
])
async def test_brief_amounts_are_bounded(client: httpx.AsyncClient, field: str, value: object, message: str) -> None:
    headers = await manager_headers(client)
    response = await client.post("/campaigns/", json={"name": "Big", "brief": {field: value}}, headers=headers)
    assert response.status_code == 422, response.text
    assert message in response.text and field in response.text


async def test_manager_sets_usage_rights_and_amounts_read_back_as_numbers(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers, {"budget": "20000.00", "currency": "EUR",
                                                       "fee_ceiling": 1234.56})
    assert campaign["brief"] == {"budget": 20000, "currency": "EUR", "fee_ceiling": 1234.56}
    updated = await client.put(f"/campaigns/{campaign['id']}", headers=headers, json={"brief": {
        "usage_rights": {"channels": ["organic social", "paid social"], "months": 6},
        "exclusivity": {"category": "sports nutrition", "months": 2}}})
    assert updated.status_code == 200, updated.text
    assert updated.json()["brief"]["usage_rights"] == {"channels": ["organic social", "paid social"], "months": 6}
    view = (await client.get(f"/campaigns/{campaign['id']}/brief", headers=headers)).json()
    assert view["brief"]["fee_ceiling"] == 1234.56 and view["brief"]["exclusivity"]["months"] == 2
    async with unit_of_work() as session:
        row = await session.get(Campaign, uuid.UUID(campaign["id"]))
        assert row is not None and row.brief["fee_ceiling"] == "1234.56"  # stored as an exact string


async def test_fee_of_1234_56_reaches_contract_payments_and_invoice_exactly(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers, {
        **FULL_BRIEF, "fee_ceiling": "1234.56", "fee_target": "1234.56",
        "deliverables": [{"platform": "instagram", "kind": "reel", "quantity": 1, "due_date": "2026-04-10"}],
        "usage_rights": {"channels": ["organic social", "paid social"], "months": 6},
        "exclusivity": {"category": "sports nutrition", "months": 2}, "payment_schedule": STANDARD_SCHEDULE})
    deal = await agreed_negotiation(client, headers, campaign_id=campaign["id"], fee="",
                                    status=NegotiationStatus.open, usage_rights=None, usage_rights_months=None,
                                    exclusivity=None, exclusivity_months=None, deliverables=[])
    async with unit_of_work() as session:  # what approving the policy's accept does (store/negotiations/offers.py)
        negotiation = await session.get(Negotiation, deal.negotiation_id, with_for_update=True)
        assert negotiation is not None
        conversation = await session.get(Conversation, negotiation.conversation_id)
        row = await session.get(Campaign, uuid.UUID(campaign["id"]))
        assert conversation is not None and row is not None
        service = NegotiationService(session)
        limits = await service.limits(row, negotiation.id)
        decision = decide(NegotiationState(ask=FEE, ask_currency="EUR", currency=limits.currency,
                                           ceiling=limits.ceiling, target=limits.target,
                                           budget_left=limits.budget_left))
        assert (decision.action, decision.amount) == ("accept", FEE)
        offered = decimal_or_none(amount_on_card(decision.as_json()["amount"]))  # the approval card's amount, read back
        assert offered is not None
        terms = await service.agree(negotiation, conversation, row, offered, decision.currency)
        assert terms["fee"] == "1234.56" and terms["usage_rights_months"] == 6
        assert brief_of(row).usage_rights is not None
    await run_jobs()

    [approval] = [item for item in await pending(client, headers, "contract")
                  if item["campaign_id"] == campaign["id"]]
    contract_terms = approval["action_request"]["args"]["terms"]
    assert contract_terms["fee"] == {"amount": "1234.56", "currency": "EUR"}
    assert contract_terms["usage_rights"]["channels"] == ["organic social, paid social"]
    assert contract_terms["usage_rights"]["duration_months"] == 6
    assert contract_terms["exclusivity"]["category"] == "sports nutrition"
    assert contract_terms["exclusivity"]["duration_days"] == 60
    assert (await decide_approval(client, headers, approval["id"], "approve")).status_code == 200
    await run_jobs()
    contract_id = approval["action_request"]["args"]["contract_id"]
    contract = (await client.get(f"/contracts/{contract_id}", headers=headers)).json()
    assert (await sign(client, contract, await signing_token(deal.creator_id))).status_code == 200

    payments = (await client.get("/payments/", headers=headers, params={"campaign_id": campaign["id"]})).json()
    amounts = [Decimal(p["amount"]["amount"]) for p in payments["items"]]
    assert sum(amounts) == FEE and amounts == [Decimal("617.28"), Decimal("617.28")]
    [payment_approval] = await pending(client, headers, "payment")
    assert (await decide_approval(client, headers, payment_approval["id"], "approve")).status_code == 200
    payment_id = payment_approval["action_request"]["args"]["payment_id"]
    paid = await client.post(f"/payments/{payment_id}/process", headers=headers)
    assert paid.status_code == 200, paid.text
    async with unit_of_work() as session:
        invoice = (await session.execute(select(Invoice))).scalar_one()
        assert (invoice.amount, invoice.currency) == (Decimal("617.28"), "EUR")
