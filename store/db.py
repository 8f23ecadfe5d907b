"""Engine and session factory. The transaction belongs to the unit of work (a request or a job):
`unit_of_work()` commits when the block succeeds and rolls back when it raises; services only flush.

A pooled connection is pinged before use only when it sat idle in the pool for `DATABASE_PING_IDLE_SECONDS`:
SQLAlchemy's `pool_pre_ping` costs three round trips per checkout with asyncpg (BEGIN, `;`, ROLLBACK) — more than
a whole page read — while a connection handed back milliseconds ago is as alive as a ping would show. A dead one
found by the ping is replaced before the caller sees it; a connection that dies within the idle window fails its
statement, and SQLAlchemy then invalidates the whole pool, so the next checkouts reconnect.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from core.errors import DomainError
from core.settings import get_settings

_engine: AsyncEngine | None = None
_sessionmaker: async_sessionmaker[AsyncSession] | None = None
_resolved_url: str | None = None


def resolve_database_url() -> str:
    """DATABASE_URL when configured, else the embedded server (started on first use)."""
    global _resolved_url
    if _resolved_url is None:
        settings = get_settings()
        if settings.DATABASE_URL:
            url = settings.DATABASE_URL
            if url.startswith("postgres://"):
                url = "postgresql://" + url[len("postgres://"):]
            if url.startswith("postgresql://"):
                url = "postgresql+asyncpg://" + url[len("postgresql://"):]
            _resolved_url = url
        else:
            from store.embedded import start_embedded_postgres

            _resolved_url = start_embedded_postgres(settings.data_dir)
    return _resolved_url


def get_engine() -> AsyncEngine:
    global _engine, _sessionmaker
    if _engine is None:
        settings = get_settings()
        _engine = create_async_engine(
            resolve_database_url(),
            pool_size=settings.DATABASE_POOL_SIZE,
            max_overflow=settings.DATABASE_POOL_SIZE,
        )
        _ping_when_idle(_engine, settings.DATABASE_PING_IDLE_SECONDS)
        _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


def _ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Pre-ping only connections idle in the pool for `idle_seconds` or more (0: every checkout)."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None:
            record.info["checked_in_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or time.monotonic() - checked_in_at < idle_seconds:
            return  # new (just connected), or back in the pool a moment ago
        try:
            dbapi_connection.ping()
        except Exception as error:  # the pool retries the checkout with a new connection
            raise exc.DisconnectionError(f"idle connection failed its ping: {error}") from error


def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    get_engine()
    assert _sessionmaker is not None
    return _sessionmaker


@asynccontextmanager
async def unit_of_work() -> AsyncIterator[AsyncSession]:
    """One transaction: commit on success, roll back on error."""
    async with get_sessionmaker()() as session:
        try:
            yield session
            await session.commit()
        except DomainError as exc:
            await (session.commit() if exc.keep_changes else session.rollback())
            raise
        except BaseException:
            await session.rollback()
            raise


async def dispose_engine() -> None:
    global _engine, _sessionmaker
    if _engine is not None:
        await _engine.dispose()
    _engine = None
    _sessionmaker = None


def reset_for_tests(url: str) -> None:
    """Point the process at a specific database (tests create one per session)."""
    global _resolved_url, _engine, _sessionmaker
    _resolved_url = url
    _engine = None
    _sessionmaker = None
