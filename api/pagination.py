"""The one pagination dependency for every list endpoint: `limit` and `offset` with bounds the schema states.

Out-of-bounds values are a 422 naming the field and the bound (never a database error: an offset past 2^63 used
to reach Postgres as a 500). Endpoints whose service allows less (a smaller page, a shallower offset) pass their
own bounds, so the schema and the check always agree. (The inbox list declares the same two fields in its query
model, `api/schemas/approvals.InboxQuery`, from the same `page_bounds`.)
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query

MAX_OFFSET = 1_000_000
MAX_LIMIT = 200


@dataclass(frozen=True)
class Pagination:
    limit: int
    offset: int


def page_bounds(max_limit: int = MAX_LIMIT, max_offset: int = MAX_OFFSET) -> tuple[dict[str, Any], dict[str, Any]]:
    """`limit`'s and `offset`'s bounds and wording, for the dependency's parameters below and for the fields of a
    query model (`api/schemas/approvals.InboxQuery`), so the two state the same."""
    return ({"ge": 1, "le": max_limit, "description": f"page size, 1 to {max_limit}"},
            {"ge": 0, "le": max_offset, "description": f"items to skip, 0 to {max_offset:,}"})


def pagination(*, default_limit: int = 50, max_limit: int = MAX_LIMIT, max_offset: int = MAX_OFFSET
               ) -> Callable[..., Coroutine[Any, Any, Pagination]]:
    """A dependency reading `limit` (1..max_limit) and `offset` (0..max_offset) from the query string."""
    # No `from __future__ import annotations` here: FastAPI must see these annotations as objects, not strings
    # naming the closure's variables.
    limit_bounds, offset_bounds = page_bounds(max_limit, max_offset)
    limit_query = Annotated[int, Query(**limit_bounds)]
    offset_query = Annotated[int, Query(**offset_bounds)]

    # async: FastAPI runs a plain `def` dependency in its thread pool, a hand-off costlier than the function
    async def _pagination(limit: limit_query = default_limit, offset: offset_query = 0) -> Pagination:  # type: ignore[valid-type]
        return Pagination(limit, offset)

    return _pagination


PageDep = Annotated[Pagination, Depends(pagination())]
