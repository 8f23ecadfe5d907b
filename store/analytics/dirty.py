"""Marking (campaign, creator) pairs whose rollups are stale. Written in the same transaction as the event, so a
committed event always has its mark; the rollup worker deletes marks as it recomputes (SKIP LOCKED)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import DirtyPair


async def mark_dirty(session: AsyncSession, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]]) -> None:
    rows = [{"campaign_id": campaign_id, "creator_id": creator_id} for campaign_id, creator_id in set(pairs)]
    if rows:
        await session.execute(insert(DirtyPair).values(rows).on_conflict_do_nothing())


async def claim_dirty(session: AsyncSession, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Take up to `limit` marks: deleted in this transaction (a failed refresh rolls back and puts them back);
    marks another worker holds are skipped, not waited for."""
    claimed = (select(DirtyPair.campaign_id, DirtyPair.creator_id).order_by(DirtyPair.marked_at).limit(limit)
               .with_for_update(skip_locked=True).cte("claimed"))
    statement = (delete(DirtyPair).where(tuple_(DirtyPair.campaign_id, DirtyPair.creator_id).in_(
        select(claimed.c.campaign_id, claimed.c.creator_id))).returning(DirtyPair.campaign_id, DirtyPair.creator_id))
    return [(row.campaign_id, row.creator_id) for row in (await session.execute(statement)).all()]
