"""Creator search: the discovery service the API and the agents call.

INTERFACE PLACEHOLDER (foundation): filters only, ordered by audience size, no semantic ranking. The discovery
issue replaces the body with pgvector + keyword search; the signatures below are the contract other modules use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Creator

PLATFORMS = ("instagram", "youtube", "tiktok", "twitter")


@dataclass(frozen=True)
class SearchFilters:
    platform: str | None = None
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None
    country: str | None = None
    category: str | None = None
    language: str | None = None
    max_rate: float | None = None


@dataclass(frozen=True)
class CreatorMatch:
    creator: Creator
    score: float
    explanation: list[str] = field(default_factory=list)  # human-readable: which filters held, what matched


async def search_creators(session: AsyncSession, query: str | None, filters: SearchFilters, *,
                          limit: int = 20, offset: int = 0) -> list[CreatorMatch]:
    statement = select(Creator)
    if filters.country:
        statement = statement.where(Creator.country == filters.country.upper())
    if filters.category:
        statement = statement.where(Creator.categories.contains([filters.category.lower()]))
    if filters.language:
        statement = statement.where(Creator.languages.contains([filters.language.lower()]))
    creators = (await session.execute(statement.order_by(Creator.created_at).limit(limit).offset(offset))).scalars()
    return [CreatorMatch(creator, 0.0, ["filters held"]) for creator in creators]
