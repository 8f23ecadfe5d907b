"""Read-only units' hot statements on asyncpg connections of their own pool, not SQLAlchemy's.

A read-only unit (`store.db.read_only_unit`) runs each statement on its own, outside any transaction, so a hot
statement (`store/driver.py`: the caller's account, the inbox page) needs no connection of the session's.
Checking one out through the session (`AsyncSession.connection()`, then its raw connection, then closing the
session's connection) cost more than the statement: a read-only unit running `SELECT 1` on its driver connection
took 0.39-0.48 ms of CPU that way, 0.25 ms on this pool (in-process, 5,000 units, three rounds), once the pool's
release skips asyncpg's reset round trip. These connections are read-only on the server
(`default_transaction_read_only`), in autocommit, and nothing here sets session state (no SET, LISTEN or advisory
lock), so there is nothing to reset between users; a connection left inside a transaction is still rolled back by
asyncpg before it goes back.

One pool per event loop (`core/loops.LoopLocal` in `store/db.py`), opened on first use in that loop, at most
`DATABASE_POOL_SIZE` connections (beside the SQLAlchemy engine's, which the session's other statements use).
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

# Connect arguments SQLAlchemy's asyncpg adapter takes under its own names (the rest are asyncpg.connect's).
_ADAPTER_ONLY = {"prepared_statement_cache_size": "statement_cache_size", "prepared_statement_name_func": None}


async def _keep_session(_: asyncpg.Connection) -> None:
    """The pool's reset: nothing (see the module's note); asyncpg still ends an open transaction itself."""


class DriverPool:
    """An asyncpg pool opened on first use in its loop."""

    def __init__(self, connect_args: dict[str, Any], max_size: int, min_size: int = 0) -> None:
        options = {_ADAPTER_ONLY.get(name) or name: value for name, value in connect_args.items()
                   if _ADAPTER_ONLY.get(name, name) is not None}
        options["server_settings"] = dict(options.get("server_settings") or {}) | {
            "default_transaction_read_only": "on"}
        self._options = options | {"min_size": min_size, "max_size": max_size, "reset": _keep_session}
        self._pool = asyncpg.create_pool(**self._options)
        self._opened: asyncio.Future[Any] | None = None

    def _failed(self) -> bool:
        opened = self._opened
        return opened is not None and opened.done() and (opened.cancelled() or opened.exception() is not None)

    async def acquire(self) -> asyncpg.Connection:
        if self._failed():
            # the server was unreachable when the pool opened: a failed pool stays closed, so a new one tries again
            self._pool, self._opened = asyncpg.create_pool(**self._options), None
        if self._opened is None:  # one opening, however many requests arrive before it finishes
            self._opened = asyncio.ensure_future(self._open(self._pool))
        await asyncio.shield(self._opened)
        return await self._pool.acquire()

    @staticmethod
    async def _open(pool: asyncpg.Pool) -> None:
        await pool

    async def release(self, connection: asyncpg.Connection) -> None:
        await self._pool.release(connection)

    async def close(self) -> None:
        if self._opened is None:
            return
        await asyncio.wait([self._opened])  # still opening: let it finish, so its connections are closed too
        if not self._failed():
            await self._pool.close()


LEASE = "store.driver_pool.lease"  # the key of a read-only session's lease in `session.info`


class Lease:
    """A read-only unit's connection from a `DriverPool`: taken at its first hot statement, returned at its end."""

    def __init__(self, pool: DriverPool) -> None:
        self._pool = pool
        self._connection: asyncpg.Connection | None = None

    async def connection(self) -> asyncpg.Connection:
        if self._connection is None:
            self._connection = await self._pool.acquire()
        return self._connection

    async def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await self._pool.release(connection)
