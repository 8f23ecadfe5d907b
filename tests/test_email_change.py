"""A creator's new email is pending until confirmed through a link mailed to it; until then everything that writes
to the creator (signing links, payout notices, outreach) keeps using the old address."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import update

from store.db import unit_of_work
from store.models import Creator
from tests.conftest import login
from tests.support.jobs import run_jobs

_LINK = re.compile(r"(https?://\S+/creators/me/email/confirm\?token=\S+)")


@pytest.fixture
async def creator(client: httpx.AsyncClient) -> dict:
    response = await client.post("/auth/register/creator", json={
        "email": "pia@example.com", "username": "pia", "password": "correct-horse-1", "full_name": "Pia Lund"})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {(await login(client, 'pia'))['access_token']}",
            "creator_id": response.json()["creator_id"]}


def _auth(creator: dict) -> dict:
    return {"Authorization": creator["Authorization"]}


async def _stored(creator: dict) -> Creator:
    async with unit_of_work() as session:
        row = await session.get(Creator, uuid.UUID(creator["creator_id"]))
        assert row is not None
        return row


def _links(sink, to: str) -> list[str]:  # type: ignore[no-untyped-def]
    links = []
    for entry in sink.mailbox.entries(to=to):
        stored = sink.mailbox.get(entry.id)
        links += _LINK.findall(stored.text or "")
    return links


def _path(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


async def test_a_new_email_is_used_only_once_confirmed(client: httpx.AsyncClient, creator: dict, mail_sink) -> None:  # type: ignore[no-untyped-def]
    from core.settings import get_settings
    from store.contacts.reachability import channel_address

    response = await client.put("/creators/me", headers=_auth(creator), json={"email": "Pia.New@Example.com",
                                                                               "bio": "Travel and food"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["email"] == "pia@example.com" and body["bio"] == "Travel and food"  # other fields apply at once
    assert body["pending_email"].lower() == "pia.new@example.com" and body["pending_email_expires_at"]
    assert (await client.get("/creators/me", headers=_auth(creator))).json()["pending_email"] == body["pending_email"]

    # what signing links and payout notices are addressed to has not moved
    stored = await _stored(creator)
    assert stored.email == "pia@example.com" and channel_address(stored, "email") == "pia@example.com"

    await run_jobs()
    assert _links(mail_sink, "pia@example.com") == []  # the old address gets no link
    [link] = _links(mail_sink, body["pending_email"])
    assert link.startswith(f"{get_settings().public_base_url}/creators/me/email/confirm?token=")
    assert stored.pending_email_token_hash and stored.pending_email_token_hash not in link  # only its hash is kept

    confirmed = await client.get(_path(link))  # no login: the link is the proof
    assert confirmed.status_code == 200 and confirmed.json() == {"email": body["pending_email"]}
    stored = await _stored(creator)
    assert stored.email == body["pending_email"] and channel_address(stored, "email") == body["pending_email"]
    assert stored.pending_email is None and stored.pending_email_token_hash is None
    me = (await client.get("/creators/me", headers=_auth(creator))).json()
    assert me["email"] == body["pending_email"] and me["pending_email"] is None
    # the account signed in with the old address: it signs in with the new one now, no longer with the old
    assert (await login(client, "pia.new@example.com"))["access_token"]
    old = await client.post("/auth/login", data={"username": "pia@example.com", "password": "correct-horse-1"})
    assert old.status_code == 401

    again = await client.post(_path(link))
    assert again.status_code == 404 and again.json()["code"] == "email_confirmation_invalid"


async def test_a_newer_change_voids_the_older_link(client: httpx.AsyncClient, creator: dict, mail_sink) -> None:  # type: ignore[no-untyped-def]
    await client.put("/creators/me", headers=_auth(creator), json={"email": "first@example.com"})
    await run_jobs()
    [first] = _links(mail_sink, "first@example.com")
    await client.put("/creators/me", headers=_auth(creator), json={"email": "second@example.com"})
    repeated = await client.put("/creators/me", headers=_auth(creator), json={"email": "second@example.com"})
    assert repeated.json()["pending_email"] == "second@example.com"
    await run_jobs()
    assert len(_links(mail_sink, "second@example.com")) == 1  # a repeated PUT sends no second link
    assert (await client.get(_path(first))).status_code == 404
    [second] = _links(mail_sink, "second@example.com")
    assert (await client.post(_path(second))).json() == {"email": "second@example.com"}


async def test_going_back_to_the_current_email_cancels_the_change(client: httpx.AsyncClient, creator: dict,
                                                                  mail_sink) -> None:  # type: ignore[no-untyped-def]
    await client.put("/creators/me", headers=_auth(creator), json={"email": "other@example.com"})
    back = await client.put("/creators/me", headers=_auth(creator), json={"email": "pia@example.com"})
    assert back.json()["pending_email"] is None and back.json()["email"] == "pia@example.com"
    ran = await run_jobs()
    assert [job.name for job in ran if job.name == "creators.confirm_email"]  # queued before the cancel ...
    assert _links(mail_sink, "other@example.com") == []  # ... but it no longer sends anything


async def test_an_expired_or_unknown_link_changes_nothing(client: httpx.AsyncClient, creator: dict,
                                                          mail_sink) -> None:  # type: ignore[no-untyped-def]
    await client.put("/creators/me", headers=_auth(creator), json={"email": "late@example.com"})
    await run_jobs()
    [link] = _links(mail_sink, "late@example.com")
    async with unit_of_work() as session:
        await session.execute(update(Creator).where(Creator.id == uuid.UUID(creator["creator_id"]))
                              .values(pending_email_expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    expired = await client.get(_path(link))
    assert expired.status_code == 410 and expired.json()["code"] == "email_confirmation_expired"
    unknown = await client.get("/creators/me/email/confirm", params={"token": "x" * 43})
    assert unknown.status_code == 404
    assert (await client.get("/creators/me/email/confirm", params={"token": "short"})).status_code == 422
    assert (await _stored(creator)).email == "pia@example.com"


async def test_a_new_email_another_account_signs_in_with_is_refused(client: httpx.AsyncClient, creator: dict,
                                                                    mail_sink) -> None:  # type: ignore[no-untyped-def]
    taken = await client.post("/auth/register/user", json={
        "email": "taken@example.com", "username": "ola", "password": "correct-horse-1", "full_name": "Ola",
        "company_name": "Acme"})
    assert taken.status_code == 201
    assert (await client.put("/creators/me", headers=_auth(creator), json={"email": "taken@example.com"})
            ).status_code == 200
    await run_jobs()
    [link] = _links(mail_sink, "taken@example.com")
    refused = await client.post(_path(link))
    assert refused.status_code == 409 and refused.json()["code"] == "email_taken"
    assert (await _stored(creator)).email == "pia@example.com"  # nothing moved
