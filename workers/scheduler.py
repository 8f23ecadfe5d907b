"""The one scheduler (`influency scheduler`, a process `influency up` and docker-compose start): every periodic
job in the registry (a spec with `every`: the approval, message, contract, analytics and stranded-run sweeps) is
put on its queue (`bulk`) at the interval its setting gives, first at start-up. Workers run the sweeps like any
other job.

APScheduler keeps the clock: a tick missed while the process was busy is coalesced into one, never replayed in
a burst. The ticks go straight to the broker (no outbox row: a tick is not a decision to keep with a
transaction); a sweep that waited longer than its `max_age` is dropped, the next tick replaces it. Run one
scheduler per deployment: a second one only doubles the sweeps (each is safe to run concurrently), it breaks
nothing.
"""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.settings import Settings, get_settings
from store.jobs import JobSpec, periodic_jobs
from workers.jobs import send_job
from workers.liveness import BEAT_EVERY, Heartbeat

log = logging.getLogger(__name__)


def enqueue_tick(spec: JobSpec[Any]) -> None:
    message = send_job(spec, spec.payload())
    log.info("scheduled %s (message %s)", spec.name, message.message_id)


def schedule_periodic_jobs(scheduler: BaseScheduler, settings: Settings | None = None) -> BaseScheduler:
    """Add one interval job per periodic spec to `scheduler` (not started)."""
    import workers.actors  # noqa: F401  (declares the actors, so their names and queues resolve)

    settings = settings or get_settings()
    for spec in periodic_jobs():
        assert spec.every is not None
        seconds = float(spec.every(settings))
        scheduler.add_job(enqueue_tick, IntervalTrigger(seconds=seconds, timezone=UTC), args=[spec], id=spec.name,
                          name=f"{spec.name} every {seconds:g}s", coalesce=True, max_instances=1,
                          misfire_grace_time=max(int(seconds), 1), next_run_time=datetime.now(UTC))
    return scheduler


def run_scheduler() -> None:
    """Block, enqueueing the periodic jobs, until SIGTERM / SIGINT."""
    scheduler = schedule_periodic_jobs(BlockingScheduler(timezone=UTC))
    # `influency healthcheck scheduler`: beats while the scheduler's clock runs jobs
    scheduler.add_job(Heartbeat("scheduler", every=0).beat, IntervalTrigger(seconds=BEAT_EVERY, timezone=UTC),
                      id="liveness", coalesce=True, max_instances=1, next_run_time=datetime.now(UTC))

    def _stop(*_: object) -> None:
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    for job in scheduler.get_jobs():
        log.info("scheduler: %s", job.name)
    scheduler.start()
