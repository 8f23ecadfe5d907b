"""Embedding a manager's draft edit (the `drafts.embed_edit` job): the draft as the agent wrote it, so a new
draft finds the examples nearest to it (`DraftEditRepository.nearest`). Idempotent: an edit already embedded is
skipped, and the write is guarded, so duplicate jobs cost one skip. Read, embed (outside any transaction: the
model may take a second) and write, like `indexer.embed_creators`."""

from __future__ import annotations

import uuid

from store.db import unit_of_work
from store.drafts.edits import DraftEditRepository
from tools.embeddings import TextEmbedder, embed_query


async def embed_draft_edit(draft_edit_id: uuid.UUID, *, embedder: TextEmbedder | None = None) -> bool:
    """True when an embedding was written; False when the edit is gone or already embedded."""
    async with unit_of_work() as session:
        edit = await DraftEditRepository(session).get(draft_edit_id)
        if edit is None or edit.embedding is not None:
            return False
        text = edit.before
    vector = await embed_query(text, embedder)
    async with unit_of_work() as session:
        return await DraftEditRepository(session).store_embedding(draft_edit_id, vector)
