"""Analytics jobs. Every one is idempotent and safe to run anywhere, any number of times.

- `analytics.flush_clicks()`: moves buffered clicks from Redis to Postgres (bot/dedup verdicts, dirty marks).
- `analytics.refresh_rollups()`: recomputes the rollups of (campaign, creator) pairs marked dirty; also marks pairs
  whose payments or negotiations changed since the last pass (those tables belong to other domains).
- `analytics.poll_post(post_id)`: reads one post's metrics from its platform (outbox job `poll-post:<id>:<n>`
  written when a post is registered; later polls come from the sweep's schedule).
- `analytics.sweep()`: all of the above for what is due — enqueued on the `bulk` queue by the scheduler every
  ANALYTICS_SWEEP_INTERVAL_SECONDS (`influency analytics sweep` runs it once).
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from store.analytics.clicks import flush_clicks
from store.analytics.dirty import mark_dirty
from store.analytics.rollups import RollupService
from store.db import unit_of_work
from store.jobs import (
    ANALYTICS_FLUSH_CLICKS,
    ANALYTICS_POLL_POST,
    ANALYTICS_REFRESH_ROLLUPS,
    ANALYTICS_SWEEP,
    NoPayload,
    PollPost,
)
from store.models import Negotiation, Payment
from store.redis import get_redis
from workers.jobs import job_actor

log = logging.getLogger(__name__)
WATERMARK_KEY = "analytics:changes-watermark"


async def flush_all_clicks(max_batches: int = 100) -> int:
    moved = 0
    for _ in range(max_batches):
        batch = await flush_clicks()
        moved += batch
        if batch == 0:
            break
    return moved


async def mark_changed_spend() -> int:
    """Mark pairs whose payments or agreed fees changed since the last pass (a watermark in Redis)."""
    redis = get_redis()
    stored = await redis.get(WATERMARK_KEY)
    since = str(stored) if stored else None
    now = datetime.now(UTC)
    pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
    async with unit_of_work() as session:
        for model in (Payment, Negotiation):
            statement = select(model.campaign_id, model.creator_id).distinct()
            if since:
                statement = statement.where(model.updated_at >= datetime.fromisoformat(since))
            pairs |= {(row.campaign_id, row.creator_id) for row in (await session.execute(statement)).all()}
        await mark_dirty(session, pairs)
    await redis.set(WATERMARK_KEY, now.isoformat())
    return len(pairs)


async def refresh_rollups(max_rounds: int = 100, batch: int = 500) -> int:
    refreshed = 0
    for _ in range(max_rounds):
        async with unit_of_work() as session:
            done = await RollupService(session).refresh_dirty(batch)
        refreshed += done
        if done < batch:
            break
    return refreshed


async def poll_post(post_id: str) -> str:
    from tools.analytics.polling import poll_one

    return await poll_one(uuid.UUID(post_id))


async def sweep() -> dict[str, int]:
    from tools.analytics.polling import poll_due

    result = {"clicks": await flush_all_clicks(), "polled": await poll_due()}
    result["spend_changes"] = await mark_changed_spend()
    result["rollups"] = await refresh_rollups()
    return result


@job_actor(ANALYTICS_FLUSH_CLICKS)
async def flush_clicks_actor(_: NoPayload) -> int:
    return await flush_all_clicks()


@job_actor(ANALYTICS_REFRESH_ROLLUPS)
async def refresh_rollups_actor(_: NoPayload) -> int:
    return await refresh_rollups()


@job_actor(ANALYTICS_POLL_POST)
async def poll_post_actor(job: PollPost) -> str:
    return await poll_post(str(job.post_id))


@job_actor(ANALYTICS_SWEEP)
async def sweep_actor(_: NoPayload) -> dict[str, int]:
    return await sweep()
