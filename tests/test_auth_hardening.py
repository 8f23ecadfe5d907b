"""Login hardening: password hashing off the event loop, per-account limits by the resolved user, and forwarded
headers believed only from configured proxies."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from tests.conftest import register_manager


async def test_password_hashing_leaves_the_event_loop_free() -> None:
    """While a hash is computed, other tasks keep running: the loop is not blocked by argon2."""
    from core.security import hash_password_async, password_executor, verify_password_async

    stored = await hash_password_async("correct-horse-1")
    verifying = asyncio.ensure_future(verify_password_async("wrong-password", stored))
    ticks_while_hashing = 0
    while not verifying.done():
        await asyncio.sleep(0)  # a trivial concurrent task: it only runs if the loop is free
        ticks_while_hashing += 1
    assert await verifying is False
    assert ticks_while_hashing > 0  # run inline, the verify would have finished before the first tick
    assert await verify_password_async("correct-horse-1", stored) is True
    assert await verify_password_async("anything", None) is False  # unknown account: dummy hash, same cost
    from core.settings import get_settings

    assert password_executor()._max_workers == get_settings().PASSWORD_HASH_THREADS  # bounded


async def _attempt(client: httpx.AsyncClient, username: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    response = await client.post("/auth/login", data={"username": username, "password": "wrong-password"},
                                 headers=headers)
    return response.status_code


async def test_username_and_email_share_the_account_limit(client: httpx.AsyncClient,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    await register_manager(client)  # username maria, email maria@example.com
    monkeypatch.setattr(get_settings(), "AUTH_RATE_LIMIT_PER_ACCOUNT", 4)
    statuses = [await _attempt(client, name) for name in ("maria", "maria@example.com", "MARIA", " Maria@Example.com",
                                                          "maria@example.com")]
    assert statuses == [401, 401, 401, 401, 429]
    # an unknown name is limited by its normalized spelling, and separately from maria
    monkeypatch.setattr(get_settings(), "AUTH_RATE_LIMIT_PER_ACCOUNT", 2)
    assert [await _attempt(client, name) for name in ("ghost", "GHOST ", "ghost")] == [401, 401, 429]


async def test_rotating_forwarded_for_does_not_escape_the_ip_limit(client: httpx.AsyncClient,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from core.settings import get_settings

    assert get_settings().FORWARDED_ALLOW_IPS == ""  # default: no proxy is trusted, not even 127.0.0.1
    monkeypatch.setattr(get_settings(), "AUTH_RATE_LIMIT_PER_IP", 3)
    statuses = [await _attempt(client, f"user{n}", forwarded_for=f"203.0.113.{n}") for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


async def test_forwarded_for_is_used_behind_a_configured_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    from api.app import create_app
    from core.settings import get_settings

    monkeypatch.setattr(get_settings(), "FORWARDED_ALLOW_IPS", "127.0.0.1")
    monkeypatch.setattr(get_settings(), "AUTH_RATE_LIMIT_PER_IP", 2)
    app = create_app()
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", random.randint(1024, 65000)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as proxied:
        # each client behind the proxy has its own bucket; one client still hits its limit
        assert [await _attempt(proxied, f"u{n}", forwarded_for=f"198.51.100.{n}") for n in range(4)] == [401] * 4
        assert [await _attempt(proxied, "same", forwarded_for="198.51.100.77") for _ in range(3)] == [401, 401, 429]
    # a peer that is not the proxy cannot choose its bucket
    transport = httpx.ASGITransport(app=app, client=("192.0.2.9", random.randint(1024, 65000)))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as direct:
        statuses = [await _attempt(direct, f"d{n}", forwarded_for=f"198.51.100.{100 + n}") for n in range(3)]
        assert statuses == [401, 401, 429]
