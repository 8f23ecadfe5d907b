"""LangGraph checkpoints in Postgres, without the saver's per-instance lock capping throughput.

`AsyncPostgresSaver` serialises every call through one `asyncio.Lock` per instance (langgraph#7259), so one
shared saver over a pool runs one checkpoint operation at a time per process. Here each job gets its own saver
on its own pooled connection (`run_checkpointer`): jobs never wait on each other's lock, and the connection
also holds the run's advisory lock, so two deliveries of `agents.run` / `agents.resume` for the same run
(delivery is at least once) execute one after the other, never interleaved on one thread.

Checkpoint tables live in the `langgraph` schema (kept out of Alembic autogenerate); `setup_checkpointer()`
creates them and is called at migrate time: `influency migrate`, `influency up` and the test session.
Connections use `autocommit=True, prepare_threshold=0, row_factory=dict_row` as the saver requires.
"""

from __future__ import annotations

import time
import uuid
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langgraph.checkpoint.base import CheckpointTuple, copy_checkpoint, get_checkpoint_id
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from psycopg import AsyncConnection, Connection
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from core.loops import LoopLocal
from core.settings import get_settings
from store.agent_runs.locks import run_lock_key
from store.db import resolve_database_url
from store.embedded import to_libpq_url

CHECKPOINT_SCHEMA = "langgraph"

# One pool per event loop (core/loops.py): a worker process runs one loop, or one per worker thread
# (WORKER_EVENT_LOOPS), and a psycopg async pool belongs to the loop that opened it.
_pools: LoopLocal[AsyncConnectionPool[AsyncConnection[Any]]]

def _connection_kwargs() -> dict[str, Any]:
    return {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row,
            "options": f"-c search_path={CHECKPOINT_SCHEMA}"}


def checkpoint_conninfo(database_url: str | None = None) -> str:
    return to_libpq_url(database_url or resolve_database_url())


def setup_checkpointer(database_url: str | None = None) -> None:
    """Create the schema and run the saver's own migrations (idempotent; needs no transaction around it)."""
    conninfo = checkpoint_conninfo(database_url)
    with Connection.connect(conninfo, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA IF NOT EXISTS {CHECKPOINT_SCHEMA}")
    with Connection.connect(conninfo, **_connection_kwargs()) as connection:
        PostgresSaver(connection).setup()  # type: ignore[arg-type]


# When each pooled connection was last given back (monotonic seconds); a connection never given back is checked.
_idle_since: weakref.WeakKeyDictionary[AsyncConnection[Any], float] = weakref.WeakKeyDictionary()


async def _check_when_idle(connection: AsyncConnection[Any]) -> None:
    """The pool's check at checkout, only for a connection idle longer than `DATABASE_PING_IDLE_SECONDS` (as the
    application's engine does, store/db.py): checking every checkout was a round trip per step and ~3 % of a
    reply's turn. A connection that dies within that window fails the job's first statement, and the job is
    retried (the pool discards a broken connection when it comes back)."""
    if time.monotonic() - _idle_since.get(connection, 0.0) > get_settings().DATABASE_PING_IDLE_SECONDS:
        await AsyncConnectionPool.check_connection(connection)


def _new_pool() -> AsyncConnectionPool[AsyncConnection[Any]]:
    return AsyncConnectionPool(checkpoint_conninfo(), min_size=1, max_size=get_settings().CHECKPOINT_POOL_SIZE,
                               kwargs=_connection_kwargs(), open=False, check=_check_when_idle)


async def _close_pool(pool: AsyncConnectionPool[AsyncConnection[Any]]) -> None:
    await pool.close()


_pools = LoopLocal("checkpoint pool", _new_pool, _close_pool)


async def _pool_for_this_loop() -> AsyncConnectionPool[AsyncConnection[Any]]:
    pool = _pools.get()
    if pool.closed:
        await pool.open()  # idempotent: two jobs of one loop may both get here before it opened; the second waits
    return pool


async def close_checkpointer_pool() -> None:
    await _pools.close()


class JobSaver(AsyncPostgresSaver):
    """A job's saver: remembers the thread's latest checkpoint between writes.

    A step reads its thread's state before it runs the graph (`aget_state`: is this turn a redelivery, is an
    interrupt waiting?), and the run then reads the same latest checkpoint again; with the run's advisory lock held
    for the whole job nothing else can write the thread in between, so the second read is served from memory (a
    query and its decoding fewer per step). Any write through this saver forgets what it remembered; the memory
    lives only as long as the job's saver. The run gets its own copy of the checkpoint's dicts (the loop updates
    them in place)."""

    def __init__(self, connection: Any) -> None:
        super().__init__(connection)
        # shared by the shallow clones LangGraph may make (`with_allowlist`), keyed by their serializer too
        self._latest: dict[tuple[str, str, int], CheckpointTuple] = {}

    async def aget_tuple(self, config: Any) -> CheckpointTuple | None:
        if get_checkpoint_id(config):
            return await super().aget_tuple(config)
        key = (str(config["configurable"]["thread_id"]), config["configurable"].get("checkpoint_ns", ""),
               id(self.serde))
        if (remembered := self._latest.get(key)) is not None:
            return remembered._replace(checkpoint=copy_checkpoint(remembered.checkpoint),
                                       pending_writes=list(remembered.pending_writes or []))
        saved = await super().aget_tuple(config)
        if saved is not None:
            self._latest[key] = saved._replace(checkpoint=copy_checkpoint(saved.checkpoint),
                                               pending_writes=list(saved.pending_writes or []))
        return saved

    async def aput(self, *args: Any, **kwargs: Any) -> Any:
        self._latest.clear()
        return await super().aput(*args, **kwargs)

    async def aput_writes(self, *args: Any, **kwargs: Any) -> None:
        self._latest.clear()
        await super().aput_writes(*args, **kwargs)

    async def adelete_thread(self, thread_id: str) -> None:
        self._latest.clear()
        await super().adelete_thread(thread_id)

    async def aprune(self, *args: Any, **kwargs: Any) -> None:
        self._latest.clear()
        await super().aprune(*args, **kwargs)


@asynccontextmanager
async def run_checkpointer(run_id: uuid.UUID) -> AsyncIterator[AsyncPostgresSaver]:
    """A saver of this job's own on one pooled connection that holds the run's advisory lock."""
    pool = await _pool_for_this_loop()
    async with pool.connection() as connection:
        await connection.execute("SELECT pg_advisory_lock(%s)", (run_lock_key(run_id),))
        try:
            yield JobSaver(connection)
        finally:
            await connection.execute("SELECT pg_advisory_unlock(%s)", (run_lock_key(run_id),))
            _idle_since[connection] = time.monotonic()
