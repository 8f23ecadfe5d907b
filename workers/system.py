"""Housekeeping actors."""

from __future__ import annotations

import logging

import dramatiq

from workers import broker as _broker  # noqa: F401

log = logging.getLogger(__name__)


@dramatiq.actor(actor_name="system.ping", max_retries=0, time_limit=10_000)
def ping(marker: str) -> str:
    """Round-trip check used by `influency up` and tests: proves a worker consumes the queue."""
    log.info("system.ping %s", marker)
    return marker
