"""Resources bound to an event loop (database and checkpoint pools, the Redis client, SMTP connections, HTTP
clients): one of each per running loop, created on first use in that loop.

An asyncio connection belongs to the loop that opened it: a pool shared by two loops hands one loop's socket to
the other, which fails ("attached to a different loop") or hangs. The API, the relay and the scheduler run one
loop each, tests one session loop, and a worker process one loop per worker thread (`workers/runtime.py`), so
every loop-bound resource is a `LoopLocal`. Whoever owns a loop calls `close_loop_resources()` in it before
stopping it (the worker does at shutdown); a value whose loop was collected without that is simply dropped.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class LoopLocal(Generic[T]):
    """`get()` returns the running loop's value, made by `create()` the first time; outside any running loop
    (synchronous start-up code) one value is shared by all such callers."""

    def __init__(self, name: str, create: Callable[[], T], close: Callable[[T], Awaitable[None]] | None = None) -> None:
        self.name, self._create, self._close = name, create, close
        self._values: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()
        self._outside: T | None = None
        self._lock = threading.Lock()  # two worker threads may create their loops' values at the same moment
        _REGISTRY.add(self)

    def get(self) -> T:
        loop = _running_loop()
        with self._lock:
            if loop is None:
                if self._outside is None:
                    self._outside = self._create()
                return self._outside
            value = self._values.get(loop)
            if value is None:
                value = self._values[loop] = self._create()
            return value

    def peek(self) -> T | None:
        """The running loop's value if it was made, without making it."""
        loop = _running_loop()
        with self._lock:
            return self._outside if loop is None else self._values.get(loop)

    async def close(self) -> None:
        """Close and forget the running loop's value (a no-op when there is none)."""
        loop = _running_loop()
        with self._lock:
            if loop is None:
                value, self._outside = self._outside, None
            else:
                value = self._values.pop(loop, None)
        if value is not None and self._close is not None:
            await self._close(value)

    def forget_all(self) -> None:
        """Drop every loop's value without closing it (tests pointing the process at another database)."""
        with self._lock:
            self._values.clear()
            self._outside = None


_REGISTRY: weakref.WeakSet[LoopLocal[Any]] = weakref.WeakSet()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


async def close_loop_resources() -> None:
    """Close every loop-bound resource the running loop made; one failing to close does not keep the rest open."""
    for local in list(_REGISTRY):
        try:
            await local.close()
        except Exception:
            log.exception("closing this loop's %s failed", local.name)
