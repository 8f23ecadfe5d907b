"""Wake-ups for the outbox relay: a LISTEN on the channel the `outbox_events` insert trigger notifies
(migration 0024). Postgres delivers the notification when the inserting transaction commits, so a relay that
waits on it moves a decision's jobs within a millisecond or two of the commit instead of at its next poll."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg

from store.db import resolve_database_url
from store.embedded import to_libpq_url

log = logging.getLogger(__name__)
OUTBOX_CHANNEL = "outbox_events"


class OutboxWakeups:
    """One LISTENing connection; `wait(timeout)` returns when a committed insert was notified (or on timeout).

    A notification that arrives while the relay is busy is kept (the event stays set), so the next `wait`
    returns at once: no commit is missed between a pass and the wait that follows it."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self._connection: asyncpg.Connection[Any] | None = None

    async def connect(self) -> bool:
        """LISTEN (again, after a lost connection); False when Postgres is unreachable (the relay then polls)."""
        if self._connection is not None and not self._connection.is_closed():
            return True
        try:
            self._connection = await asyncpg.connect(to_libpq_url(resolve_database_url()))
            await self._connection.add_listener(OUTBOX_CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("outbox relay cannot LISTEN (%s); polling only", exc)
            self._connection = None
            return False
        self.event.set()  # rows may have been committed while nobody listened
        return True

    def _notified(self, *_: Any) -> None:
        self.event.set()

    async def wait(self, seconds: float) -> None:
        try:
            async with asyncio.timeout(seconds):
                await self.event.wait()
        except TimeoutError:
            pass
        self.event.clear()

    async def close(self) -> None:
        if self._connection is not None and not self._connection.is_closed():
            await self._connection.close()
        self._connection = None
