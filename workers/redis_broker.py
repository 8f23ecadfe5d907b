"""The Redis broker with an idle back-off per queue.

Dramatiq's Redis consumer polls (a Lua fetch script; Redis has no blocking fetch for its layout) and, when a
queue is empty, backs off exponentially up to the worker's `worker_timeout` (1 s by default): a reply arriving
at an idle worker waited up to a second before anyone fetched it. Here the `interactive` queue backs off to at
most `WORKER_INTERACTIVE_IDLE_POLL_MS` (a few ms: one cheap script call each), while `bulk` and the delay
queues (retries scheduled seconds ahead) keep the long back-off."""

from __future__ import annotations

from typing import Any

from core.settings import get_settings
from store.jobs.spec import Queue
from workers.broker_maintenance import MaintainedRedisBroker


class QueueAwareRedisBroker(MaintainedRedisBroker):  # type: ignore[misc]
    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Any:
        return super().consume(queue_name, prefetch, idle_poll_ms(queue_name))


def idle_poll_ms(queue_name: str) -> int:
    settings = get_settings()
    if queue_name == Queue.interactive.value:  # its delay queue (".DQ") holds retries: no hurry there
        return settings.WORKER_INTERACTIVE_IDLE_POLL_MS
    return settings.WORKER_BULK_IDLE_POLL_MS
