"""Liveness beats of the processes that have no HTTP port (worker, outbox relay, scheduler), for
`influency healthcheck NAME` (docker-compose healthchecks, any supervisor).

Each process writes `<BROKER_NAMESPACE>:alive:<service>:<hostname>` = the time of its last loop into Redis, with
a TTL, at most every `BEAT_EVERY` seconds. The key is per host, so with `docker compose up --scale worker=N` each
container checks its own replicas, not a sibling's. A beat is written from the loop that does the work (the relay
pass, a scheduler job, a thread that finds the worker's consumer and worker threads alive), so a wedged loop stops
beating even while the process lives. Redis being down never breaks the process: the beat is skipped, the
healthcheck then fails, which is the truth.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import dramatiq
import redis

from core.settings import get_settings

log = logging.getLogger(__name__)
BEAT_EVERY = 5.0  # seconds between beats
STALE_AFTER = 30.0  # a beat older than this (or none) is unhealthy; also the key's TTL


def beat_key(service: str, host: str | None = None) -> str:
    return f"{get_settings().BROKER_NAMESPACE}:alive:{service}:{host or socket.gethostname()}"


def _client() -> redis.Redis:
    return redis.Redis.from_url(get_settings().REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


class Heartbeat:
    """`beat()` from a process's loop; cheap to call on every pass (throttled to one write per `every`)."""

    def __init__(self, service: str, every: float = BEAT_EVERY) -> None:
        self.service, self.every = service, every
        self._last = 0.0
        self._redis: redis.Redis | None = None

    def beat(self) -> None:
        now = time.time()
        if now - self._last < self.every:
            return
        try:
            self._redis = self._redis or _client()
            self._redis.set(beat_key(self.service), f"{now:.3f}", ex=int(STALE_AFTER))
            self._last = now
        except redis.RedisError as exc:
            log.warning("liveness beat of %s not written: %s", self.service, exc)


def last_beat(service: str, host: str | None = None) -> float | None:
    """Seconds since `service` on this host last beat (None: never, or longer ago than the TTL)."""
    value = _client().get(beat_key(service, host))
    if value is None:
        return None
    return max(time.time() - float(value), 0.0)


class WorkerLiveness(dramatiq.Middleware):
    """Beats as `worker` while the Dramatiq worker's consumer and worker threads are all alive; stops with it."""

    def __init__(self) -> None:
        self._stops: dict[int, threading.Event] = {}

    def after_worker_boot(self, broker: dramatiq.Broker, worker: Any) -> None:
        heartbeat, stop = Heartbeat("worker"), threading.Event()
        self._stops[id(worker)] = stop

        def _watch() -> None:
            while not stop.wait(BEAT_EVERY / 2):
                threads = [*worker.consumers.values(), *worker.workers]
                if threads and all(thread.is_alive() for thread in threads):
                    heartbeat.beat()

        threading.Thread(target=_watch, name="liveness", daemon=True).start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        stop = self._stops.pop(id(worker), None)
        if stop is not None:
            stop.set()
