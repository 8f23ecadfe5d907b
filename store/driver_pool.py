"""Read-only units' hot statements on asyncpg connections of their own pool, not SQLAlchemy's.

A read-only unit (`store.db.read_only_unit`) runs each statement on its own, outside any transaction, so a hot
statement (`store/driver.py`: the caller's account, the inbox page) needs no connection of the session's.
Checking one out through the session (`AsyncSession.connection()`, then its raw connection, then closing the
session's connection) cost more than the statement: a read-only unit running `SELECT 1` on its driver connection
took 0.39-0.48 ms of CPU that way, 0.25 ms on an asyncpg pool whose release skipped its reset round trip.

The pool is this module's own, not `asyncpg.create_pool`: checking a connection out and back in through asyncpg's
pool still cost ~70 µs of a request's CPU (its release runs in a shielded task of its own, under a timeout, and
re-arms an inactivity timer), a tenth of an inbox list request; here it is a list pop and append. What asyncpg's
pool does on release is not needed for these connections: they are read-only on the server
(`default_transaction_read_only`), in autocommit, and nothing here sets session state (no SET, LISTEN or advisory
lock), so there is nothing to reset between users. A connection goes back for reuse only after a unit that ended
cleanly (or with a domain error, raised by our code between statements); after anything else — a driver error, a
cancellation that may have left a query in flight — or when it is in a transaction, it is closed, and the next
unit opens a new one.

At most `max_size` connections are out at once (`DATABASE_POOL_SIZE`, beside the SQLAlchemy engine's, which the
session's other statements use): a unit waits for one beyond that. Connections open on demand and stay open
while idle, reused last in, first out; one the server has closed is dropped when next taken. One pool per event
loop (`core/loops.LoopLocal` in `store/db.py`).
"""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg

# Connect arguments SQLAlchemy's asyncpg adapter takes under its own names (the rest are asyncpg.connect's).
_ADAPTER_ONLY = {"prepared_statement_cache_size": "statement_cache_size", "prepared_statement_name_func": None}


class DriverPool:
    """Up to `max_size` asyncpg connections, opened on first need."""

    def __init__(self, connect_args: dict[str, Any], max_size: int) -> None:
        options = {_ADAPTER_ONLY.get(name) or name: value for name, value in connect_args.items()
                   if _ADAPTER_ONLY.get(name, name) is not None}
        options["server_settings"] = dict(options.get("server_settings") or {}) | {
            "default_transaction_read_only": "on"}
        self._options = options
        self._idle: list[asyncpg.Connection] = []
        self._slots = asyncio.Semaphore(max_size)  # one per connection out (or opening)
        self._closed = False

    @property
    def idle(self) -> int:
        """Connections open and waiting in the pool."""
        return len(self._idle)

    async def acquire(self) -> asyncpg.Connection:
        if self._closed:
            raise asyncpg.InterfaceError("the read-only driver pool is closed")
        await self._slots.acquire()
        try:
            while self._idle:
                connection = self._idle.pop()
                if not connection.is_closed():
                    return connection
            # a server that cannot be reached fails this acquire alone: the next one tries again
            return await asyncpg.connect(**self._options)
        except BaseException:
            self._slots.release()
            raise

    def release(self, connection: asyncpg.Connection, *, reusable: bool = True) -> None:
        """Back to the pool, or closed when it may not be reused (see the module's note)."""
        try:
            if connection.is_closed():
                return
            if reusable and not self._closed and not connection.is_in_transaction():
                self._idle.append(connection)
                return
            connection.terminate()
        finally:
            self._slots.release()

    async def close(self) -> None:
        """Close the idle connections; those out are closed when they come back."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            try:
                await connection.close(timeout=5)
            except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                connection.terminate()


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

    def release(self, *, reusable: bool = True) -> None:
        """Return the connection, if one was taken (`reusable`: the unit ended cleanly; see the module's note)."""
        if self._connection is not None:
            connection, self._connection = self._connection, None
            self._pool.release(connection, reusable=reusable)
