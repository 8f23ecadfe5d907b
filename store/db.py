"""Engine and session factory. The transaction belongs to the unit of work (a request or a job):
`unit_of_work()` commits when the block succeeds and rolls back when it raises; services only flush.

`read_only_unit()` is for a request that only reads, each statement consistent on its own (a list page with its
total in one statement): no transaction is opened, so it saves the BEGIN and COMMIT round trips, and its
connections come from a separate pool whose sessions are read-only on the server (`default_transaction_read_only`):
a write attempted there fails instead of committing by itself. Its hot statements (`store/driver.py`) take a
connection of a pool of plain asyncpg connections instead of the session's (`store/driver_pool.py`: checking one
out through the session cost more than the statement)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from core.errors import DomainError
from core.loops import LoopLocal
from core.settings import get_settings
from store.driver_pool import LEASE, DriverPool, Lease

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


def _create_engine(read_only: bool = False) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    settings = get_settings()
    # A pool opens connections as they are needed: a worker thread's loop runs one job at a time and holds only
    # the few it uses, whatever DATABASE_POOL_SIZE allows.
    options: dict[str, Any] = {}
    if read_only:  # no BEGIN/COMMIT (asyncpg in autocommit), and the server refuses writes on these sessions
        options = {"isolation_level": "AUTOCOMMIT",
                   "connect_args": {"server_settings": {"default_transaction_read_only": "on"}}}
    engine = create_async_engine(resolve_database_url(), pool_size=settings.DATABASE_POOL_SIZE,
                                 max_overflow=settings.DATABASE_POOL_SIZE, json_serializer=json_dumps,
                                 json_deserializer=orjson.loads, **options)
    _ping_when_idle(engine, settings.DATABASE_PING_IDLE_SECONDS)
    return engine, async_sessionmaker(engine, expire_on_commit=False)


def json_dumps(value: Any) -> str:
    """JSON and JSONB parameters, by orjson (the standard library's encoder was ~5 % of a reply's worker CPU):
    what `json.dumps` writes for the same values, non-string keys as strings too; it also takes UUIDs (asyncpg's
    subclass included) and datetimes, which `json.dumps` refuses."""
    return orjson.dumps(value, default=_json_default, option=orjson.OPT_NON_STR_KEYS).decode()


def _json_default(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _ping_when_idle(engine: AsyncEngine, idle_seconds: float) -> None:
    """Ping a pooled connection before use only when it sat idle longer than `idle_seconds`.

    `pool_pre_ping` pings on every checkout: one more round trip per unit of work (a reply's turn has about ten;
    the ping was 14 % of the webhook handler). A connection used moments ago is alive; one idle for a while
    may have been closed by the server or a proxy, and a failed ping swaps it for a fresh one. A server restart
    within `idle_seconds` of a connection's last use fails that one statement (SQLAlchemy then discards the
    pool's connections): the job retries, the request answers 500 once."""
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "connect")
    @event.listens_for(pool, "checkin")
    def _idle_from(_: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _check(dbapi_connection: Any, record: Any, __: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) <= idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc  # the pool retries


async def _dispose(pair: tuple[AsyncEngine, async_sessionmaker[AsyncSession]]) -> None:
    await pair[0].dispose()


def _create_driver_pool() -> DriverPool:
    """The read-only units' asyncpg pool, connecting as the engine does (SQLAlchemy's own reading of the URL)."""
    _, connect_args = asyncpg_dialect().create_connect_args(make_url(resolve_database_url()))
    return DriverPool(connect_args, get_settings().DATABASE_POOL_SIZE)


async def _close_driver_pool(pool: DriverPool) -> None:
    await pool.close()


# asyncpg connections belong to the loop that opened them: one engine (and pool) per event loop (core/loops.py).
_engines = LoopLocal("database engine", _create_engine, _dispose)
_read_engines = LoopLocal("read-only database engine", lambda: _create_engine(read_only=True), _dispose)
_driver_pools = LoopLocal("read-only driver pool", _create_driver_pool, _close_driver_pool)


def get_engine() -> AsyncEngine:
    """This event loop's engine."""
    return _engines.get()[0]


def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    return _engines.get()[1]


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


@asynccontextmanager
async def read_only_unit() -> AsyncIterator[AsyncSession]:
    """A session for reads only, outside any transaction: each statement sees the data committed when it starts,
    and a write fails (the server refuses it). For a request whose answer needs no single snapshot across its
    statements; anything that writes, or reads to decide a write, is a `unit_of_work()`."""
    session = _read_engines.get()[1]()
    lease = Lease(_driver_pools.get())
    session.info[LEASE] = lease
    clean = False
    try:
        yield session
        clean = True
    except DomainError:
        clean = True  # raised by our code between statements: the connection is idle
        raise
    finally:
        lease.release(reusable=clean)
        if _holds_anything(session):
            await session.close()


def _holds_anything(session: AsyncSession) -> bool:
    """Whether closing the session has anything to do: a transaction (its connection) or objects to detach. A
    read-only unit whose statements all ran on its lease (e.g. the inbox list) holds nothing, and closing it anyway
    cost a greenlet hand-off, ~40 µs, a twentieth of such a request's CPU."""
    sync = session.sync_session
    return sync.get_transaction() is not None or bool(sync.identity_map) or bool(sync.new) or bool(sync.deleted)


async def dispose_engine() -> None:
    """Close this event loop's engines (their pooled connections); the next use makes new ones."""
    await _engines.close()
    await _read_engines.close()
    await _driver_pools.close()


def reset_for_tests(url: str) -> None:
    """Point the process at a specific database (tests create one per session)."""
    global _resolved_url
    _resolved_url = url
    _engines.forget_all()
    _read_engines.forget_all()
    _driver_pools.forget_all()
