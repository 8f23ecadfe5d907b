"""All SQL for creators and portfolio items (search SQL lives in `search_repository.py`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, insert, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from store.creators.jobs import embed_job_statement
from store.creators.search_repository import vector_literal
from store.models import Creator, PortfolioItem


@dataclass(frozen=True)
class EmbeddingUpdate:
    creator_id: uuid.UUID
    read_hash: str | None  # content_hash when the text was read
    text_hash: str  # hash of the text embedded
    vector: Sequence[float]


SORTS: dict[str, Any] = {
    "created_at": Creator.created_at, "followers": Creator.followers_max, "engagement": Creator.engagement_max,
    "display_name": Creator.display_name, "min_rate": Creator.min_rate_usd,
}


class CreatorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, creator_id: uuid.UUID) -> Creator | None:
        return await self.session.get(Creator, creator_id)

    async def get_by_user(self, user_id: uuid.UUID, *, for_update: bool = False) -> Creator | None:
        statement = select(Creator).where(Creator.user_id == user_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def page(self, visibility: ColumnElement[bool], sort: str, limit: int, offset: int) -> list[Creator]:
        """`limit` creators in `sort` order ("-followers": descending); NULLs last, id breaks ties."""
        descending = sort.startswith("-")
        column = SORTS[sort.lstrip("-")]
        order = column.desc().nulls_last() if descending else column.asc().nulls_last()
        statement = select(Creator).where(visibility).order_by(order, Creator.id).limit(limit).offset(offset)
        return list((await self.session.execute(statement)).scalars())

    async def existing_contacts(self, handles: Sequence[str], emails: Sequence[str],
                                visibility: ColumnElement[bool]) -> dict[str, uuid.UUID]:
        """Which of these "platform:handle" / email keys already belong to a visible creator."""
        if not handles and not emails:
            return {}
        statement = select(Creator.id, Creator.handles, Creator.email).where(
            visibility, or_(Creator.handles.overlap(list(handles)), func.lower(Creator.email).in_(list(emails))))
        found: dict[str, uuid.UUID] = {}
        wanted_handles, wanted_emails = set(handles), set(emails)
        for creator_id, creator_handles, email in (await self.session.execute(statement)).all():
            for handle in set(creator_handles or []) & wanted_handles:
                found[handle] = creator_id
            if email and email.lower() in wanted_emails:
                found[email.lower()] = creator_id
        return found

    async def insert_many(self, rows: Sequence[dict[str, Any]], chunk: int = 1_000) -> None:
        for start in range(0, len(rows), chunk):
            await self.session.execute(insert(Creator), list(rows[start:start + chunk]))

    async def enqueue_embedding(self, creator_ids: Sequence[uuid.UUID], reason: str, batch_size: int) -> int:
        """Outbox jobs for `creators.embed`, `batch_size` creators per job; returns the number of jobs."""
        jobs = 0
        for start in range(0, len(creator_ids), batch_size):
            await self.session.execute(embed_job_statement(creator_ids[start:start + batch_size],
                                                           f"{reason}:{start}"))
            jobs += 1
        return jobs

    # --- embeddings
    async def embedding_sources(self, creator_ids: Sequence[uuid.UUID]) -> list[Creator]:
        statement = select(Creator).where(Creator.id.in_(list(creator_ids)))
        return list((await self.session.execute(statement)).scalars())

    async def stale_embedding_ids(self, model: str, after: uuid.UUID | None, limit: int,
                                  everything: bool = False) -> list[uuid.UUID]:
        """Creators whose embedding is missing, from another model, or older than their text; id order."""
        statement = select(Creator.id).order_by(Creator.id).limit(limit)
        if not everything:
            statement = statement.where(or_(Creator.embedded_hash.is_(None),
                                            Creator.embedded_hash.is_distinct_from(Creator.content_hash),
                                            Creator.embedding_model.is_distinct_from(model)))
        if after is not None:
            statement = statement.where(Creator.id > after)
        return list((await self.session.execute(statement)).scalars())

    async def count_stale_embeddings(self, model: str, everything: bool = False) -> int:
        statement = select(func.count()).select_from(Creator)
        if not everything:
            statement = statement.where(or_(Creator.embedded_hash.is_(None),
                                            Creator.embedded_hash.is_distinct_from(Creator.content_hash),
                                            Creator.embedding_model.is_distinct_from(model)))
        return int((await self.session.execute(statement)).scalar_one())

    async def store_embeddings(self, items: Sequence[EmbeddingUpdate], model: str) -> int:
        """Write each vector unless the creator changed since it was read (its `content_hash` moved on: a newer
        job is due). Both hashes become the hash of the text actually embedded."""
        if not items:
            return 0
        statement = text("""
            UPDATE creators AS c
            SET embedding = CAST(v.vector AS halfvec), embedded_hash = v.new_hash, content_hash = v.new_hash,
                embedding_model = :model
            FROM unnest(CAST(:ids AS uuid[]), CAST(:read_hashes AS text[]), CAST(:new_hashes AS text[]),
                        CAST(:vectors AS text[])) AS v(id, read_hash, new_hash, vector)
            WHERE c.id = v.id AND c.content_hash IS NOT DISTINCT FROM v.read_hash""")
        result = await self.session.execute(statement, {
            "ids": [item.creator_id for item in items], "read_hashes": [item.read_hash for item in items],
            "new_hashes": [item.text_hash for item in items],
            "vectors": [vector_literal(item.vector) for item in items], "model": model})
        return int(result.rowcount)  # type: ignore[attr-defined]

    # --- portfolio
    async def add_portfolio_item(self, item: PortfolioItem) -> PortfolioItem:
        self.session.add(item)
        await self.session.flush()
        return item

    async def portfolio(self, creator_id: uuid.UUID) -> list[PortfolioItem]:
        statement = (select(PortfolioItem).where(PortfolioItem.creator_id == creator_id)
                     .order_by(PortfolioItem.created_at, PortfolioItem.id))
        return list((await self.session.execute(statement)).scalars())

    async def portfolio_bytes(self, creator_id: uuid.UUID) -> int:
        statement = select(func.coalesce(func.sum(PortfolioItem.size_bytes), 0)).where(
            PortfolioItem.creator_id == creator_id)
        return int((await self.session.execute(statement)).scalar_one())

    async def portfolio_item(self, creator_id: uuid.UUID, item_id: uuid.UUID) -> PortfolioItem | None:
        statement = select(PortfolioItem).where(PortfolioItem.id == item_id, PortfolioItem.creator_id == creator_id)
        return (await self.session.execute(statement)).scalar_one_or_none()
