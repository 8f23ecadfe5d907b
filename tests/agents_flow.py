"""Helpers for the campaign / agent / approval tests: seed creators, create and confirm campaigns, decide
approvals. Jobs run through the one pump, `tests/support/jobs.run_jobs()`."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import select

from store.db import unit_of_work
from store.models import Creator, OutboxEvent
from tests.support.jobs import run_jobs

FULL_BRIEF = {
    "goal": "awareness", "product": "Acme protein bar", "budget": 20000, "currency": "EUR",
    "platforms": ["instagram"], "categories": ["fitness"], "countries": ["ES"], "languages": ["es"],
    "min_followers": 10000, "max_followers": 500000, "fee_ceiling": 1500, "fee_target": 900,
}

# The contract terms a complete brief states (deliverables with due dates, usage rights, exclusivity, schedule).
TERMS = {
    "deliverables": [{"platform": "instagram", "kind": "reel", "quantity": 1, "due_date": "2026-04-10"},
                     {"platform": "instagram", "kind": "story", "quantity": 3, "due_date": "2026-04-20"}],
    "usage_rights": {"channels": ["organic social", "paid social"], "months": 6},
    "exclusivity": {"category": "sports nutrition", "months": 2},
    "payment_schedule": [{"kind": "advance", "percent": 50, "net_days": 14}, {"kind": "final", "percent": 50}],
}


async def seed_creator(name: str, *, country: str = "ES", categories: tuple[str, ...] = ("fitness",),
                       followers: int = 50_000, email: str | None = "auto", user_id: uuid.UUID | None = None,
                       **extra: Any) -> uuid.UUID:
    """A creator; `extra` sets more columns (an unknown one raises TypeError: a typo never passes silently)."""
    async with unit_of_work() as session:
        columns: dict[str, Any] = {"languages": ["es"]} | extra  # the defaults a test may override
        creator = Creator(display_name=name, bio=f"{name} trains and cooks.", categories=list(categories),
                          country=country, user_id=user_id,
                          audience={"instagram": {"handle": name.lower().replace(" ", ""), "followers": followers,
                                                  "engagement_rate": 3.1}},
                          email=f"{name.lower().replace(' ', '.')}@example.com" if email == "auto" else email,
                          **columns)  # an unknown attribute is a TypeError, not silently dropped
        session.add(creator)
        await session.flush()
        return creator.id


async def outbox_rows(actor_prefix: str) -> list[OutboxEvent]:
    async with unit_of_work() as session:
        statement = select(OutboxEvent).where(OutboxEvent.actor_name.startswith(actor_prefix))
        return list((await session.execute(statement)).scalars())


async def create_campaign(client: httpx.AsyncClient, headers: dict[str, str], brief: dict[str, Any] | None = None,
                          name: str = "Spring launch") -> dict[str, Any]:
    response = await client.post("/campaigns/", json={"name": name, "brief": brief or {}}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def confirmed_campaign(client: httpx.AsyncClient, headers: dict[str, str],
                             brief: dict[str, Any] | None = None) -> dict[str, Any]:
    campaign = await create_campaign(client, headers, brief or FULL_BRIEF)
    # FULL_BRIEF leaves the contract terms to be decided when a creator agrees (tests of the terms pass TERMS)
    response = await client.post(f"/campaigns/{campaign['id']}/brief/confirm", headers=headers,
                                 json={"terms_later": True})
    assert response.status_code == 200, response.text
    return campaign | {"run_id": response.json()["run_id"]}


async def pending(client: httpx.AsyncClient, headers: dict[str, str], kind: str) -> list[dict[str, Any]]:
    response = await client.get("/approvals", params={"status": "pending", "kind": kind, "limit": 200},
                                headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def decide(client: httpx.AsyncClient, headers: dict[str, str], approval_id: str, action: str,
                 **body: Any) -> httpx.Response:
    return await client.post(f"/approvals/{approval_id}/decision", json={"action": action, **body}, headers=headers)


async def approved_shortlist_drafts(client: httpx.AsyncClient,
                                    headers: dict[str, str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A confirmed campaign over the creators seeded so far, its shortlist approved: the shortlist and the
    message drafts waiting for a decision."""
    await confirmed_campaign(client, headers)
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    await decide(client, headers, shortlist["id"], "approve")
    await run_jobs()
    return shortlist, await pending(client, headers, "message")


async def message_drafts(client: httpx.AsyncClient, headers: dict[str, str], *names: str) -> dict[str, dict]:  # type: ignore[type-arg]
    """`approved_shortlist_drafts` for the named creators (seeded first): the message drafts by creator name."""
    for name in names:
        await seed_creator(name)
    shortlist, drafts = await approved_shortlist_drafts(client, headers)
    by_id = {c["creator_id"]: c["display_name"] for c in shortlist["action_request"]["args"]["creators"]}
    return {by_id[d["creator_id"]]: d for d in drafts}


async def one_message_draft(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    """A confirmed campaign with one creator, its shortlist approved: the single draft waiting for a decision."""
    await seed_creator("Ana Ruiz")
    await confirmed_campaign(client, headers)
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    await decide(client, headers, shortlist["id"], "approve")
    await run_jobs()
    [draft] = await pending(client, headers, "message")
    return draft
