"""A dead worker's messages back on their queue within seconds: Dramatiq's Redis broker with maintenance on a clock.

A Redis worker moves each message it fetches (up to 2 × threads prefetched) into its own ack set; when the
worker dies without acking, only the broker's *maintenance* moves them back: a Lua pass that requeues the ack
sets of every worker whose heartbeat is older than `heartbeat_timeout`. Stock Dramatiq runs it on a random
0.1% of broker commands, per queue, so on a quiet system a killed worker's messages waited 19+ minutes.

Here maintenance runs on a clock instead: `MaintainedRedisBroker.maintain()` issues one cheap `qsize` per
declared queue (and delay queue) with maintenance forced on, and the `BrokerMaintenance` middleware calls it in
every worker process every BROKER_MAINTENANCE_INTERVAL_SECONDS (random maintenance is off). Each call also
refreshes this process's heartbeat, so a live worker whose threads are all busy with long jobs (it fetches
nothing for minutes) is never mistaken for a dead one.

Worst case for a killed worker's messages to be back on the queue: BROKER_HEARTBEAT_TIMEOUT_SECONDS +
BROKER_MAINTENANCE_INTERVAL_SECONDS, once any worker runs (`influency up` restarts a dead one within seconds).
Delivery stays at least once: every actor is idempotent.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import dramatiq
from dramatiq.brokers.redis import MAINTENANCE_COMMAND_BLACKLIST, RedisBroker
from dramatiq.middleware import Middleware

log = logging.getLogger(__name__)


class MaintainedRedisBroker(RedisBroker):  # type: ignore[misc]
    """A RedisBroker whose maintenance runs when `maintain()` asks for it, never by chance."""

    def __init__(self, **options: Any) -> None:
        super().__init__(maintenance_chance=0, **options)
        self._forced = threading.local()

    def _should_do_maintenance(self, command: str) -> int:
        return int(getattr(self._forced, "on", False) and command not in MAINTENANCE_COMMAND_BLACKLIST)

    def maintain(self) -> list[str]:
        """One maintenance pass over every declared queue; returns the queues maintained."""
        queues = sorted(set(self.get_declared_queues()) | set(self.get_declared_delay_queues()))
        self._forced.on = True
        try:
            for queue in queues:
                self.do_qsize(queue)
        finally:
            self._forced.on = False
        return queues


class BrokerMaintenance(Middleware):  # type: ignore[misc]
    """In each worker process: a daemon thread that runs `broker.maintain()` every `interval` seconds (at most a
    third of the heartbeat timeout, so it doubles as the process's heartbeat)."""

    def __init__(self, interval: float, heartbeat_timeout: float) -> None:
        self.interval = min(interval, heartbeat_timeout / 3)
        self._stop = threading.Event()

    def after_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        if isinstance(broker, MaintainedRedisBroker):
            threading.Thread(target=self._run, args=(broker,), name="broker-maintenance", daemon=True).start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        self._stop.set()

    def _run(self, broker: MaintainedRedisBroker) -> None:
        while not self._stop.wait(self.interval):
            try:
                broker.maintain()
            except Exception:  # Redis away for a moment: the next pass tries again
                log.warning("broker maintenance failed", exc_info=True)
