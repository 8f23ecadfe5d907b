"""/creators: profiles, self-service edits (with embedding jobs), listing with pagination and sorting, tenancy."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import func, select

from store.db import unit_of_work
from store.models import Creator, OutboxEvent
from tests.conftest import login, manager_headers

CREATOR = {
    "email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
    "category": "Food", "bio": "Vegan recipes from London.", "instagram_handle": "@cleo.cooks",
    "instagram_followers": 52000, "country": "gb", "languages": ["en"],
}


async def _embed_jobs() -> int:
    async with unit_of_work() as session:
        statement = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.actor_name == "creators.embed")
        return int((await session.execute(statement)).scalar_one())


async def _creator_headers(client: httpx.AsyncClient, body: dict = CREATOR) -> dict:
    response = await client.post("/auth/register/creator", json=body)
    assert response.status_code == 201, response.text
    tokens = await login(client, body["username"])
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def test_registration_derives_search_columns_and_queues_an_embedding(client: httpx.AsyncClient) -> None:
    headers = await _creator_headers(client)
    async with unit_of_work() as session:
        creator = (await session.execute(select(Creator))).scalar_one()
        assert creator.followers_instagram == 52000 and creator.followers_max == 52000
        assert creator.handles == ["instagram:cleo.cooks"] and creator.country == "GB"
        assert {"p:instagram", "c:GB", "cat:food", "f:instagram:30000"} <= set(creator.filter_tags)
    assert await _embed_jobs() == 1
    me = await client.get("/creators/me", headers=headers)
    assert me.status_code == 200 and me.json()["embedding_status"] == "pending"
    assert me.json()["platforms"]["instagram"]["handle"] == "cleo.cooks"


async def test_registration_with_a_bad_language_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/auth/register/creator", json=CREATOR | {"languages": ["klingon"]})
    assert response.status_code == 422 and "languages" in response.json()["message"]


async def test_put_me_updates_and_embeds_only_when_the_text_changes(client: httpx.AsyncClient) -> None:
    headers = await _creator_headers(client)
    response = await client.put("/creators/me", headers=headers, json={
        "rates": {"instagram_reel": 450}, "currency": "GBP", "whatsapp_phone": "+44 7700 900123",
        "whatsapp_opt_in": True})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["whatsapp_phone"] == "+447700900123" and body["whatsapp_opt_in"] is True
    assert body["rates"] == {"instagram_reel": 450.0} and body["bio"] == CREATOR["bio"]
    assert await _embed_jobs() == 1  # rates and contacts are not embedded: no new job
    response = await client.put("/creators/me", headers=headers, json={"bio": "Street food from Lisbon."})
    assert response.status_code == 200 and await _embed_jobs() == 2
    async with unit_of_work() as session:
        creator = (await session.execute(select(Creator))).scalar_one()
        assert creator.min_rate_usd is not None and round(creator.min_rate_usd) == round(450 * 1.27)


async def test_put_me_rejects_invalid_profiles_with_field_messages(client: httpx.AsyncClient) -> None:
    headers = await _creator_headers(client)
    for body, field in (({"country": "Atlantis"}, "country"), ({"whatsapp_phone": "12345"}, "whatsapp_phone"),
                        ({"whatsapp_opt_in": True}, "whatsapp_opt_in"), ({"currency": "XXX"}, "currency"),
                        ({"audience": {"myspace": {"followers": 3}}}, "audience")):
        response = await client.put("/creators/me", headers=headers, json=body)
        assert response.status_code == 422, body
        assert field in response.json()["message"], response.json()
    assert (await client.put("/creators/me", headers=headers, json={"owner": "x"})).status_code == 422


async def test_the_creator_sets_their_payout_account_and_only_they_see_it(client: httpx.AsyncClient) -> None:
    headers = await _creator_headers(client)
    assert (await client.get("/creators/me", headers=headers)).json()["payout_account"] is None
    saved = await client.put("/creators/me", headers=headers, json={"payout_account": " acct_1Nv0FGQ9RKHgCVdK "})
    assert saved.status_code == 200 and saved.json()["payout_account"] == "acct_1Nv0FGQ9RKHgCVdK"
    assert saved.json()["bio"] == CREATOR["bio"]  # the rest of the profile is unchanged
    bad = await client.put("/creators/me", headers=headers, json={"payout_account": "has spaces inside"})
    assert bad.status_code == 422 and "payout_account" in bad.json()["message"]
    manager = await manager_headers(client)
    creator_id = (await client.get("/creators/me", headers=headers)).json()["id"]
    seen = await client.get(f"/creators/{creator_id}", headers=manager)
    # a brand sees where to reach the creator, not where their money goes
    assert seen.status_code == 200 and "payout_account" not in seen.json()
    cleared = await client.put("/creators/me", headers=headers, json={"payout_account": ""})
    assert cleared.status_code == 200 and cleared.json()["payout_account"] is None


async def test_list_paginates_and_sorts(client: httpx.AsyncClient, seed_creators) -> None:  # type: ignore[no-untyped-def]
    await seed_creators(45, embed=False)
    headers = await manager_headers(client)
    first = (await client.get("/creators/?limit=20&sort=-followers", headers=headers)).json()
    assert len(first["items"]) == 20 and first["next_offset"] == 20
    followers = [item["followers_max"] for item in first["items"]]
    assert followers == sorted(followers, reverse=True)
    last = (await client.get("/creators/?limit=20&offset=40&sort=-followers", headers=headers)).json()
    assert len(last["items"]) == 5 and last["next_offset"] is None
    second = (await client.get("/creators/?limit=20&offset=20&sort=-followers", headers=headers)).json()
    ids = [item["id"] for page in (first, second, last) for item in page["items"]]
    assert len(set(ids)) == 45
    names = [i["display_name"] for i in (await client.get("/creators/?sort=display_name&limit=45",
                                                           headers=headers)).json()["items"]]
    assert names == sorted(names)
    for query in ("sort=-popularity", "limit=0", "limit=101", "offset=-1"):
        response = await client.get(f"/creators/?{query}", headers=headers)
        assert response.status_code == 422, query


async def test_prospects_are_visible_only_to_their_organization(client: httpx.AsyncClient,
                                                                add_creators) -> None:  # type: ignore[no-untyped-def]
    acme = await manager_headers(client, "maria", "Acme")
    globex = await manager_headers(client, "gina", "Globex")
    acme_org = uuid.UUID((await client.get("/auth/me", headers=acme)).json()["organization_id"])
    [prospect] = await add_creators([{"display_name": "Quiet Prospect", "instagram": "quietone",
                                      "instagram_followers": "12k", "bio": "Slow living"}], organization_id=acme_org)
    assert (await client.get(f"/creators/{prospect}", headers=acme)).json()["is_prospect"] is True
    assert (await client.get(f"/creators/{prospect}", headers=globex)).status_code == 404
    assert [i["id"] for i in (await client.get("/creators/", headers=globex)).json()["items"]] == []
    assert (await client.get("/creators/search?query=slow living", headers=globex)).json() == []
    assert len((await client.get("/creators/search?query=slow living", headers=acme)).json()) == 1


async def test_creators_see_only_themselves(client: httpx.AsyncClient, add_creators) -> None:  # type: ignore[no-untyped-def]
    [other] = await add_creators([{"display_name": "Someone Else", "bio": "Travel"}])
    headers = await _creator_headers(client)
    assert (await client.get(f"/creators/{other}", headers=headers)).status_code == 404
    assert (await client.get("/creators/", headers=headers)).status_code == 403
    me = (await client.get("/creators/me", headers=headers)).json()
    assert (await client.get(f"/creators/{me['id']}", headers=headers)).status_code == 200
    manager = await manager_headers(client)
    assert (await client.put("/creators/me", headers=manager, json={"bio": "x"})).status_code == 403
