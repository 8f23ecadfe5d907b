"""Tracked links (redirect, async clicks, bot filter, de-duplication), conversion webhooks (signatures, Shopify and
generic formats, idempotent replays), attribution by promo code and by click (window, bots, refunds)."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from core.settings import get_settings
from store.analytics.click_ids import click_time, click_token, new_click_id
from store.analytics.clicks import buffered_clicks
from store.analytics.redirects import forget, resolve
from store.db import unit_of_work
from store.models import CampaignRollup, ClickEvent, CreatorRollup, Order
from tests.conftest import manager_headers
from tests.support.analytics import Setup, campaign_with_creators, settle
from tools.analytics.signatures import sign_generic, sign_shopify

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"


async def _link(client: httpx.AsyncClient, setup: Setup, creator_index: int = 0) -> dict:
    response = await client.post(f"/campaigns/{setup.campaign_id}/links", headers=setup.headers, json={
        "creator_id": str(setup.creator_ids[creator_index]), "destination_url": "https://shop.example/bar?ref=x"})
    assert response.status_code == 200, response.text
    return response.json()


async def _click(client: httpx.AsyncClient, code: str, user_agent: str = BROWSER, ip: str = "10.0.0.1") -> str:
    response = await client.get(f"/r/{code}", headers={"User-Agent": user_agent, "X-Forwarded-For": ip})
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def _generic(client: httpx.AsyncClient, organization_id: uuid.UUID, event: dict) -> httpx.Response:
    body = json.dumps(event).encode()
    signature = sign_generic(body, get_settings().conversion_webhook_secret())
    return await client.post(f"/webhooks/conversions/{organization_id}", content=body,
                             headers={"X-Influency-Signature": signature, "Content-Type": "application/json"})


async def _shopify(client: httpx.AsyncClient, organization_id: uuid.UUID, topic: str, payload: dict,
                   secret: str | None = None) -> httpx.Response:
    body = json.dumps(payload).encode()
    signature = sign_shopify(body, secret or get_settings().shopify_webhook_secret())
    return await client.post(f"/webhooks/shopify/{organization_id}", content=body, headers={
        "X-Shopify-Hmac-Sha256": signature, "X-Shopify-Topic": topic, "Content-Type": "application/json"})


async def test_redirect_adds_utm_and_records_clicks_asynchronously(client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park"])
    link = await _link(client, setup)
    assert link["short_url"].endswith(f"/r/{link['code']}")
    location = await _click(client, link["code"])
    query = parse_qs(urlsplit(location).query)
    assert location.startswith("https://shop.example/bar?")
    assert query["ref"] == ["x"] and query["utm_medium"] == ["influencer"] and query["utm_source"] == ["cleo-park"]
    assert query["utm_campaign"] == ["spring-launch"] and query["ic_click"][0].startswith(link["code"] + ".")
    await _click(client, link["code"])  # the same visitor again: kept, not unique
    await _click(client, link["code"], user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
    await _click(client, link["code"], user_agent="")  # no user agent: a script, not a person
    assert await buffered_clicks() == 4
    async with unit_of_work() as session:  # nothing written by the redirect itself
        assert (await session.execute(select(ClickEvent))).first() is None
    await settle()
    assert await buffered_clicks() == 0
    async with unit_of_work() as session:
        clicks = list((await session.execute(select(ClickEvent).order_by(ClickEvent.occurred_at))).scalars())
        rollup = await session.get(CreatorRollup, (setup.campaign_id, setup.creator_ids[0]))
        campaign_rollup = await session.get(CampaignRollup, setup.campaign_id)
    assert [(click.is_bot, click.is_unique) for click in clicks] == [(False, True), (False, False), (True, False),
                                                                     (True, False)]
    assert rollup is not None and (rollup.clicks, rollup.unique_clicks, rollup.bot_clicks) == (2, 1, 2)
    # the campaign's row of sums is kept in the same pass
    assert campaign_rollup is not None and (campaign_rollup.creators, campaign_rollup.clicks,
                                            campaign_rollup.unique_clicks) == (1, 2, 1)
    await settle()  # a second flush/refresh changes nothing
    assert (await client.get("/r/nosuchcode")).status_code == 404


async def test_generic_webhook_signature_promo_code_replay_and_refunds(client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park", "Dan Ruiz"])
    response = await client.post(f"/campaigns/{setup.campaign_id}/promo-codes", headers=setup.headers,
                                 json={"creator_id": str(setup.creator_ids[1]), "code": "dan10"})
    assert response.status_code == 201 and response.json()["code"] == "DAN10"
    taken = await client.post(f"/campaigns/{setup.campaign_id}/promo-codes", headers=setup.headers,
                              json={"creator_id": str(setup.creator_ids[0]), "code": "DAN10"})
    assert taken.status_code == 409
    order = {"type": "order", "order_id": "1001", "amount": "80.00", "currency": "EUR", "promo_code": "Dan10",
             "occurred_at": "2026-05-01T10:00:00Z"}
    unsigned = await client.post(f"/webhooks/conversions/{setup.organization_id}", json=order)
    assert unsigned.status_code == 401
    wrong = await client.post(f"/webhooks/conversions/{setup.organization_id}", json=order,
                              headers={"X-Influency-Signature": "sha256=" + "0" * 64})
    assert wrong.status_code == 401
    first = await _generic(client, setup.organization_id, order)
    assert first.status_code == 200, first.text
    assert first.json() | {"order_id": None} == {"status": "recorded", "order_id": None, "attributed_by": "promo_code",
                                                 "campaign_id": str(setup.campaign_id),
                                                 "creator_id": str(setup.creator_ids[1])}
    replay = await _generic(client, setup.organization_id, order)
    assert replay.json()["status"] == "duplicate" and replay.json()["order_id"] == first.json()["order_id"]
    refund = {"type": "refund", "order_id": "1001", "refund_id": "r1", "amount": "30.00", "currency": "EUR"}
    assert (await _generic(client, setup.organization_id, refund)).json()["status"] == "recorded"
    assert (await _generic(client, setup.organization_id, refund)).json()["status"] == "duplicate"
    unknown = await _generic(client, setup.organization_id, refund | {"order_id": "404"})
    assert unknown.json()["status"] == "unknown_order"
    bad = await _generic(client, setup.organization_id, {"type": "order", "amount": "-1", "currency": "EURO"})
    assert bad.status_code == 422 and {item["field"] for item in bad.json()["details"]} >= {"order_id", "amount"}
    await settle()
    async with unit_of_work() as session:
        rollup = await session.get(CreatorRollup, (setup.campaign_id, setup.creator_ids[1]))
        orders = list((await session.execute(select(Order))).scalars())
    assert len(orders) == 1 and orders[0].refunded_amount == 30
    assert rollup is not None and (rollup.orders, rollup.revenue_gross, rollup.refunds) == (1, 80, 30)


async def test_shopify_attribution_by_last_click_within_the_window(client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park", "Dan Ruiz"])
    cleo, dan = await _link(client, setup, 0), await _link(client, setup, 1)
    cleo_token = parse_qs(urlsplit(await _click(client, cleo["code"])).query)["ic_click"][0]
    now = datetime.now(UTC)
    older_dan = click_token(dan["code"], new_click_id(now - timedelta(days=2)))
    order = {"id": 820982911946154508, "created_at": now.isoformat(), "currency": "EUR", "total_price": "120.00",
             "discount_codes": [], "landing_site": f"/products/bar?utm_source=x&ic_click={older_dan}",
             "note_attributes": [{"name": "ic_click", "value": cleo_token}]}
    response = await _shopify(client, setup.organization_id, "orders/create", order)
    assert response.status_code == 200, response.text
    assert response.json()["attributed_by"] == "click"
    assert response.json()["creator_id"] == str(setup.creator_ids[0])  # Cleo's click is the later one
    # a click older than the window credits nobody; the order is still kept (and replays stay no-ops)
    stale = click_token(dan["code"], new_click_id(now - timedelta(days=get_settings().ATTRIBUTION_WINDOW_DAYS + 1)))
    late = await _shopify(client, setup.organization_id, "orders/create",
                          order | {"id": 2, "landing_site": f"/?ic_click={stale}", "note_attributes": []})
    assert late.json()["attributed_by"] == "none" and late.json()["campaign_id"] is None
    # Shopify's signature is checked with its own secret
    forged = await _shopify(client, setup.organization_id, "orders/create", order | {"id": 3}, secret="not-it")
    assert forged.status_code == 401
    refund = {"id": 509562969, "order_id": 820982911946154508, "created_at": now.isoformat(),
              "transactions": [{"kind": "refund", "status": "success", "amount": "120.00", "currency": "EUR"}]}
    assert (await _shopify(client, setup.organization_id, "refunds/create", refund)).json()["status"] == "recorded"
    assert (await _shopify(client, setup.organization_id, "refunds/create", refund)).json()["status"] == "duplicate"
    unsupported = await _shopify(client, setup.organization_id, "carts/update", {"id": 1})
    assert unsupported.status_code == 422
    await settle()
    async with unit_of_work() as session:
        rollup = await session.get(CreatorRollup, (setup.campaign_id, setup.creator_ids[0]))
    assert rollup is not None and (rollup.orders, rollup.refunded_orders, rollup.revenue_gross - rollup.refunds) \
        == (1, 1, 0)


async def test_a_bots_click_is_never_credited(client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park"])
    link = await _link(client, setup)
    token = parse_qs(urlsplit(await _click(client, link["code"], user_agent="AhrefsBot/7.0")).query)["ic_click"][0]
    await settle()
    response = await _generic(client, setup.organization_id, {"type": "order", "order_id": "b1", "amount": "10",
                                                              "currency": "EUR", "click_id": token})
    assert response.json()["attributed_by"] == "none"
    assert abs((click_time(uuid.UUID(hex=token.split(".")[1])) - datetime.now(UTC)).total_seconds()) < 60


async def test_a_token_for_another_organizations_link_credits_nothing(client: httpx.AsyncClient) -> None:
    ours = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park"])
    theirs = await campaign_with_creators(client, await manager_headers(client, "otto", "Other"), ["Dan Ruiz"])
    token = parse_qs(urlsplit(await _click(client, (await _link(client, theirs))["code"])).query)["ic_click"][0]
    response = await _generic(client, ours.organization_id, {"type": "order", "order_id": "x1", "amount": "10",
                                                             "currency": "EUR", "click_id": token})
    assert response.json()["attributed_by"] == "none"
    other = await client.post(f"/campaigns/{theirs.campaign_id}/links", headers=ours.headers, json={
        "creator_id": str(theirs.creator_ids[0]), "destination_url": "https://shop.example/"})
    assert other.status_code == 404


async def test_an_order_history_import_attributes_set_wise_and_replays_as_duplicates(
        client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park", "Dan Ruiz"])
    cleo = await _link(client, setup, 0)
    await client.post(f"/campaigns/{setup.campaign_id}/promo-codes", headers=setup.headers,
                      json={"creator_id": str(setup.creator_ids[1]), "code": "DAN10"})
    now = datetime.now(UTC)
    token = click_token(cleo["code"], new_click_id(now - timedelta(hours=3)))
    stale = click_token(cleo["code"], new_click_id(now - timedelta(days=get_settings().ATTRIBUTION_WINDOW_DAYS + 2)))
    csv = ("order_id,amount,currency,occurred_at,promo_code,click_id\n"
           f"h1,80.00,EUR,{now.isoformat()},dan10,{token}\n"  # the code wins over the click
           f"h2,45.50,usd,{now.isoformat()},,{token}\n"
           f"h3,12.00,EUR,{now.isoformat()},,{stale}\n"
           f"h3,12.00,EUR,{now.isoformat()},,\n")  # the same order twice in one file: one row stored
    upload = {"file": ("orders.csv", csv.encode(), "text/csv")}
    first = await client.post("/analytics/orders/import", headers=setup.headers, files=upload)
    assert first.status_code == 200, first.text
    assert first.json() | {"errors": []} == {"total_rows": 4, "recorded": 3, "duplicates": 1, "errors": [],
                                             "attributed": {"promo_code": 1, "click": 1, "none": 1}}
    again = await client.post("/analytics/orders/import", headers=setup.headers, files=upload)
    assert (again.json()["recorded"], again.json()["duplicates"]) == (0, 4)
    bad = await client.post("/analytics/orders/import", headers=setup.headers, files={
        "file": ("orders.json", json.dumps({"orders": [{"order_id": "h9", "amount": "1", "currency": "EUR"},
                                                       {"order_id": "h10", "amount": "-5", "currency": "EU"}]}))})
    assert bad.status_code == 422 and {(item["row"], item["field"]) for item in bad.json()["details"]["errors"]} \
        == {(3, "amount"), (3, "currency")}
    # files no parser should crash on: 422 with what to fix, never a 500
    for name, content in (("huge.csv", b'order_id,amount\n"' + b"x" * 200_000 + b'",1\n'),
                          ("deep.json", b"[" * 100_000),
                          ("old.json", json.dumps([{"order_id": "h11", "amount": "1", "currency": "EUR",
                                                    "occurred_at": "0001-01-01T00:00:00Z"}]).encode()),
                          ("nul.json", json.dumps([{"order_id": "h\u0000", "amount": "1",
                                                    "currency": "EUR"}]).encode())):
        refused = await client.post("/analytics/orders/import", headers=setup.headers, files={"file": (name, content)})
        assert refused.status_code == 422, (name, refused.text)
    # another organization's import: our promo code and our click credit nothing of theirs; no token, no import
    other = await client.post("/analytics/orders/import", headers=await manager_headers(client, "otto", "Other Co"),
                              files={"file": ("o.csv", f"order_id,amount,currency,promo_code,click_id\n"
                                                       f"x1,5,EUR,DAN10,{token}\n".encode(), "text/csv")})
    assert other.json()["attributed"] == {"none": 1}
    assert (await client.post("/analytics/orders/import", files=upload)).status_code == 401
    await settle()
    async with unit_of_work() as session:
        orders = {order.external_order_id: order for order in (await session.execute(select(Order).where(
            Order.organization_id == setup.organization_id))).scalars()}
        cleo_rollup = await session.get(CreatorRollup, (setup.campaign_id, setup.creator_ids[0]))
    assert set(orders) == {"h1", "h2", "h3"}  # nothing of the invalid file
    assert (orders["h1"].creator_id, orders["h2"].creator_id, orders["h3"].campaign_id) \
        == (setup.creator_ids[1], setup.creator_ids[0], None)
    assert orders["h2"].currency == "USD" and cleo_rollup is not None and cleo_rollup.orders == 1


async def test_concurrent_redirect_misses_share_one_lookup_and_each_get_their_link(client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Cleo Park", "Dan Ruiz"])
    cleo, dan = await _link(client, setup, 0), await _link(client, setup, 1)
    for code in (cleo["code"], dan["code"], "nosuchcode"):
        forget(code)
    targets = await asyncio.gather(*(resolve(code) for code in (cleo["code"], dan["code"], cleo["code"], "nosuchcode")))
    assert [target.creator_id if target else None for target in targets] \
        == [setup.creator_ids[0], setup.creator_ids[1], setup.creator_ids[0], None]
