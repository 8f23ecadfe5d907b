"""Keeping creators' embeddings current: `embed_creators` (the `creators.embed` job) and `reindex` (backfill).

Idempotent: a creator whose stored embedding was computed by the current model from its current text is
skipped. Texts are read in one transaction, embedded outside any transaction (the model may take a second per
batch), and written in another, guarded so a profile edited meanwhile is left for its own, newer job.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from core.settings import get_settings
from store.creators.profile import creator_embedding_text, text_hash
from store.creators.repository import CreatorRepository, EmbeddingUpdate
from store.db import unit_of_work
from tools.embeddings import TextEmbedder, embed_texts, get_embedder


async def embed_creators(creator_ids: Sequence[uuid.UUID], *, embedder: TextEmbedder | None = None,
                         force: bool = False) -> int:
    """Embed these creators where due (all of them with `force`); returns how many embeddings were written."""
    embedder = embedder or get_embedder()
    async with unit_of_work() as session:
        creators = await CreatorRepository(session).embedding_sources(creator_ids)
        due = []
        for creator in creators:
            text = creator_embedding_text(creator)
            current = text_hash(text)
            if force or creator.embedded_hash != current or creator.embedding_model != embedder.name:
                due.append((creator.id, creator.content_hash, current, text))
    if not due:
        return 0
    vectors = await embed_texts([text for *_, text in due], embedder)
    updates = [EmbeddingUpdate(creator_id, read_hash, new_hash, vector.tolist())
               for (creator_id, read_hash, new_hash, _), vector in zip(due, vectors, strict=True)]
    async with unit_of_work() as session:
        return await CreatorRepository(session).store_embeddings(updates, embedder.name)


async def count_due(*, everything: bool = False, embedder: TextEmbedder | None = None) -> int:
    embedder = embedder or get_embedder()
    async with unit_of_work() as session:
        return await CreatorRepository(session).count_stale_embeddings(embedder.name, everything)


REINDEX_PAGE = 500  # creators per read/embed/write round trip; the model still encodes EMBEDDING_BATCH_SIZE at a time


async def reindex(*, everything: bool = False, batch_size: int | None = None, embedder: TextEmbedder | None = None,
                  on_batch: Callable[[int, int], None] | None = None) -> int:
    """Embed every creator that needs it (all with `everything`), in id order and batches; returns how many
    embeddings were written. `on_batch(seen, written)` reports progress. Safe to interrupt and run again."""
    embedder = embedder or get_embedder()
    batch_size = batch_size or max(get_settings().EMBEDDING_BATCH_SIZE, REINDEX_PAGE)
    written, after = 0, None
    while True:
        async with unit_of_work() as session:
            ids = await CreatorRepository(session).stale_embedding_ids(embedder.name, after, batch_size, everything)
        if not ids:
            return written
        done = await embed_creators(ids, embedder=embedder, force=everything)
        written += done
        after = ids[-1]
        if on_batch is not None:
            on_batch(len(ids), done)
