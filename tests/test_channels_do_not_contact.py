"""The do-not-contact list: manager endpoints (scoped to the organization), global unsubscribes through the
List-Unsubscribe link (GET confirms, POST one-click), and `is_blocked` seeing both scopes."""

from __future__ import annotations

import httpx

from store.contacts.service import DoNotContactService
from store.contacts.tokens import make_unsubscribe_token
from store.db import unit_of_work
from tests.conftest import manager_headers


async def test_manager_blocks_lists_checks_and_unblocks(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    created = await client.post("/do-not-contact", headers=headers,
                                json={"channel": "email", "address": " Cleo@Example.com ", "reason": "asked by phone"})
    assert created.status_code == 201
    entry = created.json()
    assert (entry["address"], entry["source"], entry["scope"]) == ("cleo@example.com", "manager", "organization")
    again = await client.post("/do-not-contact", headers=headers,
                              json={"channel": "email", "address": "cleo@example.com"})
    assert again.status_code == 200 and again.json()["id"] == entry["id"]
    listing = await client.get("/do-not-contact", headers=headers)
    assert listing.json()["total"] == 1
    check = await client.get("/do-not-contact/check", headers=headers,
                             params={"channel": "email", "address": "CLEO@example.com"})
    assert check.json()["blocked"] is True

    other = await manager_headers(client, "olga", "Other Co")
    assert (await client.get("/do-not-contact", headers=other)).json()["total"] == 0
    other_check = await client.get("/do-not-contact/check", headers=other,
                                   params={"channel": "email", "address": "cleo@example.com"})
    assert other_check.json()["blocked"] is False  # a manager's entry binds their organization only
    assert (await client.delete(f"/do-not-contact/{entry['id']}", headers=other)).status_code == 404

    assert (await client.delete(f"/do-not-contact/{entry['id']}", headers=headers)).status_code == 204
    assert (await client.get("/do-not-contact", headers=headers)).json()["total"] == 0


async def test_bad_input_is_422_and_auth_is_required(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    bad_phone = await client.post("/do-not-contact", headers=headers, json={"channel": "whatsapp", "address": "12ab"})
    assert bad_phone.status_code == 422 and "E.164" in bad_phone.json()["message"]
    bad_channel = await client.post("/do-not-contact", headers=headers, json={"channel": "sms", "address": "+4477"})
    assert bad_channel.status_code == 422
    assert (await client.get("/do-not-contact")).status_code == 401


async def test_unsubscribe_link_confirms_on_get_and_blocks_globally_on_post(client: httpx.AsyncClient) -> None:
    token = make_unsubscribe_token("email", "cleo@example.com")
    page = await client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and "cleo@example.com" in page.text and "<form" in page.text
    async with unit_of_work() as session:
        assert not await DoNotContactService(session).is_blocked("email", "cleo@example.com", None)

    one_click = await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "Unsubscribed" in one_click.text
    assert (await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})).status_code == 200

    headers = await manager_headers(client)
    check = await client.get("/do-not-contact/check", headers=headers,
                             params={"channel": "email", "address": "cleo@example.com"})
    assert check.json()["blocked"] is True and check.json()["entries"][0]["scope"] == "global"
    assert check.json()["entries"][0]["source"] == "unsubscribe"
    # a manager cannot lift a global unsubscribe
    entry_id = check.json()["entries"][0]["id"]
    assert (await client.delete(f"/do-not-contact/{entry_id}", headers=headers)).status_code == 404


async def test_forged_unsubscribe_link_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/unsubscribe/not-a-token")).status_code == 404
    assert (await client.post("/unsubscribe/not-a-token")).status_code == 404
