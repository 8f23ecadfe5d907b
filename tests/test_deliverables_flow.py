"""Deliverables: the creator submits once they have signed, the manager approves or requests changes; an approved
deliverable makes its milestone payment due, the last one the final payment."""

from __future__ import annotations

import httpx

from tests.agents_flow import pending
from tests.conftest import manager_headers
from tests.support.contracts_flow import (
    agreed_negotiation,
    creator_messages,
    register_creator,
    sent_contract,
    sign,
    signing_token,
)

MILESTONE_SCHEDULE = {"terms": {"payment_schedule": [
    {"kind": "advance", "percent": "20"},
    {"kind": "milestone", "percent": "50", "deliverable_key": "reel-1", "net_days": 10},
    {"kind": "final", "percent": "30", "net_days": 30}]}}


async def test_submit_review_and_the_payments_they_make_due(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    creator = deal.creator_headers
    assert creator is not None
    contract = await sent_contract(client, headers, deal, edit=MILESTONE_SCHEDULE)

    mine = (await client.get("/creators/me/deliverables", headers=creator)).json()
    assert [(d["key"], d["status"]) for d in mine["items"]] == [("reel-1", "pending"), ("story-2", "pending")]
    reel, stories = mine["items"]
    early = await client.post(f"/creators/me/deliverables/{reel['id']}/submit", headers=creator,
                              json={"post_url": "https://instagram.com/p/abc"})
    assert early.status_code == 409 and early.json()["code"] == "contract_not_signed"
    assert (await sign(client, contract, await signing_token(deal.creator_id))).status_code == 200
    assert [a["action_request"]["args"]["milestone_key"] for a in await pending(client, headers, "payment")] == [
        "advance"]

    empty = await client.post(f"/creators/me/deliverables/{reel['id']}/submit", headers=creator, json={})
    assert empty.status_code == 422 and empty.json()["code"] == "submission_empty"
    bad_url = await client.post(f"/creators/me/deliverables/{reel['id']}/submit", headers=creator,
                                json={"post_url": "not a url"})
    assert bad_url.status_code == 422
    submitted = await client.post(f"/creators/me/deliverables/{reel['id']}/submit", headers=creator,
                                  json={"post_url": "https://instagram.com/p/abc", "content": "#ad Glow serum"})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    twice = await client.post(f"/creators/me/deliverables/{reel['id']}/submit", headers=creator,
                              json={"post_url": "https://instagram.com/p/abc"})
    assert twice.status_code == 409 and twice.json()["code"] == "deliverable_not_open"

    no_feedback = await client.post(f"/deliverables/{reel['id']}/review", headers=headers,
                                    json={"action": "request_changes"})
    assert no_feedback.status_code == 422 and no_feedback.json()["code"] == "feedback_required"
    changes = await client.post(f"/deliverables/{reel['id']}/review", headers=headers,
                                json={"action": "request_changes", "feedback": "Show the label in frame"})
    assert changes.status_code == 200 and changes.json()["status"] == "changes_requested"
    told = [m for m in await creator_messages(deal.creator_id) if m.subject and m.subject.startswith("Changes")]
    assert len(told) == 1 and "Show the label in frame" in told[0].body_text and told[0].status == "queued"
    unsubmitted = await client.post(f"/deliverables/{reel['id']}/review", headers=headers, json={"action": "approve"})
    assert unsubmitted.status_code == 409 and unsubmitted.json()["code"] == "deliverable_not_submitted"

    resubmitted = await client.post(f"/creators/me/deliverables/{reel['id']}/submit", headers=creator,
                                    json={"post_url": "https://instagram.com/p/abc2"})
    assert resubmitted.json()["submissions"] == 2
    approved = await client.post(f"/deliverables/{reel['id']}/review", headers=headers, json={"action": "approve"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    due = {a["action_request"]["args"]["milestone_key"]: a["action_request"]["args"]
           for a in await pending(client, headers, "payment")}
    assert set(due) == {"advance", "milestone:reel-1"}
    assert due["milestone:reel-1"]["amount"] == {"amount": "600.00", "currency": "EUR"}
    assert due["milestone:reel-1"]["deliverable_id"] == reel["id"]

    await client.post(f"/creators/me/deliverables/{stories['id']}/submit", headers=creator,
                      json={"content": "Three stories: unboxing, routine, result"})
    await client.post(f"/deliverables/{stories['id']}/review", headers=headers, json={"action": "approve"})
    due_keys = {a["action_request"]["args"]["milestone_key"] for a in await pending(client, headers, "payment")}
    assert due_keys == {"advance", "milestone:reel-1", "final"}
    listed = await client.get("/deliverables", headers=headers, params={"contract_id": contract["id"],
                                                                      "status": "approved"})
    assert listed.json()["total"] == 2


async def test_deliverables_belong_to_their_creator_and_organization(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    deal = await agreed_negotiation(client, headers)
    assert deal.creator_headers is not None
    await sent_contract(client, headers, deal)
    [reel, _] = (await client.get("/creators/me/deliverables", headers=deal.creator_headers)).json()["items"]

    _, stranger = await register_creator(client, "eve")
    assert (await client.get("/creators/me/deliverables", headers=stranger)).json()["total"] == 0
    response = await client.post(f"/creators/me/deliverables/{reel['id']}/submit", headers=stranger,
                                 json={"content": "mine now"})
    assert response.status_code == 404
    rival = await manager_headers(client, "rival", "Globex")
    assert (await client.get(f"/deliverables/{reel['id']}", headers=rival)).status_code == 404
    assert (await client.post(f"/deliverables/{reel['id']}/review", headers=rival,
                              json={"action": "approve"})).status_code == 404
    assert (await client.get("/creators/me/deliverables", headers=headers)).status_code == 403
