"""Embeddings: the hashing embedder, the `creators.embed` actor fed by the outbox, and reindex."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from store.db import unit_of_work
from store.models import Creator, OutboxEvent
from tools.embeddings.hashing import HashingEmbedder
from tools.embeddings.indexer import count_due, embed_creators, reindex
from workers.outbox_relay import relay_once

ROWS = [{"name": "Ana", "bio": "Plant-based recipes", "categories": "food", "country": "BR", "instagram": "ana"},
        {"name": "Ben", "bio": "Speedruns and retro consoles", "categories": "gaming", "tiktok": "ben"}]


def test_hashing_embedder_is_deterministic_and_normalised() -> None:
    embedder = HashingEmbedder()
    first = embedder.embed(["vegan recipes from Lisbon", "retro gaming", ""])
    assert first.shape == (3, 384) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first[:2], axis=1), 1.0) and not first[2].any()
    assert np.array_equal(first, HashingEmbedder().embed(["vegan recipes from Lisbon", "retro gaming", ""]))
    close, far = embedder.embed(["vegan recipe ideas", "esports commentary"])
    assert float(first[0] @ close) > float(first[0] @ far)


async def test_the_actor_embeds_imported_creators_once(add_creators) -> None:  # type: ignore[no-untyped-def]
    import dramatiq

    from store.jobs import CREATORS_EMBED
    from tests.support.jobs import run_job

    ids = await add_creators(ROWS, embed=False)
    async with unit_of_work() as session:
        [job] = (await session.execute(select(OutboxEvent))).scalars()
    assert job.actor_name == "creators.embed" and sorted(job.payload["creator_ids"]) == sorted(map(str, ids))
    broker = dramatiq.get_broker()
    broker.flush_all()
    assert await relay_once() == 1
    [message] = list(broker.queues["bulk"].queue)  # type: ignore[attr-defined]
    assert dramatiq.Message.decode(message).kwargs == job.payload
    assert await run_job(CREATORS_EMBED, **job.payload) == 2
    assert await run_job(CREATORS_EMBED, **job.payload) == 0  # delivered twice: nothing to do
    async with unit_of_work() as session:
        creators = (await session.execute(select(Creator))).scalars().all()
    assert all(c.embedded_hash == c.content_hash and c.embedding_model == "hash-v1" for c in creators)


async def test_a_profile_change_makes_the_embedding_due_again(add_creators) -> None:  # type: ignore[no-untyped-def]
    [ana_id, _] = await add_creators(ROWS)
    assert await count_due() == 0
    async with unit_of_work() as session:
        ana = await session.get(Creator, ana_id)
        assert ana is not None
        ana.rates = {"instagram_post": 100.0}  # not part of the embedded text
    assert await count_due() == 0
    async with unit_of_work() as session:
        ana = await session.get(Creator, ana_id)
        assert ana is not None
        ana.bio = "Street food from Recife"
    assert await count_due() == 1
    assert await embed_creators([ana_id]) == 1 and await count_due() == 0


async def test_a_stale_job_does_not_overwrite_a_newer_text(add_creators) -> None:  # type: ignore[no-untyped-def]
    """The job read the old text; the profile changed before it wrote: its vector is dropped, a newer job follows."""
    from store.creators.repository import CreatorRepository, EmbeddingUpdate

    [ana_id, _] = await add_creators(ROWS, embed=False)
    async with unit_of_work() as session:
        ana = await session.get(Creator, ana_id)
        assert ana is not None
        stale_hash = ana.content_hash
        ana.bio = "A completely new bio"
    async with unit_of_work() as session:
        written = await CreatorRepository(session).store_embeddings(
            [EmbeddingUpdate(ana_id, stale_hash, "whatever", [0.1] * 384)], "hash-v1")
    assert written == 0


async def test_reindex_backfills_everything_and_can_redo_all(seed_creators) -> None:  # type: ignore[no-untyped-def]
    await seed_creators(130, embed=False)
    assert await count_due() == 130
    progress: list[int] = []
    assert await reindex(batch_size=50, on_batch=lambda seen, _: progress.append(seen)) == 130
    assert progress == [50, 50, 30] and await count_due() == 0
    assert await reindex() == 0
    assert await count_due(everything=True) == 130 and await reindex(everything=True) == 130
