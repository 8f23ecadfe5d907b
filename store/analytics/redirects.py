"""Resolving a short link code for `GET /r/{code}` and building the brand URL with UTM parameters.

The redirect is the hot path: a code's target is cached in the process for a minute (links rarely change and a
stale destination for a minute is harmless), so most redirects touch no database at all; concurrent misses share
one lookup.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select

from store.db import get_engine
from store.models import TrackedLink

CACHE_SECONDS = 60.0
CLICK_PARAMETER = "ic_click"
_cache: dict[str, tuple[float, LinkTarget | None]] = {}
_waiting: dict[str, list[asyncio.Future[LinkTarget | None]]] = {}  # missed codes → the redirects waiting for them
_loader: asyncio.Task[None] | None = None


@dataclass(frozen=True)
class LinkTarget:
    link_id: uuid.UUID
    organization_id: uuid.UUID
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    code: str
    url: str  # the destination with UTM parameters, without the click token


def tagged_url(link: Any) -> str:
    """The destination with utm_* added (a parameter already in the destination is replaced by ours). `link`: a
    TrackedLink or a row with its columns."""
    parts = urlsplit(link.destination_url)
    ours = {"utm_source": link.utm_source, "utm_medium": link.utm_medium, "utm_campaign": link.utm_campaign}
    if link.utm_content:
        ours["utm_content"] = link.utm_content
    kept = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in ours]
    return urlunsplit(parts._replace(query=urlencode(kept + list(ours.items()))))


def with_click(url: str, token: str) -> str:
    return f"{url}{'&' if urlsplit(url).query else '?'}{CLICK_PARAMETER}={token}"


_TARGET = select(TrackedLink.id, TrackedLink.organization_id, TrackedLink.campaign_id, TrackedLink.creator_id,
                 TrackedLink.code, TrackedLink.destination_url, TrackedLink.utm_source, TrackedLink.utm_medium,
                 TrackedLink.utm_campaign, TrackedLink.utm_content)


async def resolve(code: str) -> LinkTarget | None:
    now = time.monotonic()
    cached = _cache.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    # Misses are coalesced: every code missed while a lookup is in flight goes in the next one (one SELECT ... IN
    # for many concurrent redirects, instead of a pool checkout, a ping and a SELECT each).
    future: asyncio.Future[LinkTarget | None] = asyncio.get_running_loop().create_future()
    _waiting.setdefault(code, []).append(future)
    global _loader
    if _loader is None or _loader.done():
        _loader = asyncio.get_running_loop().create_task(_load_waiting())
    return await future


async def _load_waiting() -> None:
    while _waiting:
        batch = dict(_waiting)
        _waiting.clear()
        found: dict[str, LinkTarget] = {}
        try:
            # a bare autocommit connection: no session, no ORM objects, no BEGIN/ROLLBACK around the SELECT
            async with get_engine().execution_options(isolation_level="AUTOCOMMIT").connect() as connection:
                rows = (await connection.execute(_TARGET.where(TrackedLink.code.in_(list(batch))))).all()
            for row in rows:
                try:
                    found[row.code] = LinkTarget(row.id, row.organization_id, row.campaign_id, row.creator_id,
                                                 row.code, tagged_url(row))
                except Exception as exc:  # one bad stored destination fails its own redirects, not the batch's
                    _fail(batch.pop(row.code, []), exc)
        except Exception as exc:  # every waiting redirect fails as its own lookup would have
            _fail([future for futures in batch.values() for future in futures], exc)
            continue
        if len(_cache) > 100_000:
            _cache.clear()
        expires = time.monotonic() + CACHE_SECONDS
        for code, futures in batch.items():
            _cache[code] = (expires, found.get(code))
            for future in futures:
                if not future.done():  # a redirect whose client went away
                    future.set_result(found.get(code))


def _fail(futures: list[asyncio.Future[LinkTarget | None]], exc: Exception) -> None:
    for future in futures:
        if not future.done():
            future.set_exception(exc)


def forget(code: str) -> None:
    """Drop a code from this process's cache (a changed destination, tests)."""
    _cache.pop(code, None)
