"""Creator actors. `creators.embed` is enqueued through the outbox whenever a creator's embedded text changes
(flush hook, imports); it is idempotent, so at-least-once delivery and duplicate jobs only cost a skip."""

from __future__ import annotations

import uuid

import dramatiq

from tools.embeddings.indexer import embed_creators
from workers import broker as _broker  # noqa: F401  (installs the broker before actors are declared)


async def embed_job(creator_ids: list[str]) -> int:
    """(Re)embed these creators where their stored embedding is missing or stale; returns how many changed."""
    return await embed_creators([uuid.UUID(creator_id) for creator_id in creator_ids])


embed = dramatiq.actor(actor_name="creators.embed", max_retries=5, min_backoff=2_000, max_backoff=120_000,
                       time_limit=15 * 60_000)(embed_job)
