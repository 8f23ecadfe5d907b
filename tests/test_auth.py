"""The seed's auth flow and its error cases, over HTTP against the real database and Redis."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter

from api.deps import CreatorDep
from tests.conftest import login, manager_headers, register_manager

CREATOR = {
    "email": "cleo@example.com", "username": "cleo", "password": "correct-horse-1", "full_name": "Cleo Park",
    "category": "Beauty", "instagram_followers": 52000, "youtube_subscribers": 1200, "country": "gb",
}


async def test_register_login_me_refresh(client: httpx.AsyncClient) -> None:
    manager = await register_manager(client)
    assert manager["role"] == "manager" and manager["organization_id"]
    response = await client.post("/auth/register/creator", json=CREATOR)
    assert response.status_code == 201, response.text
    assert response.json()["role"] == "creator" and response.json()["creator_id"]

    tokens = await login(client, "maria@example.com")  # email works as the login too
    me = await client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200 and me.json()["username"] == "maria"

    rotated = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200
    assert rotated.json()["refresh_token"] != tokens["refresh_token"]


async def test_reused_refresh_token_is_rejected_and_revokes_the_family(client: httpx.AsyncClient) -> None:
    await register_manager(client)
    tokens = await login(client, "maria")
    first = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert first.status_code == 200
    reuse = await client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert reuse.status_code == 401 and reuse.json()["code"] == "refresh_token_reused"
    # the legitimate successor is revoked too: the stolen-token holder and the victim both sign in again
    successor = await client.post("/auth/refresh", json={"refresh_token": first.json()["refresh_token"]})
    assert successor.status_code == 401


async def test_access_token_is_not_a_refresh_token(client: httpx.AsyncClient) -> None:
    await register_manager(client)
    tokens = await login(client, "maria")
    response = await client.post("/auth/refresh", json={"refresh_token": tokens["access_token"]})
    assert response.status_code == 401
    response = await client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"})
    assert response.status_code == 401


async def test_taken_email_or_username_is_409(client: httpx.AsyncClient) -> None:
    await register_manager(client)
    again = await client.post("/auth/register/user", json={
        "email": "MARIA@example.com", "username": "other", "password": "correct-horse-1",
        "full_name": "X", "company_name": "Y"})
    assert again.status_code == 409 and again.json()["details"]["fields"] == ["email"]
    creator = await client.post("/auth/register/creator", json=CREATOR | {"username": "maria"})
    assert creator.status_code == 409


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"password": "short"}, "password"),
        ({"username": "a b"}, "username"),
        ({"company_name": ""}, "company_name"),
    ],
)
async def test_bad_payload_is_422_with_field_messages(client: httpx.AsyncClient, payload: dict, field: str) -> None:
    body = {"email": "ok@example.com", "username": "okname", "password": "correct-horse-1", "full_name": "Ok",
            "company_name": "Co"} | payload
    response = await client.post("/auth/register/user", json=body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert any(item["field"] == field for item in response.json()["details"])


async def test_bad_credentials_and_tokens_are_401(client: httpx.AsyncClient) -> None:
    await register_manager(client)
    wrong = await client.post("/auth/login", data={"username": "maria", "password": "wrong-password"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    unknown = await client.post("/auth/login", data={"username": "nobody", "password": "wrong-password"})
    assert unknown.status_code == 401
    assert (await client.get("/auth/me")).status_code == 401
    garbage = await client.get("/auth/me", headers={"Authorization": "Bearer abc.def.ghi"})
    assert garbage.status_code == 401


async def test_expired_token_is_401(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    await register_manager(client)
    monkeypatch.setattr(get_settings(), "ACCESS_TOKEN_EXPIRE_MINUTES", -1)
    tokens = await login(client, "maria")
    response = await client.get("/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert response.status_code == 401 and response.json()["code"] == "token_expired"


async def test_login_is_rate_limited_with_retry_after(client: httpx.AsyncClient,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    await register_manager(client)
    monkeypatch.setattr(get_settings(), "AUTH_RATE_LIMIT_PER_ACCOUNT", 3)
    statuses = [
        (await client.post("/auth/login", data={"username": "maria", "password": "wrong-password"})).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    limited = await client.post("/auth/login", data={"username": "maria", "password": "wrong-password"})
    assert int(limited.headers["Retry-After"]) >= 1


_role_router = APIRouter()


@_role_router.get("/_test/creator-only")
async def _creator_only(principal: CreatorDep) -> dict:
    return {}


async def test_wrong_role_is_403(client: httpx.AsyncClient) -> None:
    headers = await manager_headers(client)
    app = client._transport.app  # type: ignore[attr-defined]
    app.include_router(_role_router)
    response = await client.get("/_test/creator-only", headers=headers)
    assert response.status_code == 403 and response.json()["code"] == "wrong_role"
