"""Clicks: buffered in Redis by the redirect (one RPUSH, no database), moved to Postgres in batches by the flusher.

Bot filter: the user agent is matched against CLICK_BOT_PATTERN when the click happens (only the verdict is
buffered, never the user agent or IP). De-duplication: the first click of a visitor (keyed hash of IP + user agent)
on a link counts as unique; repeats within CLICK_DEDUP_WINDOW_SECONDS are kept but not unique.

The flush is at-least-once and idempotent: rows are read (LRANGE), inserted with ON CONFLICT (click id) DO NOTHING,
committed, and only then trimmed from the buffer; a crash in between re-inserts nothing twice. One flusher at a
time (a Redis lock), so the buffer's head is not read twice concurrently.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.dialects.postgresql import insert

from core.settings import get_settings
from store.analytics.dirty import mark_dirty
from store.analytics.redirects import LinkTarget
from store.db import unit_of_work
from store.models import ClickEvent
from store.redis import get_redis

BUFFER_KEY = "analytics:clicks"
LOCK_KEY = "analytics:clicks:flush-lock"
SEEN_PREFIX = "analytics:seen:"


@lru_cache
def _bot_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def is_bot(user_agent: str) -> bool:
    return bool(_bot_pattern(get_settings().CLICK_BOT_PATTERN).search(user_agent.strip()))


@lru_cache
def _visitor_key(secret: str) -> bytes:
    return hashlib.sha256(f"click-visitor:{secret}".encode()).digest()


def visitor_hash(ip: str, user_agent: str) -> str:
    """A keyed hash of who clicked (derived from SECRET_KEY, read once per process: this is the redirect's path)."""
    return hmac.new(_visitor_key(_secret()), f"{ip}|{user_agent}".encode(), hashlib.sha256).hexdigest()[:32]


@lru_cache
def _secret() -> str:
    return get_settings().secret_key()


def click_record(target: LinkTarget, click_id: uuid.UUID, ip: str, user_agent: str, at: datetime) -> str:
    return json.dumps({"id": click_id.hex, "link": target.link_id.hex, "org": target.organization_id.hex,
                       "campaign": target.campaign_id.hex, "creator": target.creator_id.hex,
                       "at": at.timestamp(), "visitor": visitor_hash(ip, user_agent), "bot": is_bot(user_agent)})


async def buffer_click(record: str) -> None:
    await get_redis().rpush(BUFFER_KEY, record)


async def buffered_clicks() -> int:
    return int(await get_redis().llen(BUFFER_KEY))


async def flush_clicks(batch: int | None = None) -> int:
    """Move up to `batch` buffered clicks to Postgres; the number moved (0 when another flusher holds the lock)."""
    settings = get_settings()
    size = batch or settings.CLICK_FLUSH_BATCH
    redis = get_redis()
    token = secrets.token_hex(8)
    if not await redis.set(LOCK_KEY, token, nx=True, px=120_000):
        return 0
    try:
        raw = [str(item) for item in await redis.lrange(BUFFER_KEY, 0, size - 1)]  # str: decode_responses=True
        if not raw:
            return 0
        rows = await _decide(raw, settings.CLICK_DEDUP_WINDOW_SECONDS)
        async with unit_of_work() as session:
            # executemany: SQLAlchemy batches it into multi-row INSERTs ("insertmanyvalues") without compiling
            # one giant statement per chunk
            await session.execute(insert(ClickEvent).on_conflict_do_nothing(index_elements=[ClickEvent.id]), rows)
            await mark_dirty(session, ((row["campaign_id"], row["creator_id"]) for row in rows))
        await redis.ltrim(BUFFER_KEY, len(raw), -1)
        return len(raw)
    finally:
        if await redis.get(LOCK_KEY) == token:
            await redis.delete(LOCK_KEY)


async def _decide(raw: list[str], window_seconds: int) -> list[dict[str, Any]]:
    """Parse buffered records; a human click is unique when its visitor has no click on the link in the window."""
    records = [json.loads(item) for item in raw]
    pipe = get_redis().pipeline(transaction=False)
    for record in records:
        if not record["bot"]:
            pipe.set(f"{SEEN_PREFIX}{record['link']}:{record['visitor']}", 1, nx=True, ex=window_seconds)
    firsts = iter(await pipe.execute())
    rows = []
    for record in records:
        unique = False if record["bot"] else bool(next(firsts))
        rows.append({"id": uuid.UUID(hex=record["id"]), "link_id": uuid.UUID(hex=record["link"]),
                     "organization_id": uuid.UUID(hex=record["org"]), "campaign_id": uuid.UUID(hex=record["campaign"]),
                     "creator_id": uuid.UUID(hex=record["creator"]),
                     "occurred_at": datetime.fromtimestamp(record["at"], UTC), "visitor_hash": record["visitor"],
                     "is_bot": record["bot"], "is_unique": unique})
    return rows
