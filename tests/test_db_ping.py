"""Pooled connections are pinged before use only after sitting idle (`DATABASE_PING_IDLE_SECONDS`), and one the
server closed meanwhile is replaced without the caller seeing an error."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from core.settings import get_settings
from store import db


async def test_only_idle_connections_are_pinged_and_a_dead_one_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "DATABASE_PING_IDLE_SECONDS", 0.3)
    engine, sessions = db._create_engine()
    pings = 0
    ping = engine.dialect.do_ping

    def counted(connection: object) -> bool:
        nonlocal pings
        pings += 1
        return ping(connection)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    try:
        for _ in range(5):
            async with sessions() as session:
                backend = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert pings == 0  # used moments ago: alive
        async with db.unit_of_work() as other:  # the test's own engine ends the pooled connection server-side
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        await asyncio.sleep(0.4)
        async with sessions() as session:
            assert (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one() != backend
        assert pings == 1
    finally:
        await engine.dispose()
