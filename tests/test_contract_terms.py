"""Complete terms before a contract: the brief agent asks for deliverables, usage rights, exclusivity and the
payment schedule and echoes them; confirming refuses without them unless the manager decides them later; terms
still open at agreement become a `terms` approval (edit / approve the standard positions / answer in words /
ignore) and the contract approval follows — never a silent end."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from store.db import unit_of_work
from store.models import Contract, Negotiation
from tests.agents_flow import FULL_BRIEF, TERMS, create_campaign, decide, pending
from tests.conftest import manager_headers
from tests.support.contracts_flow import Deal, agreed_negotiation
from tests.support.jobs import run_jobs

OPEN = {"usage_rights": None, "usage_rights_months": None, "payment_schedule": None}


async def _say(client: httpx.AsyncClient, headers: dict[str, str], campaign_id: str, text: str) -> dict[str, Any]:
    response = await client.post(f"/campaigns/{campaign_id}/brief/messages", headers=headers, json={"text": text})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_the_brief_asks_for_terms_and_echoes_them(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers, FULL_BRIEF)
    view = (await client.get(f"/campaigns/{campaign['id']}/brief", headers=headers)).json()
    assert view["status"] == "collecting"
    assert view["missing_fields"] == ["deliverables", "usage_rights", "exclusivity", "payment_schedule"]
    refused = await client.post(f"/campaigns/{campaign['id']}/brief/confirm", headers=headers)
    assert refused.status_code == 422 and refused.json()["code"] == "brief_incomplete"
    assert refused.json()["details"]["missing_terms"] == view["missing_fields"]
    assert "terms_later" in refused.json()["message"]

    turn = await _say(client, headers, campaign["id"], "Each creator posts 1 Instagram reel and 3 stories by April 10.")
    assert turn["missing_fields"] == ["usage_rights", "exclusivity", "payment_schedule"]
    assert "usage rights" in turn["reply"].lower()  # the next question
    turn = await _say(client, headers, campaign["id"], "Usage rights 6 months organic + paid, no exclusivity.")
    assert turn["missing_fields"] == ["payment_schedule"] and "paid" in turn["reply"]
    turn = await _say(client, headers, campaign["id"],
                      "Payment: 30% on signature, 40% when the reel is approved, 30% at the end.")
    assert turn["missing_fields"] == [] and turn["status"] == "complete"
    assert [(item["kind"], item["percent"], item["deliverable_key"]) for item in turn["brief"]["payment_schedule"]
            ] == [("advance", "30", None), ("milestone", "40", "reel-1"), ("final", "30", None)]
    for echoed in ("1 instagram reel due", "3 instagram story due", "usage rights organic social, paid social for 6 "
                   "months", "no exclusivity", "payment 30% on signature", "Shall I start"):
        assert echoed in turn["reply"], (echoed, turn["reply"])
    confirmed = await client.post(f"/campaigns/{campaign['id']}/brief/confirm", headers=headers)
    assert confirmed.status_code == 200, confirmed.text


async def test_deciding_the_terms_later_in_words_or_with_the_flag(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    spoken = await create_campaign(client, headers, FULL_BRIEF)
    turn = await _say(client, headers, spoken["id"], "We'll decide the contract terms later.")
    assert turn["missing_fields"] == [] and turn["brief"]["terms_later"] is True
    assert "to be decided when a creator agrees" in turn["reply"]
    assert (await client.post(f"/campaigns/{spoken['id']}/brief/confirm", headers=headers)).status_code == 200

    flagged = await create_campaign(client, headers, FULL_BRIEF)
    confirmed = await client.post(f"/campaigns/{flagged['id']}/brief/confirm", headers=headers,
                                  json={"terms_later": True})
    assert confirmed.status_code == 200 and confirmed.json()["brief"]["terms_later"] is True

    complete = await create_campaign(client, headers, FULL_BRIEF | TERMS)
    assert (await client.post(f"/campaigns/{complete['id']}/brief/confirm", headers=headers)).status_code == 200


async def _terms_approval(client: httpx.AsyncClient, headers: dict[str, str], **fields: Any) -> tuple[Deal, dict]:
    deal = await agreed_negotiation(client, headers, **fields)
    async with unit_of_work() as session:
        from store.contracts.service import ContractService

        await ContractService(session).start_for_negotiation(deal.negotiation_id)
    await run_jobs()
    [terms] = await pending(client, headers, "terms")
    return deal, terms


async def _contracts() -> int:
    async with unit_of_work() as session:
        return int((await session.execute(select(func.count()).select_from(Contract))).scalar_one())


async def test_a_terms_approval_takes_validated_values_then_the_contract_follows(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal, terms = await _terms_approval(client, headers, **OPEN)
    args = terms["action_request"]["args"]
    assert args["missing"] == ["usage_rights", "payment_schedule"] and terms["creator_id"] == str(deal.creator_id)
    assert set(args["proposed"]) == {"usage_rights", "payment_schedule"} and terms["config"]["allow_accept"]
    assert "usage rights, payment schedule" in terms["description"] and await _contracts() == 0

    schedule = [{"kind": "advance", "percent": 30}, {"kind": "milestone", "percent": 40, "deliverable_key": "reel-1"},
                {"kind": "final", "percent": 30}]
    usage = {"channels": ["organic social", "paid social"], "months": 9}
    for payload, problem in (
            ({"usage_rights": usage}, "payment_schedule still missing"),
            ({"usage_rights": usage, "payment_schedule": schedule[:2]}, "add up to 100"),
            ({"usage_rights": {"channels": ["organic social"]}, "payment_schedule": schedule}, "channels and months"),
            ({"usage_rights": usage, "payment_schedule": schedule, "fee": 5}, "Only the open terms"),
            ({"usage_rights": usage, "payment_schedule": [{"kind": "milestone", "percent": 100,
                                                           "deliverable_key": "video-9"}]}, "unknown deliverable")):
        refused = await decide(client, headers, terms["id"], "edit", payload=payload)
        assert refused.status_code == 422 and problem in refused.text, (payload, refused.text)
    edited = await decide(client, headers, terms["id"], "edit", payload={"usage_rights": usage,
                                                                         "payment_schedule": schedule})
    assert edited.status_code == 200, edited.text
    await run_jobs()
    [contract] = await pending(client, headers, "contract")
    agreed = contract["action_request"]["args"]["terms"]
    assert agreed["usage_rights"]["duration_months"] == 9
    assert [(item["kind"], item["percent"]) for item in agreed["payment_schedule"]] == [
        ("advance", "30"), ("milestone", "40"), ("final", "30")]


async def test_approving_takes_the_standard_positions(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    _, terms = await _terms_approval(client, headers, exclusivity=None, exclusivity_months=None, exclusive=None,
                                     **OPEN)
    assert terms["action_request"]["args"]["proposed"]["exclusivity"] == {"exclusive": False}
    assert (await decide(client, headers, terms["id"], "approve")).status_code == 200
    await run_jobs()
    [contract] = await pending(client, headers, "contract")
    agreed = contract["action_request"]["args"]["terms"]
    assert agreed["exclusivity"] is None and agreed["usage_rights"]["duration_months"] == 12
    assert contract["action_request"]["args"]["clause_diff"] == []  # the standard contract, clause for clause


async def test_terms_answered_in_words_and_asked_again_for_what_was_not_read(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal, terms = await _terms_approval(client, headers, deliverables=[], exclusivity=None, exclusivity_months=None,
                                        exclusive=None)
    assert terms["action_request"]["args"]["missing"] == ["deliverables", "exclusivity"]
    assert terms["config"]["allow_accept"] is False  # deliverables have no standard position
    assert (await decide(client, headers, terms["id"], "approve")).status_code == 422

    assert (await decide(client, headers, terms["id"], "respond", feedback="No exclusivity for this one.")
            ).status_code == 200
    await run_jobs()
    [again] = await pending(client, headers, "terms")  # a new round for what is still open, saying why
    assert again["id"] != terms["id"] and again["action_request"]["args"]["missing"] == ["deliverables"]
    assert "Could not read deliverables" in again["description"]
    assert "Recorded from your answer: exclusivity" in again["description"]

    assert (await decide(client, headers, again["id"], "reject",
                         feedback="2 Instagram reels by 2026-04-15.")).status_code == 200
    await run_jobs()
    [contract] = await pending(client, headers, "contract")
    agreed = contract["action_request"]["args"]["terms"]
    assert [(d["platform"], d["quantity"], d["due_date"]) for d in agreed["deliverables"]] == [
        ("Instagram", 2, "2026-04-15")]
    async with unit_of_work() as session:
        record = await session.get(Negotiation, deal.negotiation_id)
        assert record is not None and record.exclusive is False and record.status == "contracted"


async def test_ignoring_the_terms_drafts_no_contract(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal, terms = await _terms_approval(client, headers, **OPEN)
    assert (await decide(client, headers, terms["id"], "ignore")).status_code == 200
    await run_jobs()
    runs = (await client.get(f"/campaigns/{deal.campaign_id}/runs", headers=headers)).json()
    assert [(run["status"], run["outcome"]) for run in runs] == [("completed", "terms_declined")]
    assert await _contracts() == 0
