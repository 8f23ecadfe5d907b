"""The `creators.embed` outbox job, as one SQL statement usable from async repositories and sync flush hooks."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import Insert, insert

from store.jobs import CREATORS_EMBED, CreatorsEmbed
from store.models.outbox import OutboxEvent, OutboxStatus


def embed_job_statement(creator_ids: Sequence[uuid.UUID], reason: str) -> Insert:
    """An outbox row asking `creators.embed` to (re)embed these creators.

    The key gets a nonce: a text changed A → B → A must embed again, and the actor itself is idempotent (it skips
    creators whose stored embedding already matches their current text).
    """
    return (
        insert(OutboxEvent)
        .values(id=uuid.uuid4(), actor_name=CREATORS_EMBED.name,
                payload=CREATORS_EMBED.dump(CreatorsEmbed(creator_ids=list(creator_ids))),
                idempotency_key=f"{CREATORS_EMBED.name}:{reason}:{uuid.uuid4().hex[:12]}"[:200],
                status=OutboxStatus.pending, attempts=0)
        .on_conflict_do_nothing(index_elements=[OutboxEvent.idempotency_key])
    )
