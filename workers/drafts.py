"""Draft actors. `drafts.embed_edit` is enqueued through the outbox in the approval decision's transaction that
kept the manager's edit (`store/drafts/edits.py`); idempotent, so at-least-once delivery only costs a skip."""

from __future__ import annotations

from store.jobs import DRAFT_EDITS_EMBED, DraftEditEmbed
from tools.embeddings.draft_edits import embed_draft_edit
from workers.jobs import job_actor


@job_actor(DRAFT_EDITS_EMBED)
async def embed_edit(job: DraftEditEmbed) -> bool:
    """Embed this draft edit unless it already is; whether an embedding was written."""
    return await embed_draft_edit(job.draft_edit_id)
