"""Campaign CRUD over HTTP: tenancy (404 for other organizations), filters, validation, status rules,
soft delete, manual invitations (with the email queued in the same transaction), the creator's side."""

from __future__ import annotations

import httpx

from tests.agents_flow import FULL_BRIEF, confirmed_campaign, create_campaign, outbox_rows, pending, seed_creator
from tests.conftest import login, manager_headers
from tests.support.jobs import run_jobs

CREATOR = {"email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
           "category": "fitness", "instagram_followers": 52000, "country": "ES"}


async def creator_login(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    registered = await client.post("/auth/register/creator", json=CREATOR)
    assert registered.status_code == 201, registered.text
    tokens = await login(client, "cleo")
    return registered.json()["creator_id"], {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_crud_and_filters_within_the_organization(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    spring = await create_campaign(client, headers, {"budget": 1000, "currency": "eur"}, name="Spring launch")
    await create_campaign(client, headers, name="Autumn")
    assert spring["status"] == "draft" and spring["brief"] == {"budget": 1000.0, "currency": "EUR"}

    listed = (await client.get("/campaigns/", params={"q": "spring"}, headers=headers)).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == spring["id"]
    assert (await client.get("/campaigns/", params={"status": "active"}, headers=headers)).json()["total"] == 0
    assert (await client.get("/campaigns/", params={"limit": 1}, headers=headers)).json()["total"] == 2

    updated = await client.put(f"/campaigns/{spring['id']}", headers=headers,
                               json={"name": "Spring 2027", "brief": {"platforms": ["instagram"]}})
    assert updated.status_code == 200
    assert updated.json()["name"] == "Spring 2027"
    assert updated.json()["brief"] == {"budget": 1000.0, "currency": "EUR", "platforms": ["instagram"]}
    assert (await client.get(f"/campaigns/{spring['id']}", headers=headers)).json()["name"] == "Spring 2027"


async def test_other_organizations_and_creators_cannot_see_a_campaign(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers)
    rival = await manager_headers(client, "rival", "Globex")
    for method, path in (("GET", ""), ("PUT", ""), ("DELETE", ""), ("GET", "/brief"), ("POST", "/brief/confirm")):
        response = await client.request(method, f"/campaigns/{campaign['id']}{path}", headers=rival,
                                        json={} if method == "PUT" else None)
        assert response.status_code == 404, (method, path, response.text)
    assert (await client.get("/campaigns/", headers=rival)).json()["total"] == 0
    _, creator_headers = await creator_login(client)
    assert (await client.get(f"/campaigns/{campaign['id']}", headers=creator_headers)).status_code == 403


async def test_bad_input_is_422_with_the_field(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    for brief, field in (({"currency": "euro"}, "currency"), ({"countries": ["Spain"]}, "countries"),
                         ({"platforms": ["myspace"]}, "platforms"), ({"auto_send": ["everything"]}, "auto_send"),
                         ({"min_followers": 10, "max_followers": 5}, "brief"), ({"colour": "red"}, "colour")):
        response = await client.post("/campaigns/", json={"name": "X", "brief": brief}, headers=headers)
        assert response.status_code == 422, brief
        assert any(field in (item["field"] or "") for item in response.json()["details"]), response.json()
    assert (await client.post("/campaigns/", json={"name": ""}, headers=headers)).status_code == 422


async def test_status_rules_and_frozen_brief(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    draft = await create_campaign(client, headers)
    response = await client.put(f"/campaigns/{draft['id']}", json={"status": "active"}, headers=headers)
    assert response.status_code == 409 and response.json()["code"] == "invalid_status_transition"

    campaign = await confirmed_campaign(client, headers)
    assert (await client.get(f"/campaigns/{campaign['id']}", headers=headers)).json()["status"] == "active"
    frozen = await client.put(f"/campaigns/{campaign['id']}", json={"brief": {"budget": 1}}, headers=headers)
    assert frozen.status_code == 409 and frozen.json()["code"] == "brief_confirmed"
    again = await client.post(f"/campaigns/{campaign['id']}/brief/confirm", headers=headers)
    assert again.status_code == 409
    paused = await client.put(f"/campaigns/{campaign['id']}", json={"status": "paused"}, headers=headers)
    assert paused.json()["status"] == "paused"
    cancelled = await client.put(f"/campaigns/{campaign['id']}", json={"status": "cancelled"}, headers=headers)
    assert cancelled.json()["status"] == "cancelled"
    runs = (await client.get(f"/campaigns/{campaign['id']}/runs", headers=headers)).json()
    assert [r["status"] for r in runs] == ["cancelled"]
    ran = [(job.name, job.kwargs) for job in await run_jobs()]
    assert ran == [("agents.run", {"run_id": campaign["run_id"]})]  # the job finds the run cancelled
    assert (await client.get(f"/campaigns/{campaign['id']}/runs", headers=headers)).json()[0]["attempts"] == 0


async def test_delete_hides_the_campaign_and_cancels_its_approvals(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    assert (await client.delete(f"/campaigns/{campaign['id']}", headers=headers)).status_code == 204
    assert (await client.get(f"/campaigns/{campaign['id']}", headers=headers)).status_code == 404
    assert await pending(client, headers, "shortlist") == []
    late = await client.post(f"/approvals/{shortlist['id']}/decision", json={"action": "approve"}, headers=headers)
    assert late.status_code == 409
    runs_left = await run_jobs()
    assert runs_left == []


async def test_manual_invite_queues_the_email_once_and_the_creator_answers(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    creator_id, creator_headers = await creator_login(client)
    campaign = await create_campaign(client, headers, FULL_BRIEF)
    invite = await client.post(f"/campaigns/{campaign['id']}/invite", headers=headers,
                               json={"creator_id": creator_id, "message": "We love your work!", "send_email": True})
    assert invite.status_code == 201, invite.text
    assert invite.json()["status"] == "invited" and invite.json()["message_status"] == "queued"
    twice = await client.post(f"/campaigns/{campaign['id']}/invite", headers=headers,
                              json={"creator_id": creator_id, "send_email": True})
    assert twice.status_code == 409 and twice.json()["code"] == "already_invited"
    [send] = await outbox_rows("messages.send_email")
    assert send.payload == {"message_id": invite.json()["message_id"]}
    assert send.idempotency_key == f"send:{invite.json()['message_id']}"

    mine = (await client.get("/creators/me/campaigns", headers=creator_headers)).json()
    assert [c["campaign_id"] for c in mine] == [campaign["id"]]
    assert "budget" not in mine[0]["brief"] and "fee_ceiling" not in mine[0]["brief"]
    accepted = await client.post(f"/creators/me/campaigns/{campaign['id']}/accept", headers=creator_headers)
    assert accepted.status_code == 200 and accepted.json()["invitation_status"] == "accepted"
    declined = await client.post(f"/creators/me/campaigns/{campaign['id']}/decline", headers=creator_headers)
    assert declined.status_code == 409
    other = await create_campaign(client, headers, name="Not invited")
    assert (await client.post(f"/creators/me/campaigns/{other['id']}/accept",
                              headers=creator_headers)).status_code == 404
    assert (await client.get("/creators/me/campaigns", headers=headers)).status_code == 403


async def test_invite_errors(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    campaign = await create_campaign(client, headers)
    no_email = await seed_creator("Quiet One", email=None)
    unknown = await client.post(f"/campaigns/{campaign['id']}/invite", headers=headers,
                                json={"creator_id": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 404
    unreachable = await client.post(f"/campaigns/{campaign['id']}/invite", headers=headers,
                                    json={"creator_id": str(no_email), "send_email": True})
    assert unreachable.status_code == 422 and unreachable.json()["code"] == "creator_unreachable"
    plain = await client.post(f"/campaigns/{campaign['id']}/invite", headers=headers,
                              json={"creator_id": str(no_email)})
    assert plain.status_code == 201 and plain.json()["message_id"] is None
    assert await outbox_rows("messages.") == []


async def test_a_declined_invitation_notifies_the_manager(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    creator_id, creator_headers = await creator_login(client)
    campaign = await create_campaign(client, headers, FULL_BRIEF)
    await client.post(f"/campaigns/{campaign['id']}/invite", headers=headers, json={"creator_id": creator_id})
    declined = await client.post(f"/creators/me/campaigns/{campaign['id']}/decline", headers=creator_headers)
    assert declined.status_code == 200, declined.text
    notes = (await client.get("/notifications", headers=headers)).json()["items"]
    assert [n["kind"] for n in notes] == ["invitation_declined"]
    assert "declined" in notes[0]["subject"]
