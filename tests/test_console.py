"""The console's server side without a browser: cookies and CSRF, roles, the root redirect, the schema, and the
inbox filters (campaign, kind, channel, age, escalated). The browser flows are in tests/browser/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from store.approvals.inbox import InboxFilters, InboxService
from store.db import unit_of_work
from store.models import Approval, ApprovalKind
from tests.agents_flow import confirmed_campaign, pending, seed_creator
from tests.conftest import manager_headers, register_manager
from tests.support.jobs import run_jobs

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


async def console_login(client: httpx.AsyncClient, username: str = "maria") -> str:
    """Sign in through the form; returns the CSRF token of the pages."""
    page = await client.get("/app/login")
    token = TOKEN.search(page.text)
    assert token
    response = await client.post("/app/login", data={"username": username, "password": "correct-horse-1",
                                                      "csrf_token": token.group(1)})
    assert response.status_code == 303 and response.headers["location"] == "/app", response.text
    cookies = response.headers.get_list("set-cookie")
    assert any(cookie.startswith("inf_access=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
               and "Path=/app" in cookie for cookie in cookies), cookies
    return token.group(1)


async def test_root_redirects_to_the_console_and_the_console_is_not_in_the_schema(client: httpx.AsyncClient) -> None:
    root = await client.get("/")
    assert root.status_code == 307 and root.headers["location"] == "/app"
    assert (await client.get("/app")).headers["location"].startswith("/app/login")
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if path == "/" or path.startswith("/app/") or path == "/app"]
    assert (await client.get("/app/static/htmx.min.js")).status_code == 200


async def test_sign_in_needs_the_csrf_token_and_forms_without_it_are_refused(client: httpx.AsyncClient) -> None:
    await register_manager(client)
    await client.get("/app/login")  # sets the CSRF cookie
    refused = await client.post("/app/login", data={"username": "maria", "password": "correct-horse-1"})
    assert refused.status_code == 403 and "did not come from this site" in refused.text
    token = await console_login(client)
    assert (await client.get("/app/inbox")).status_code == 200
    forged = await client.post("/app/do-not-contact", data={"channel": "email", "address": "x@example.com",
                                                             "csrf_token": "0" * 64})
    assert forged.status_code == 403
    added = await client.post("/app/do-not-contact", data={"channel": "email", "address": "x@example.com",
                                                            "csrf_token": token})
    assert added.status_code == 303
    assert "x@example.com" in (await client.get("/app/do-not-contact")).text
    signed_out = await client.post("/app/logout", data={"csrf_token": token})
    assert signed_out.status_code == 303
    assert (await client.get("/app/inbox")).headers["location"].startswith("/app/login")


async def test_a_wrong_password_shows_the_form_again(client: httpx.AsyncClient) -> None:
    await register_manager(client)
    token = TOKEN.search((await client.get("/app/login")).text)
    assert token
    response = await client.post("/app/login", data={"username": "maria", "password": "nope-nope-1",
                                                      "csrf_token": token.group(1)})
    assert response.status_code == 401 and "Incorrect username" in response.text


async def test_inbox_filters(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    await client.post(f"/approvals/{shortlist['id']}/decision", json={"action": "approve"}, headers=headers)
    await run_jobs()
    [draft] = await pending(client, headers, "message")
    async with unit_of_work() as session:
        await session.execute(update(Approval).where(Approval.id == draft["id"]).values(
            created_at=datetime.now(UTC) - timedelta(hours=30), escalated_at=datetime.now(UTC)))
    me = (await client.get("/auth/me", headers=headers)).json()
    async with unit_of_work() as session:
        inbox = InboxService(session)

        async def ids(**filters: object) -> list[str]:
            page = await inbox.page(me["organization_id"], InboxFilters(**filters))  # type: ignore[arg-type]
            return [str(row.approval.id) for row in page.rows]

        assert await ids() == [draft["id"]]
        assert await ids(kind=ApprovalKind.message, channel="email", older_than="24h", escalated=True,
                         campaign_id=campaign["id"]) == [draft["id"]]
        assert await ids(channel="whatsapp") == []
        assert await ids(older_than="72h") == []
        assert await ids(kind=ApprovalKind.offer) == []
    await console_login(client)
    page = await client.get("/app/inbox/items", params={"kind": "message", "escalated": "1"})
    assert page.status_code == 200 and "Ana Ruiz" in page.text and "escalated" in page.text
    card = await client.get(f"/app/inbox/{draft['id']}")
    assert card.status_code == 200 and "Why matched" in card.text


async def test_a_creator_cannot_open_manager_pages(client: httpx.AsyncClient) -> None:
    await client.post("/auth/register/creator", json={
        "email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park"})
    await console_login(client, "cleo")
    assert (await client.get("/app")).headers["location"] == "/app/me"
    for path in ("/app/inbox", "/app/campaigns", "/app/do-not-contact", "/app/settings"):
        assert (await client.get(path)).status_code == 403, path
    assert (await client.get("/app/me")).status_code == 200
