"""Hot statements run straight on the session's own asyncpg connection (same transaction, if it has one).

For a statement run on every request (the caller's account, the inbox page) SQLAlchemy's execution and result
handling cost more than the query's round trip. Such a statement is built once (module level or cached), compiled
once here, and its rows read as the driver returns them (`asyncpg.Record`). Everything else uses the session.

Reads only: SQLAlchemy's asyncpg adapter sends BEGIN lazily, with its own first statement, so in a unit of work
a statement run here before any through the session runs ahead of the transaction (harmless for a read, e.g.
the caller's account; a write must go through the session).
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

import asyncpg
from sqlalchemy import ClauseElement
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler

from store.driver_pool import LEASE


@cache
def compiled(statement: ClauseElement) -> tuple[str, tuple[str, ...]]:
    """The SQL text for asyncpg and the names of its positional parameters, in order."""
    result = cast(SQLCompiler, statement.compile(dialect=asyncpg_dialect()))
    return result.string, tuple(result.positiontup or ())


_DRIVER = "store.driver"


async def _driver(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session's transaction. Remembered for that transaction (the session holds
    one connection until it commits, rolls back or closes): asking the session costs more than a statement. A
    read-only unit's session has no transaction: its lease's connection (`store/driver_pool.py`)."""
    lease = session.info.get(LEASE)
    if lease is not None:
        return cast(asyncpg.Connection, await lease.connection())
    transaction = session.sync_session.get_transaction()
    remembered = session.info.get(_DRIVER)
    if remembered is not None and transaction is not None and remembered[0] is transaction and transaction.is_active:
        return remembered[1]
    driver = (await (await session.connection()).get_raw_connection()).driver_connection
    assert driver is not None
    session.info[_DRIVER] = (session.sync_session.get_transaction(), driver)
    return driver


async def fetch(session: AsyncSession, statement: ClauseElement, parameters: dict[str, Any]) -> list[asyncpg.Record]:
    """The rows of a read (see the module's note on transactions)."""
    sql, names = compiled(statement)
    return await (await _driver(session)).fetch(sql, *(parameters[name] for name in names))


async def fetchrow(session: AsyncSession, statement: ClauseElement,
                   parameters: dict[str, Any]) -> asyncpg.Record | None:
    """The first row of a read, or None."""
    sql, names = compiled(statement)
    return await (await _driver(session)).fetchrow(sql, *(parameters[name] for name in names))
