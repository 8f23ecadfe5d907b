"""Hot statements run straight on the session's own asyncpg connection (same transaction, if it has one).

For a statement run on every request (the caller's account, the inbox page, a decision's answer) SQLAlchemy's
execution and result handling cost more than the query's round trip. Such a statement is built once (module level
or cached), compiled once here, and its rows read as the driver returns them (`asyncpg.Record`). Everything else
uses the session.

`fetch` / `fetchrow` are for reads: SQLAlchemy's asyncpg adapter sends BEGIN lazily, with its own first statement,
so in a unit of work a statement run here before any through the session runs ahead of the transaction (harmless
for a read, e.g. the caller's account). A write goes through `fetchrow_in_transaction`, which first starts the
unit's transaction the way the adapter would, flushes what the session holds unwritten (as its autoflush would)
and binds each parameter as the session would (the engine's JSON serializer, enumerations as their values): it is
part of the unit's transaction, committed or rolled back with it. Its errors are asyncpg's own, not wrapped in
SQLAlchemy's exceptions: use it where no caller tells one database error from another.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any, NamedTuple, TypeVar, cast

import asyncpg
from sqlalchemy import ClauseElement, Column, inspect
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_dict
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import BindParameter

from store.driver_pool import LEASE

T = TypeVar("T")


@cache
def compiled(statement: ClauseElement) -> tuple[str, tuple[str, ...]]:
    """The SQL text for asyncpg and the names of its positional parameters, in order."""
    result = cast(SQLCompiler, statement.compile(dialect=asyncpg_dialect()))
    return result.string, tuple(result.positiontup or ())


_DRIVER = "store.driver"


async def _session_connection(session: AsyncSession) -> tuple[Any, Dialect]:
    """The session's pooled connection (its driver connection and SQLAlchemy's adapter around it) and dialect.
    Remembered for the session's transaction (it holds one connection until it commits, rolls back or closes):
    asking the session costs more than a statement."""
    transaction = session.sync_session.get_transaction()
    remembered = session.info.get(_DRIVER)
    if remembered is not None and transaction is not None and remembered[0] is transaction and transaction.is_active:
        return remembered[1], remembered[2]
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    session.info[_DRIVER] = (session.sync_session.get_transaction(), raw, connection.dialect)
    return raw, connection.dialect


async def _driver(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the session's transaction; a read-only unit's session has no transaction: its
    lease's connection (`store/driver_pool.py`)."""
    lease = session.info.get(LEASE)
    if lease is not None:
        return cast(asyncpg.Connection, await lease.connection())
    raw, _ = await _session_connection(session)
    return cast(asyncpg.Connection, raw.driver_connection)


async def fetch(session: AsyncSession, statement: ClauseElement, parameters: dict[str, Any]) -> list[asyncpg.Record]:
    """The rows of a read (see the module's note on transactions)."""
    sql, names = compiled(statement)
    return await (await _driver(session)).fetch(sql, *(parameters[name] for name in names))


async def fetchrow(session: AsyncSession, statement: ClauseElement,
                   parameters: dict[str, Any]) -> asyncpg.Record | None:
    """The first row of a read, or None."""
    sql, names = compiled(statement)
    return await (await _driver(session)).fetchrow(sql, *(parameters[name] for name in names))


class _Compiled(NamedTuple):
    """A statement compiled for the session's dialect, as its execution would bind and read it."""

    sql: str
    # per positional parameter: its name, the statement's own bind parameter (None when the caller must give the
    # value; else its value stands when the caller gives none) and SQLAlchemy's bind processor for its type (JSON
    # by the engine's serializer, enumerations as values)
    binds: tuple[tuple[str, BindParameter[Any] | None, Any], ...]
    # per result column: the column and SQLAlchemy's result processor for its type (e.g. text → enumeration)
    results: tuple[tuple[Any, Any], ...]
    dialect: Dialect

    def bind(self, parameters: dict[str, Any]) -> list[Any]:
        values = []
        for name, optional, processor in self.binds:
            if name in parameters:
                value = parameters[name]
            elif optional is not None:
                value = optional.effective_value
            else:  # as the session would refuse it (never a NULL for a column the caller forgot)
                raise KeyError(f"a value is required for bind parameter {name!r}")
            values.append(value if processor is None or value is None else processor(value))
        return values


