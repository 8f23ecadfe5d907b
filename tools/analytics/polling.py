"""Polling posts for metrics on a schedule: every METRICS_POLL_INTERVAL_MINUTES after a success; after a failure,
exponential back-off (2, 4, 8... minutes, or the platform's Retry-After / quota reset) capped at
METRICS_POLL_MAX_BACKOFF_MINUTES. A post whose platform refuses for good (deleted, private) stops being polled.

Idempotent: a poll runs only for a post that is due (`next_poll_at` passed), under the post's row lock, and moves
`next_poll_at` forward in the same transaction as the snapshot — a redelivered job finds it not due.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import httpx

from core.settings import get_settings
from store.analytics.posts import PostService
from store.db import unit_of_work
from store.models import Post
from tools.analytics.platforms import MetricsClient, PlatformError, QuotaExceeded, default_clients

log = logging.getLogger(__name__)


@asynccontextmanager
async def _clients(given: dict[str, MetricsClient] | None) -> AsyncIterator[dict[str, MetricsClient]]:
    """The given clients, or default ones (one shared HTTP connection pool) closed afterwards."""
    if given is not None:
        yield given
        return
    async with httpx.AsyncClient(timeout=get_settings().METRICS_HTTP_TIMEOUT_SECONDS) as http:
        yield default_clients(http)


async def poll_one(post_id: uuid.UUID, clients: dict[str, MetricsClient] | None = None) -> str:
    async with _clients(clients) as ready:
        return await _poll(post_id, ready)


async def _poll(post_id: uuid.UUID, clients: dict[str, MetricsClient]) -> str:
    settings = get_settings()
    every = timedelta(minutes=settings.METRICS_POLL_INTERVAL_MINUTES)
    cap = timedelta(minutes=settings.METRICS_POLL_MAX_BACKOFF_MINUTES)
    async with unit_of_work() as session:
        post = await session.get(Post, post_id, with_for_update=True)
        if post is None or post.external_id is None or post.next_poll_at is None:
            return "not polled"
        if post.next_poll_at > datetime.now(UTC):
            return "not due"
        client = clients.get(post.platform)
        if client is None:
            post.next_poll_at = None  # no client for this platform: manual entry or import only
            return "no client"
        service = PostService(session)
        try:
            reading = await client.fetch(post.external_id)
        except QuotaExceeded as exc:
            service.schedule(post, ok=False, every=every, max_backoff=cap, retry_after=exc.retry_after, error=str(exc))
            log.warning("post %s: %s", post_id, exc)
            return "quota"
        except PlatformError as exc:
            service.schedule(post, ok=False, every=every, max_backoff=cap, error=str(exc))
            if not exc.retryable:
                post.next_poll_at = None
            log.warning("post %s: %s", post_id, exc)
            return "failed"
        if all(value is None for value in reading.values.values()):
            service.schedule(post, ok=True, every=every, max_backoff=cap)
            return "empty"
        await service.record(post, reading, source="api")
        service.schedule(post, ok=True, every=every, max_backoff=cap)
        return "recorded"


async def poll_due(limit: int = 200, clients: dict[str, MetricsClient] | None = None) -> int:
    """Register posts of newly submitted deliverables, then poll every post that is due."""
    async with unit_of_work() as session:
        await PostService(session).sync_deliverables()
        due = await PostService(session).due(limit)
    if not due:
        return 0
    async with _clients(clients) as ready:
        for post_id in due:
            await _poll(post_id, ready)
    return len(due)
