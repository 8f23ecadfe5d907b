"""Tenant isolation of creator ids: every operation that takes a creator id × every actor who is not the owner.

Organization A imported a prospect. For another organization's manager, a creator and an anonymous caller, each
operation answers for A's prospect exactly what it answers for a random id (no existence oracle): 404
`creator_not_found` for the other manager, 403/404 for a creator, 401 anonymous — and nothing is written (no
invitation, no email queued, no do-not-contact entry, no shortlist change). Search never returns the prospect,
and the agents' loaders (`CampaignService.creator`, `creators_by_ids`) do not hand it to another tenant.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from store.campaigns.service import CampaignService
from store.db import unit_of_work
from store.models import CampaignCreator, DoNotContact, OutboxEvent
from tests.agents_flow import confirmed_campaign, create_campaign, pending, seed_creator
from tests.conftest import login, manager_headers
from tests.support.jobs import run_jobs

CREATOR = {"email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
           "category": "beauty", "instagram_followers": 52000, "country": "GB"}


@dataclass
class World:
    client: httpx.AsyncClient
    owner: dict[str, str]  # organization A's manager
    actors: dict[str, dict[str, str]]  # other_manager (organization B), creator, anonymous
    prospect: uuid.UUID  # A's private prospect
    campaign_b: str  # B's campaign (a draft: invitations need no confirmed brief)
    shortlist_b: str | None = None  # B's pending shortlist approval, made on demand


async def _world(client: httpx.AsyncClient, add_creators: Any) -> World:
    owner = await manager_headers(client, "maria", "Acme")
    other = await manager_headers(client, "gina", "Globex")
    assert (await client.post("/auth/register/creator", json=CREATOR)).status_code == 201
    creator = {"Authorization": f"Bearer {(await login(client, 'cleo'))['access_token']}"}
    acme = uuid.UUID((await client.get("/auth/me", headers=owner)).json()["organization_id"])
    [prospect] = await add_creators([{"display_name": "Quiet Prospect", "instagram": "quietone",
                                      "instagram_followers": "12k", "bio": "Slow living in the hills",
                                      "email": "quiet@prospect.example"}], organization_id=acme)
    campaign_b = (await create_campaign(client, other, name="Globex launch"))["id"]
    return World(client, owner, {"other_manager": other, "creator": creator, "anonymous": {}}, prospect, campaign_b)


async def _shortlist_b(world: World) -> str:
    if world.shortlist_b is None:
        await seed_creator("Ana Ruiz")
        await confirmed_campaign(world.client, world.actors["other_manager"])
        await run_jobs()
        [approval] = await pending(world.client, world.actors["other_manager"], "shortlist")
        world.shortlist_b = str(approval["id"])
    return world.shortlist_b


Operation = Callable[[World, dict[str, str], uuid.UUID], Awaitable[httpx.Response]]


async def _invite(world: World, headers: dict[str, str], creator_id: uuid.UUID) -> httpx.Response:
    return await world.client.post(f"/campaigns/{world.campaign_b}/invite", headers=headers,
                                   json={"creator_id": str(creator_id), "send_email": True})


async def _shortlist_add(world: World, headers: dict[str, str], creator_id: uuid.UUID) -> httpx.Response:
    approval = await _shortlist_b(world)
    return await world.client.post(f"/approvals/{approval}/decision", headers=headers,
                                   json={"action": "edit", "payload": {"add": [str(creator_id)]}})


async def _shortlist_replace(world: World, headers: dict[str, str], creator_id: uuid.UUID) -> httpx.Response:
    approval = await _shortlist_b(world)
    return await world.client.post(f"/approvals/{approval}/decision", headers=headers,
                                   json={"action": "edit", "payload": {"creator_ids": [str(creator_id)]}})


async def _do_not_contact(world: World, headers: dict[str, str], creator_id: uuid.UUID) -> httpx.Response:
    return await world.client.post("/do-not-contact", headers=headers, json={
        "channel": "email", "address": "someone@elsewhere.example", "creator_id": str(creator_id)})


async def _profile(world: World, headers: dict[str, str], creator_id: uuid.UUID) -> httpx.Response:
    return await world.client.get(f"/creators/{creator_id}", headers=headers)


async def _portfolio(world: World, headers: dict[str, str], creator_id: uuid.UUID) -> httpx.Response:
    return await world.client.get(f"/creators/{creator_id}/portfolio/{uuid.uuid4()}/content", headers=headers)


OPERATIONS: dict[str, Operation] = {
    "invite": _invite, "shortlist_edit_add": _shortlist_add, "shortlist_edit_creator_ids": _shortlist_replace,
    "do_not_contact": _do_not_contact, "profile": _profile, "portfolio_content": _portfolio,
}
EXPECTED = {"other_manager": {404}, "creator": {403, 404}, "anonymous": {401}}


async def _side_effects() -> dict[str, int]:
    async with unit_of_work() as session:
        async def count(model: Any) -> int:
            return int((await session.execute(select(func.count()).select_from(model))).scalar_one())
        return {"participations": await count(CampaignCreator), "do_not_contact": await count(DoNotContact),
                "outbox": await count(OutboxEvent)}


@pytest.mark.parametrize("actor", sorted(EXPECTED))
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
async def test_another_tenants_prospect_is_indistinguishable_from_an_unknown_id(
        client: httpx.AsyncClient, add_creators: Any, operation: str, actor: str) -> None:
    world = await _world(client, add_creators)
    call, headers = OPERATIONS[operation], world.actors[actor]
    if operation.startswith("shortlist"):
        await _shortlist_b(world)
    before = await _side_effects()
    random_id = uuid.uuid4()
    unknown = await call(world, headers, random_id)
    invisible = await call(world, headers, world.prospect)
    assert invisible.status_code in EXPECTED[actor], invisible.text
    answers = [(response.status_code, response.json()["code"], response.text.replace(str(creator_id), "<id>"))
               for response, creator_id in ((unknown, random_id), (invisible, world.prospect))]
    assert answers[0] == answers[1]  # same status, code and body
    if actor == "other_manager":
        assert invisible.json()["code"] == "creator_not_found"
    assert await _side_effects() == before  # nothing written for either id


@pytest.mark.parametrize("operation", ["invite", "do_not_contact", "profile"])
async def test_the_owner_reaches_its_own_prospect(client: httpx.AsyncClient, add_creators: Any,
                                                  operation: str) -> None:
    """The control: the same calls with the owning organization's manager succeed, so the 404s above are the rule
    at work, not a broken request."""
    world = await _world(client, add_creators)
    if operation == "invite":
        world.campaign_b = (await create_campaign(client, world.owner, name="Acme launch"))["id"]
    response = await OPERATIONS[operation](world, world.owner, world.prospect)
    assert response.status_code in (200, 201), response.text


async def test_search_and_agent_loaders_leave_other_tenants_prospects_out(client: httpx.AsyncClient,
                                                                          add_creators: Any) -> None:
    world = await _world(client, add_creators)
    other = world.actors["other_manager"]
    for params in ({"query": "slow living hills"}, {}, {"country": "GB"}):
        found = (await client.get("/creators/search", params=params, headers=other)).json()
        assert str(world.prospect) not in {item["creator"]["id"] for item in found}
    owner_found = (await client.get("/creators/search", params={"query": "slow living hills"},
                                    headers=world.owner)).json()
    assert str(world.prospect) in {item["creator"]["id"] for item in owner_found}
    assert str(world.prospect) not in {c["id"] for c in (await client.get("/creators/", headers=other)).json()["items"]}

    globex = uuid.UUID((await client.get("/auth/me", headers=other)).json()["organization_id"])
    acme = uuid.UUID((await client.get("/auth/me", headers=world.owner)).json()["organization_id"])
    async with unit_of_work() as session:
        campaigns = CampaignService(session)
        assert await campaigns.creator(globex, world.prospect) is None
        assert await campaigns.creators_by_ids(globex, [world.prospect]) == {}
        assert (await campaigns.creator(acme, world.prospect)) is not None
