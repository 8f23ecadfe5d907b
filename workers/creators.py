"""Creator actors. `creators.embed` is enqueued through the outbox whenever a creator's embedded text changes
(flush hook, imports); it is idempotent, so at-least-once delivery and duplicate jobs only cost a skip."""

from __future__ import annotations

from store.jobs import CREATORS_EMBED, CreatorsEmbed
from tools.embeddings.indexer import embed_creators
from workers.jobs import job_actor


@job_actor(CREATORS_EMBED)
async def embed(job: CreatorsEmbed) -> int:
    """(Re)embed these creators where their stored embedding is missing or stale; how many changed."""
    return await embed_creators(list(job.creator_ids))
