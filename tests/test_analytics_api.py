"""Analytics endpoints end to end: figures of a campaign against a hand-computed case (FX, refunds, spend from the
payments ledger, manual post metrics), CSV export, time series, post import, a creator's own view, and tenant
isolation of every endpoint."""

from __future__ import annotations

import csv
import io
import json
import uuid
from decimal import Decimal

import httpx

from core.settings import get_settings
from store.conversations.service import ConversationService
from store.db import unit_of_work
from tests.conftest import manager_headers
from tests.support.analytics import Setup, add_payments, campaign_with_creators, settle
from tests.support.contracts_flow import register_creator
from tools.analytics.signatures import sign_generic


async def _order(client: httpx.AsyncClient, setup: Setup, event: dict) -> dict:
    body = json.dumps(event).encode()
    response = await client.post(f"/webhooks/conversions/{setup.organization_id}", content=body, headers={
        "X-Influency-Signature": sign_generic(body, get_settings().conversion_webhook_secret())})
    assert response.status_code == 200, response.text
    return response.json()


async def _scenario(client: httpx.AsyncClient) -> tuple[Setup, uuid.UUID, dict[str, str]]:
    """Cleo (a registered creator) and Dan in a EUR campaign; see the test below for the hand computation."""
    setup = await campaign_with_creators(client, await manager_headers(client), ["Dan Ruiz"])
    cleo, cleo_headers = await register_creator(client, "cleo")
    async with unit_of_work() as session:
        await ConversationService(session).open(setup.organization_id, setup.campaign_id, cleo)
    dan = setup.creator_ids[0]
    await add_payments(setup, cleo, "1000.00", paid="400.00")
    link = (await client.post(f"/campaigns/{setup.campaign_id}/links", headers=setup.headers, json={
        "creator_id": str(cleo), "destination_url": "https://shop.example/"})).json()
    tokens = []
    for agent in ("Mozilla/5.0 A", "Mozilla/5.0 B", "Mozilla/5.0 A"):  # two visitors, one comes back
        location = (await client.get(f"/r/{link['code']}", headers={"User-Agent": agent})).headers["location"]
        tokens.append(location.rsplit("ic_click=", 1)[1])
    for creator_id, code in ((cleo, "CLEO10"), (dan, "DAN10")):
        response = await client.post(f"/campaigns/{setup.campaign_id}/promo-codes", headers=setup.headers,
                                     json={"creator_id": str(creator_id), "code": code})
        assert response.status_code == 201
    await _order(client, setup, {"type": "order", "order_id": "o1", "amount": "100.00", "currency": "EUR",
                                 "promo_code": "cleo10"})
    await _order(client, setup, {"type": "order", "order_id": "o2", "amount": "54.00", "currency": "USD",
                                 "click_id": tokens[-1]})
    await _order(client, setup, {"type": "refund", "order_id": "o1", "refund_id": "r1", "amount": "20.00",
                                 "currency": "EUR"})
    post = await client.post(f"/campaigns/{setup.campaign_id}/posts", headers=setup.headers, json={
        "creator_id": str(cleo), "url": "https://www.instagram.com/p/Cx1AbC/"})
    assert post.status_code == 201, post.text
    assert post.json()["platform"] == "instagram" and post.json()["external_id"] == "Cx1AbC"
    reading = {"impressions": 20000, "reach": 15000, "likes": 900, "comments": 60, "shares": 20, "saves": 20}
    response = await client.post(f"/posts/{post.json()['id']}/metrics", headers=setup.headers, json=reading)
    assert response.status_code == 201, response.text
    await settle()
    return setup, cleo, cleo_headers


def _values(figures: dict) -> dict:
    return {name: figure["value"] for name, figure in figures.items()}


