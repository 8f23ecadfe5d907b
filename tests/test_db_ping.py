"""The pool pings a connection only after it sat idle (store/db.py): a dead idle connection is replaced before
the caller sees it, and a busy pool spends no round trips on pings."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from store.db import _ping_when_idle, get_engine


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def _kill(pid: int) -> None:
    async with get_engine().connect() as connection:
        await connection.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})


async def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(database_url: str) -> None:
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    _ping_when_idle(engine, 0)  # every checkout counts as idle
    try:
        first = await _backend_pid(engine)
        await _kill(first)
        assert await _backend_pid(engine) != first  # no error: the ping found it dead, the pool reconnected
    finally:
        await engine.dispose()


async def test_a_connection_back_in_the_pool_a_moment_ago_is_not_pinged(database_url: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    engine = create_async_engine(database_url, pool_size=1, max_overflow=0)
    _ping_when_idle(engine, 60)
    pings = 0
    try:
        await _backend_pid(engine)
        async with engine.connect() as connection:
            adapted = (await connection.get_raw_connection()).dbapi_connection
            original = type(adapted).ping

            def counting_ping(self: object) -> None:
                nonlocal pings
                pings += 1
                original(self)

            monkeypatch.setattr(type(adapted), "ping", counting_ping)
        for _ in range(5):
            await _backend_pid(engine)
        assert pings == 0
        # within the idle window a dead connection fails its statement once; the pool then reconnects
        pid = await _backend_pid(engine)
        await _kill(pid)
        with pytest.raises(Exception):  # noqa: B017, PT011 - the driver's disconnect error, wrapped by SQLAlchemy
            await _backend_pid(engine)
        assert await _backend_pid(engine) != pid
    finally:
        await engine.dispose()
