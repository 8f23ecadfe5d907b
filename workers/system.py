"""Housekeeping actors."""

from __future__ import annotations

import logging

from store.jobs import SYSTEM_PING, Ping
from workers.jobs import job_actor

log = logging.getLogger(__name__)


@job_actor(SYSTEM_PING)
def ping(job: Ping) -> str:
    """Round-trip check used by `influency up` and tests: proves a worker consumes the queue."""
    log.info("system.ping %s", job.marker)
    return job.marker
