"""Engine and session factory. The transaction belongs to the unit of work (a request or a job):
`unit_of_work()` commits when the block succeeds and rolls back when it raises; services only flush."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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
            pool_pre_ping=True,
        )
        _sessionmaker = async_sessionmaker(_engine, expire_on_commit=False)
    return _engine


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
