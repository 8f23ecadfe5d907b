"""The Redis broker with an idle back-off per queue, and batched enqueues for the outbox relay.

Dramatiq's Redis consumer polls (a Lua fetch script; Redis has no blocking fetch for its layout) and, when a
queue is empty, backs off exponentially up to the worker's `worker_timeout` (1 s by default): a reply arriving
at an idle worker waited up to a second before anyone fetched it. Here the `interactive` queue backs off to at
most `WORKER_INTERACTIVE_IDLE_POLL_MS` (a few ms: one cheap script call each), while `bulk` and the delay
queues (retries scheduled seconds ahead) keep the long back-off.

Dramatiq enqueues one message per round trip (its `dispatch` script). Inside `batched_enqueues()` the calling
thread's enqueues are queued on a Redis pipeline and sent in one round trip when the block ends: the relay moves
a pass of up to 200 outbox rows with one round trip instead of 200."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.settings import get_settings
from store.jobs.spec import Queue
from workers.broker_maintenance import MaintainedRedisBroker


class QueueAwareRedisBroker(MaintainedRedisBroker):  # type: ignore[misc]
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._batch = threading.local()
        self.scripts["dispatch"] = _PipelinedScript(self.scripts["dispatch"], self._batch)

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Any:
        return super().consume(queue_name, prefetch, idle_poll_ms(queue_name))

    @contextmanager
    def batched_enqueues(self) -> Iterator[None]:
        """This thread's enqueues in the block reach Redis together when it ends without raising (a Redis error
        then raises here); other threads' broker calls (fetches, acks) are not affected."""
        pipeline = self.client.pipeline(transaction=False)
        self._batch.pipeline = pipeline
        try:
            yield
        finally:
            self._batch.pipeline = None
        pipeline.execute()


class _PipelinedScript:
    """Dramatiq's `dispatch` script, called on this thread's pipeline while a batch is open."""

    def __init__(self, script: Any, batch: threading.local) -> None:
        self.script, self.batch = script, batch

    def __call__(self, keys: Any = None, args: Any = None) -> Any:
        pipeline = getattr(self.batch, "pipeline", None)
        if pipeline is not None and args and args[0] == "enqueue":
            return self.script(keys=keys, args=args, client=pipeline)
        return self.script(keys=keys, args=args)


def idle_poll_ms(queue_name: str) -> int:
    settings = get_settings()
    if queue_name == Queue.interactive.value:  # its delay queue (".DQ") holds retries: no hurry there
        return settings.WORKER_INTERACTIVE_IDLE_POLL_MS
    return settings.WORKER_BULK_IDLE_POLL_MS
