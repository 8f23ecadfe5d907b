"""The approval inbox: Agent Inbox-compatible requests, filters and tenancy, validation that loses nothing,
shortlist edits and re-runs, the append-only audit log, the pending-approvals gauge, auto-send rules."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store.db import unit_of_work
from tests.agents_flow import FULL_BRIEF, confirmed_campaign, decide, outbox_rows, pending, seed_creator
from tests.conftest import manager_headers
from tests.support.jobs import run_jobs


async def shortlist_for(client: httpx.AsyncClient, headers: dict[str, str],
                        brief: dict | None = None) -> dict:  # type: ignore[type-arg]
    await confirmed_campaign(client, headers, brief)
    await run_jobs()
    [approval] = await pending(client, headers, "shortlist")
    return approval


async def test_requests_use_agent_inbox_shape_and_filters_work(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    approval = await shortlist_for(client, headers)
    assert approval["action_request"]["action"] == "approve_shortlist"
    assert approval["config"] == {"allow_accept": True, "allow_edit": True, "allow_respond": True,
                                  "allow_ignore": True}
    assert approval["description"] and approval["action_id"] == "shortlist:1"
    listed = await client.get("/approvals", headers=headers, params={"campaign_id": approval["campaign_id"]})
    assert listed.json()["total"] == 1
    for params in ({"kind": "message"}, {"status": "approved"},
                   {"campaign_id": "00000000-0000-0000-0000-000000000000"}):
        assert (await client.get("/approvals", headers=headers, params=params)).json()["total"] == 0
    assert (await client.get("/approvals", headers=headers, params={"kind": "bribe"})).status_code == 422

    rival = await manager_headers(client, "rival", "Globex")
    assert (await client.get(f"/approvals/{approval['id']}", headers=rival)).status_code == 404
    assert (await decide(client, rival, approval["id"], "approve")).status_code == 404
    assert (await client.get("/approvals", headers=rival)).json()["total"] == 0


async def test_invalid_decisions_are_422_and_leave_the_approval_pending(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    approval = await shortlist_for(client, headers)
    cases = [
        ({"action": "respond"}, "feedback_required"),
        ({"action": "edit"}, "payload_required"),
        ({"action": "edit", "payload": {"add": ["not-a-uuid"]}}, "invalid_edit"),
        ({"action": "edit", "payload": {"colour": "red"}}, "invalid_edit"),
    ]
    for body, code in cases:
        response = await client.post(f"/approvals/{approval['id']}/decision", json=body, headers=headers)
        assert response.status_code == 422 and response.json()["code"] == code, (body, response.text)
    # an unknown creator id answers like another organization's prospect: 404 (tests/test_tenant_matrix.py)
    response = await client.post(f"/approvals/{approval['id']}/decision", headers=headers, json={
        "action": "edit", "payload": {"add": ["00000000-0000-0000-0000-000000000001"]}})
    assert response.status_code == 404 and response.json()["code"] == "creator_not_found", response.text
    assert (await client.post(f"/approvals/{approval['id']}/decision", json={"action": "maybe"},
                              headers=headers)).status_code == 422
    assert [a["id"] for a in await pending(client, headers, "shortlist")] == [approval["id"]]
    assert await outbox_rows("agents.resume") == []


async def test_empty_shortlist_cannot_be_approved(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    approval = await shortlist_for(client, headers)
    assert approval["config"]["allow_accept"] is False
    response = await decide(client, headers, approval["id"], "approve")
    assert response.status_code == 422 and response.json()["code"] == "action_not_allowed"


async def test_shortlist_edit_and_feedback_rerun(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    ana, bea = await seed_creator("Ana Ruiz"), await seed_creator("Bea Sol")
    outsider = await seed_creator("Dora Lux", country="FR")
    first = await shortlist_for(client, headers)
    assert (await decide(client, headers, first["id"], "reject", feedback="Only bigger accounts")).status_code == 200
    await run_jobs()
    [second] = await pending(client, headers, "shortlist")
    assert second["action_id"] == "shortlist:2"
    detail = (await client.get(f"/approvals/{second['id']}", headers=headers)).json()
    assert "Only bigger accounts" in detail["reasoning"]
    assert [e["event"] for e in (await client.get(f"/approvals/{first['id']}", headers=headers)).json()["events"]] \
        == ["created", "rejected"]

    edit = await decide(client, headers, second["id"], "edit",
                        payload={"remove": [str(bea)], "add": [str(outsider)]})
    assert edit.status_code == 200 and edit.json()["decision"]["payload"] == {"creator_ids": [str(ana), str(outsider)]}
    await run_jobs()
    drafts = await pending(client, headers, "message")
    assert sorted(d["creator_id"] for d in drafts) == sorted([str(ana), str(outsider)])
    events = (await client.get(f"/approvals/{second['id']}", headers=headers)).json()["events"]
    edited = events[-1]
    assert edited["event"] == "edited" and edited["before"]["creator_ids"] == [str(ana), str(bea)]
    participants = (await client.get(f"/campaigns/{first['campaign_id']}/creators", headers=headers)).json()
    assert {p["display_name"]: p["reasons"][0] for p in participants}["Dora Lux"] == "added by the manager"


async def test_rejecting_without_feedback_ends_the_run(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    approval = await shortlist_for(client, headers)
    await decide(client, headers, approval["id"], "reject")
    await run_jobs()
    runs = (await client.get(f"/campaigns/{approval['campaign_id']}/runs", headers=headers)).json()
    assert [(r["status"], r["outcome"]) for r in runs] == [("completed", "rejected")]


async def test_audit_log_is_append_only(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    await shortlist_for(client, headers)
    for statement in ("UPDATE approval_events SET feedback = 'rewritten'", "DELETE FROM approval_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with unit_of_work() as session:
                await session.execute(text(statement))


async def test_pending_gauge_and_auto_send_rule(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    await seed_creator("Bea Sol")
    approval = await shortlist_for(client, headers, FULL_BRIEF | {"auto_send": ["outreach"]})
    metrics = (await client.get("/metrics")).text
    assert "influency_pending_approvals 1.0" in metrics
    await decide(client, headers, approval["id"], "approve")
    await run_jobs()
    assert await pending(client, headers, "message") == []  # the brief let messages go without a human
    sends = await outbox_rows("messages.send_email")
    assert len(sends) == 2
    auto = (await client.get("/approvals", headers=headers, params={"kind": "message"})).json()["items"]
    assert {a["decision"]["actor"]["type"] for a in auto} == {"rule"}
    assert "influency_pending_approvals 0.0" in (await client.get("/metrics")).text


async def test_ignore_is_what_config_advertises(client: httpx.AsyncClient) -> None:
    """Every request advertises allow_ignore; `ignore` closes the item and the agent skips it (no redo)."""
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    approval = await shortlist_for(client, headers)
    assert approval["config"]["allow_ignore"] is True
    response = await decide(client, headers, approval["id"], "ignore")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ignored"
    await run_jobs()
    runs = (await client.get(f"/campaigns/{approval['campaign_id']}/runs", headers=headers)).json()
    assert [r["status"] for r in runs] == ["completed"]
    assert (await decide(client, headers, approval["id"], "ignore")).status_code == 409


async def test_cursor_pages_walk_the_inbox_once_and_big_totals_are_estimates(
        client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings
    from store.approvals.service import ApprovalService, NewApproval
    from store.models import AgentRun, ApprovalKind

    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    first = await shortlist_for(client, headers)
    async with unit_of_work() as session:
        run = await session.get(AgentRun, first["run_id"])
        assert run is not None
        for index in range(4):
            await ApprovalService(session).open(NewApproval(
                run=run, kind=ApprovalKind.shortlist, action_id=f"extra:{index}", request={
                    "action_request": {"action": "approve_shortlist", "args": {}}, "description": "more",
                    "config": first["config"], "kind": "shortlist", "action_id": f"extra:{index}"}))
    query = {"status": "pending", "campaign_id": first["campaign_id"], "limit": 2}
    by_offset = [item["id"] for offset in (0, 2, 4) for item in
                 (await client.get("/approvals", params=query | {"offset": offset}, headers=headers)).json()["items"]]
    by_cursor, cursor, pages = [], None, 0
    while True:
        page = (await client.get("/approvals", params=query | ({"cursor": cursor} if cursor else {}),
                                 headers=headers)).json()
        by_cursor += [item["id"] for item in page["items"]]
        pages += 1
        assert page["total"] == 5 and page["total_is_estimate"] is False
        if (cursor := page["next_cursor"]) is None:
            break
    assert by_cursor == by_offset and len(set(by_cursor)) == 5 and pages == 3
    bad = await client.get("/approvals", params={"cursor": "not-a-cursor"}, headers=headers)
    assert bad.status_code == 422
    monkeypatch.setattr(get_settings(), "APPROVALS_EXACT_TOTAL_MAX", 2)  # past it: the planner's estimate
    page = (await client.get("/approvals", params=query, headers=headers)).json()
    assert page["total_is_estimate"] is True and page["total"] >= 3
