"""Resolving a short link code for `GET /r/{code}` and building the brand URL with UTM parameters.

The redirect is the hot path: a code's target is cached in the process for a minute (links rarely change and a
stale destination for a minute is harmless), so most redirects touch no database at all.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select

from store.db import get_sessionmaker
from store.models import TrackedLink

CACHE_SECONDS = 60.0
CLICK_PARAMETER = "ic_click"
_cache: dict[str, tuple[float, LinkTarget | None]] = {}


@dataclass(frozen=True)
class LinkTarget:
    link_id: uuid.UUID
    organization_id: uuid.UUID
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    code: str
    url: str  # the destination with UTM parameters, without the click token


def tagged_url(link: TrackedLink) -> str:
    """The destination with utm_* added (a parameter already in the destination is replaced by ours)."""
    parts = urlsplit(link.destination_url)
    ours = {"utm_source": link.utm_source, "utm_medium": link.utm_medium, "utm_campaign": link.utm_campaign}
    if link.utm_content:
        ours["utm_content"] = link.utm_content
    kept = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key not in ours]
    return urlunsplit(parts._replace(query=urlencode(kept + list(ours.items()))))


def with_click(url: str, token: str) -> str:
    return f"{url}{'&' if urlsplit(url).query else '?'}{CLICK_PARAMETER}={token}"


async def resolve(code: str) -> LinkTarget | None:
    now = time.monotonic()
    cached = _cache.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    async with get_sessionmaker()() as session:
        link = (await session.execute(select(TrackedLink).where(TrackedLink.code == code))).scalar_one_or_none()
        target = None if link is None else LinkTarget(link.id, link.organization_id, link.campaign_id,
                                                      link.creator_id, link.code, tagged_url(link))
    if len(_cache) > 100_000:
        _cache.clear()
    _cache[code] = (now + CACHE_SECONDS, target)
    return target


def forget(code: str) -> None:
    """Drop a code from this process's cache (a changed destination, tests)."""
    _cache.pop(code, None)