async def test_campaign_figures_by_hand(client: httpx.AsyncClient) -> None:
    setup, cleo, _ = await _scenario(client)
    response = await client.get(f"/campaigns/{setup.campaign_id}/analytics", headers=setup.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["currency"] == "EUR" and body["budget"] == {"amount": "20000.00", "currency": "EUR"}
    value = _values(body["figures"])
    # revenue: 100 EUR − 20 EUR refunded + 54 USD (= 50 EUR at 1.08 USD/EUR) = 130 EUR; spend: 1000 committed
    assert Decimal(value["revenue"]) == Decimal("130.00") and Decimal(value["spend"]) == Decimal("1000.00")
    assert Decimal(value["spend_paid"]) == Decimal("400.00")
    assert Decimal(value["roi"]) == Decimal("-0.87") and Decimal(value["roas"]) == Decimal("0.13")
    assert value["clicks"] == 2 and value["conversions"] == 2  # o1 partly refunded still counts
    assert Decimal(value["cpc"]) == Decimal("500.00") and Decimal(value["cpa"]) == Decimal("500.00")
    assert value["impressions"] == 20000 and value["reach"] == 15000 and value["engagements"] == 1000
    assert Decimal(value["cpm"]) == Decimal("50.00") and Decimal(value["cpe"]) == Decimal("1.00")
    assert Decimal(value["engagement_rate"]) == Decimal("0.0667")
    # EMV at the default Instagram rates: 100 + 90 + 30 + 12 + 12 = 244 USD = 225.93 EUR
    assert Decimal(value["emv"]) == Decimal("225.93")
    assert body["figures"]["revenue"]["data_points"] == 2 and body["figures"]["spend"]["data_points"] == 2
    assert body["platforms"]["instagram"]["impressions"] == 20000
    top = {item["creator_name"]: item for item in body["top_creators"]}
    assert _values(top["Dan Ruiz"]["figures"])["spend"] is None  # no payments: unknown, not 0
    assert Decimal(_values(top["Dan Ruiz"]["figures"])["revenue"]) == 0  # a promo code, no order yet: a real 0
    assert Decimal(top["Cleo Park"]["negotiated_fee"]["amount"]) == Decimal("1000.00")
    # the organization sets its own Instagram rates: EMV follows after the next rollup refresh
    response = await client.put("/analytics/emv-rates/instagram", headers=setup.headers,
                                 json={"currency": "EUR", "rates": {"impressions": 0.01}})
    assert response.status_code == 200, response.text
    await settle()
    figures = (await client.get(f"/campaigns/{setup.campaign_id}/analytics", headers=setup.headers)).json()["figures"]
    assert Decimal(figures["emv"]["value"]) == Decimal("200.00") and "organization" in figures["emv"]["formula"]
    assert cleo


async def test_lists_timeseries_and_csv(client: httpx.AsyncClient) -> None:
    setup, _, _ = await _scenario(client)
    page = (await client.get("/analytics/campaigns", headers=setup.headers)).json()
    assert page["total"] == 1 and Decimal(page["items"][0]["figures"]["revenue"]["value"]) == Decimal("130.00")
    creators = (await client.get("/analytics/creators", headers=setup.headers,
                                 params={"campaign_id": str(setup.campaign_id)})).json()
    assert [item["creator_name"] for item in creators["items"]] == ["Cleo Park", "Dan Ruiz"]
    revenue = (await client.get("/analytics/revenue", headers=setup.headers)).json()
    assert revenue["by_currency"][0]["currency"] == "EUR" and revenue["unattributed_orders"] == 0
    series = (await client.get(f"/campaigns/{setup.campaign_id}/analytics/timeseries", headers=setup.headers,
                               params={"metric": "revenue", "interval": "week"})).json()
    assert series["unit"] == "EUR" and sum(Decimal(point["value"]) for point in series["points"]) == Decimal("130")
    clicks = (await client.get(f"/campaigns/{setup.campaign_id}/analytics/timeseries", headers=setup.headers,
                               params={"metric": "clicks"})).json()
    assert sum(point["value"] for point in clicks["points"]) == 3  # every human click (2 unique)
    bad = await client.get(f"/campaigns/{setup.campaign_id}/analytics/timeseries", headers=setup.headers,
                           params={"metric": "vibes"})
    assert bad.status_code == 422 and "clicks" in bad.json()["message"]
    exported = await client.get("/analytics/creators", headers={**setup.headers, "Accept": "text/csv"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["creator_name"] for row in rows] == ["Cleo Park", "Dan Ruiz"]
    assert Decimal(rows[0]["revenue"]) == Decimal("130.00") and rows[1]["spend"] == ""  # missing stays empty
    for path in ("/analytics/campaigns", "/analytics/revenue", f"/campaigns/{setup.campaign_id}/analytics",
                 f"/campaigns/{setup.campaign_id}/analytics/timeseries"):
        response = await client.get(path, headers=setup.headers, params={"format": "csv"})
        assert response.status_code == 200 and response.text.count("\n") >= 2, path


async def test_metrics_import_reports_rows_and_writes_nothing_on_error(client: httpx.AsyncClient) -> None:
    setup = await campaign_with_creators(client, await manager_headers(client), ["Dan Ruiz"])
    dan = setup.creator_ids[0]
    bad = (f"post_url,creator_id,captured_at,views,likes\n"
           f"https://www.youtube.com/watch?v=abcdefgh,{dan},2026-05-01T10:00:00Z,1000,50\n"
           f"https://www.tiktok.com/@dan/video/123,,2026-05-01T10:00:00Z,-5,\n"
           f"not a url,{dan},,10,\n")
    response = await client.post(f"/campaigns/{setup.campaign_id}/metrics/import", headers=setup.headers,
                                 files={"file": ("export.csv", bad, "text/csv")})
    assert response.status_code == 422
    problems = {(item["row"], item["field"]) for item in response.json()["details"]["errors"]}
    assert (3, "views") in problems and (4, "post_url") in problems
    assert (await client.get(f"/campaigns/{setup.campaign_id}/posts", headers=setup.headers)).json() == []
    good = [{"post_url": "https://www.youtube.com/watch?v=abcdefgh", "creator_id": str(dan),
             "captured_at": "2026-05-01T10:00:00Z", "views": 1000, "likes": 50},
            {"post_url": "https://www.youtube.com/watch?v=abcdefgh", "captured_at": "2026-05-02T10:00:00Z",
             "views": "1,500", "likes": 80, "comments": ""}]
    response = await client.post(f"/campaigns/{setup.campaign_id}/metrics/import", headers=setup.headers,
                                 files={"file": ("export.json", json.dumps(good), "application/json")})
    assert response.status_code == 200, response.text
    assert response.json() | {"errors": []} == {"total_rows": 2, "imported": 2, "posts_created": 1, "errors": []}
    posts = (await client.get(f"/campaigns/{setup.campaign_id}/posts", headers=setup.headers)).json()
    assert posts[0]["platform"] == "youtube" and posts[0]["latest"]["views"] == 1500
    assert posts[0]["latest"]["comments"] is None
    await settle()
    series = (await client.get(f"/campaigns/{setup.campaign_id}/analytics/timeseries", headers=setup.headers,
                               params={"metric": "engagements"})).json()
    assert [point["value"] for point in series["points"]] == [50, 80]


async def test_tenant_isolation_of_every_endpoint(client: httpx.AsyncClient) -> None:
    setup, cleo, cleo_headers = await _scenario(client)
    other = await manager_headers(client, "otto", "Other Co")
    campaign = setup.campaign_id
    posts = (await client.get(f"/campaigns/{campaign}/posts", headers=setup.headers)).json()
    for path in (f"/campaigns/{campaign}/analytics", f"/campaigns/{campaign}/analytics/timeseries",
                 f"/campaigns/{campaign}/analytics/funnel", f"/campaigns/{campaign}/links",
                 f"/campaigns/{campaign}/promo-codes", f"/campaigns/{campaign}/posts",
                 f"/posts/{posts[0]['id']}/metrics", f"/campaigns/{campaign}/report.pdf",
                 f"/campaigns/{campaign}/charts/funnel.png"):
        assert (await client.get(path, headers=setup.headers)).status_code == 200, path
        assert (await client.get(path, headers=other)).status_code == 404, path
        assert (await client.get(path)).status_code == 401, path
        assert (await client.get(path, headers=cleo_headers)).status_code == 403, path
    assert (await client.get("/analytics/creators", headers=other,
                             params={"campaign_id": str(campaign)})).status_code == 404
    for path in ("/analytics/campaigns", "/analytics/creators"):
        assert (await client.get(path, headers=other)).json()["total"] == 0, path
        assert (await client.get(path, headers=cleo_headers)).status_code == 403, path
    assert (await client.get("/analytics/revenue", headers=other)).json()["by_currency"] == []
    assert (await client.post(f"/posts/{posts[0]['id']}/metrics", headers=other, json={"likes": 1})).status_code \
        == 404
    # a creator sees their own performance only
    mine = (await client.get("/creators/me/analytics", headers=cleo_headers)).json()
    assert {item["creator_id"] for item in mine["campaigns"]} == {str(cleo)}
    assert [code["code"] for code in mine["promo_codes"]] == ["CLEO10"] and len(mine["links"]) == 1
    assert (await client.get("/creators/me/analytics", headers=setup.headers)).status_code == 403
    # ... and can add a self-reported reading to their own post, not to anyone else's
    reading = await client.post(f"/creators/me/posts/{posts[0]['id']}/metrics", headers=cleo_headers,
                                json={"likes": 1200})
    assert reading.status_code == 201 and reading.json()["self_reported"] is True
    _, dan_headers = await register_creator(client, "dana")
    assert (await client.post(f"/creators/me/posts/{posts[0]['id']}/metrics", headers=dan_headers,
                              json={"likes": 1})).status_code == 404
    assert (await client.post(f"/creators/me/campaigns/{campaign}/posts", headers=dan_headers,
                              json={"url": "https://www.tiktok.com/@d/video/1"})).status_code == 404
