"""Creator search from text: the entry point the API and the agents call.

`store.creators.search.search_creators` ranks from a query *vector*; turning the manager's words into that vector
needs the process-wide embedder, which lives in `tools.embeddings`. This module joins the two, so `store` never
imports upward.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from store.creators.explain import query_terms
from store.creators.search import CreatorMatch, SearchFilters
from store.creators.search import search_creators as rank_creators
from tools.embeddings import embed_query


async def search_creators(session: AsyncSession, query: str | None, filters: SearchFilters, *,
                          limit: int = 20, offset: int = 0, organization_id: uuid.UUID | None = None,
                          query_vector: Sequence[float] | None = None,
                          mode: Literal["hybrid", "semantic"] = "hybrid",
                          exact_max_rows: int | None = None) -> list[CreatorMatch]:
    """`store.creators.search.search_creators`, with the query embedded (off the event loop) when it has words
    and no `query_vector` was given."""
    if query_vector is None and query_terms(query):
        query_vector = await embed_query(query or "")
    return await rank_creators(session, query, filters, limit=limit, offset=offset, organization_id=organization_id,
                               query_vector=query_vector, mode=mode, exact_max_rows=exact_max_rows)