@lru_cache(maxsize=256)  # keyed by the engine's dialect too: an engine per event loop (and per test)
def _compiled_for(statement: ClauseElement, dialect: Dialect) -> _Compiled:
    result = cast(SQLCompiler, statement.compile(dialect=dialect))
    processors = result._bind_processors  # what the session's execution applies to each parameter
    binds = tuple((name, None if result.binds[name].required else result.binds[name], processors.get(name))
                  for name in result.positiontup or ())
    results = tuple((next((obj for obj in entry.objects if isinstance(obj, Column)), None),
                     entry.type._cached_result_processor(dialect, None)) for entry in result._result_columns)
    return _Compiled(result.string, binds, results, dialect)


async def _in_transaction(session: AsyncSession, statement: ClauseElement) -> tuple[asyncpg.Connection, _Compiled]:
    """The driver connection under the session's transaction, BEGIN sent, and the statement compiled for it.
    Objects the session holds unwritten are flushed first, as `session.execute` would (autoflush)."""
    if session.sync_session.autoflush and (session.new or session.dirty or session.deleted):
        await session.flush()
    raw, dialect = await _session_connection(session)
    adapter = raw.dbapi_connection
    # The adapter sends BEGIN with the session's first statement; when this is the first, send it now, as the
    # adapter would (its own method, so the session commits or rolls back what runs here).
    if adapter._transaction is None:
        await adapter._start_transaction()
    return cast(asyncpg.Connection, raw.driver_connection), _compiled_for(statement, dialect)


async def fetchrow_in_transaction(session: AsyncSession, statement: ClauseElement,
                                  parameters: dict[str, Any]) -> asyncpg.Record | None:
    """The first row of a statement that writes (e.g. an UPDATE ... RETURNING), in the session's transaction."""
    driver, compiled = await _in_transaction(session, statement)
    return await driver.fetchrow(compiled.sql, *compiled.bind(parameters))


@lru_cache(maxsize=256)
def _load_plan(mapper: Mapper[Any], statement: ClauseElement,
               dialect: Dialect) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """For a `select(model)`: each result column's attribute name, and where the primary key's columns are."""
    columns = [column for column, _ in _compiled_for(statement, dialect).results]
    return (tuple(mapper.get_property_by_column(column).key for column in columns),
            tuple(columns.index(column) for column in mapper.primary_key))


async def load_in_transaction(session: AsyncSession, model: type[T], statement: ClauseElement,
                              parameters: dict[str, Any]) -> T | None:
    """The first `model` a `select(model)` returns (e.g. one row locked FOR UPDATE), in the session's transaction,
    as the session's own object: the one it already holds under that identity (as a query returns it), else a new
    persistent object with the row's values as loaded state. A model's columns only: its relationships and the
    ORM's load events are not for this."""
    driver, compiled = await _in_transaction(session, statement)
    row = await driver.fetchrow(compiled.sql, *compiled.bind(parameters))
    if row is None:
        return None
    mapper = inspect(model)
    keys, primary_key = _load_plan(mapper, statement, compiled.dialect)
    values = [value if processor is None or value is None else processor(value)
              for (_, processor), value in zip(compiled.results, row, strict=True)]
    held = session.sync_session.identity_map.get(
        mapper.identity_key_from_primary_key([values[index] for index in primary_key]))
    if held is not None:
        if inspect(held).expired_attributes:  # e.g. a rolled-back savepoint expired it: a query would reload them
            await session.refresh(held)
        return cast(T, held)
    instance = mapper.class_manager.new_instance()
    instance_dict(instance).update(zip(keys, values, strict=True))  # loaded state, as the ORM's loading sets it
    make_transient_to_detached(instance)  # keyed by its primary key, no history: as if just queried
    session.add(instance)
    return cast(T, instance)
