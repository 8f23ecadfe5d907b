"""Clicks: buffered in Redis by the redirect (queued in the process and pushed without the request waiting; no
database), moved to Postgres in batches by the flusher.

Bot filter: the user agent is matched against CLICK_BOT_PATTERN when the click happens (only the verdict is
buffered, never the user agent or IP). De-duplication: the first click of a visitor (keyed hash of IP + user agent)
on a link counts as unique; repeats within CLICK_DEDUP_WINDOW_SECONDS are kept but not unique.

The flush is at-least-once and idempotent: rows are read (LRANGE), inserted in one set-based statement with
ON CONFLICT (click id) DO NOTHING, committed, and only then trimmed from the buffer; a crash in between re-inserts
nothing twice. One flusher at a time (a Redis lock), so the buffer's head is not read twice concurrently.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import secrets
import uuid
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import text

from core.settings import get_settings
from store.analytics.redirects import LinkTarget
from store.db import unit_of_work
from store.redis import get_redis

log = logging.getLogger(__name__)
BUFFER_KEY = "analytics:clicks"
LOCK_KEY = "analytics:clicks:flush-lock"
SEEN_PREFIX = "analytics:seen:"
MAX_PUSH = 5_000  # clicks per RPUSH
MAX_PENDING = 100_000  # clicks held in the process while Redis is unreachable
_pending: list[str] = []
_pusher: asyncio.Task[None] | None = None


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


def buffer_click(record: str) -> None:
    """Queue a click for Redis without waiting: the redirect answers at once, and every click queued while one RPUSH
    is in flight goes in the next one (under load, one round trip carries many clicks). A click exists only in this
    process until its RPUSH returns (milliseconds): a killed process loses those; a stopped one drains first."""
    _pending.append(record)
    global _pusher
    if _pusher is None or _pusher.done():
        _pusher = asyncio.get_running_loop().create_task(_push_pending())


async def _push_pending() -> None:
    while _pending:
        batch = _pending[:MAX_PUSH]
        try:
            await get_redis().rpush(BUFFER_KEY, *batch)
        except Exception:  # Redis away: keep the clicks (bounded) for the next click or the drain to retry
            overflow = len(_pending) - MAX_PENDING
            if overflow > 0:
                del _pending[:overflow]
                log.warning("click buffer full while Redis is unreachable: %d click(s) dropped", overflow)
            log.exception("could not buffer %d click(s) in Redis; will retry", len(batch))
            return
        del _pending[:len(batch)]


async def drain_clicks() -> None:
    """Push what this process still holds (at shutdown, and before a flush in the same process)."""
    global _pusher
    while True:  # one pusher at a time: two would push the same head batch and each delete it from the queue
        if _pusher is not None and not _pusher.done():
            await asyncio.shield(_pusher)
            continue
        if not _pending:
            return
        _pusher = asyncio.get_running_loop().create_task(_push_pending())
        await asyncio.shield(_pusher)
        return  # pushed; or Redis refused and they stay queued for the next click or drain


async def buffered_clicks() -> int:
    """Clicks waiting for the flusher (this process's queue pushed first)."""
    await drain_clicks()
    return int(await get_redis().llen(BUFFER_KEY))


async def flush_clicks(batch: int | None = None) -> int:
    """Move up to `batch` buffered clicks to Postgres; the number moved (0 when another flusher holds the lock)."""
    settings = get_settings()
    size = batch or settings.CLICK_FLUSH_BATCH
    await drain_clicks()
    redis = get_redis()
    token = secrets.token_hex(8)
    if not await redis.set(LOCK_KEY, token, nx=True, px=120_000):
        return 0
    try:
        raw = [str(item) for item in await redis.lrange(BUFFER_KEY, 0, size - 1)]  # str: decode_responses=True
        if not raw:
            return 0
        columns = await _decide(raw, settings.CLICK_DEDUP_WINDOW_SECONDS)
        async with unit_of_work() as session:
            await session.execute(_INSERT_CLICKS, columns)
        await redis.ltrim(BUFFER_KEY, len(raw), -1)
        return len(raw)
    finally:
        if await redis.get(LOCK_KEY) == token:
            await redis.delete(LOCK_KEY)


# One statement per batch: the rows travel as arrays (no per-row binding), the dirty marks are set-based.
_INSERT_CLICKS = text("""
WITH staged AS (
    SELECT * FROM unnest(CAST(:id AS uuid[]), CAST(:link AS uuid[]), CAST(:org AS uuid[]), CAST(:campaign AS uuid[]),
                         CAST(:creator AS uuid[]), CAST(:at AS float8[]), CAST(:visitor AS text[]),
                         CAST(:bot AS boolean[]), CAST(:is_unique AS boolean[]))
        AS s(id, link_id, organization_id, campaign_id, creator_id, at, visitor_hash, is_bot, is_unique)),
inserted AS (
    INSERT INTO click_events (id, link_id, organization_id, campaign_id, creator_id, occurred_at, visitor_hash,
                              is_bot, is_unique)
    SELECT id, link_id, organization_id, campaign_id, creator_id, to_timestamp(at), visitor_hash, is_bot, is_unique
    FROM staged ON CONFLICT (id) DO NOTHING)
INSERT INTO analytics_dirty (campaign_id, creator_id)
SELECT DISTINCT campaign_id, creator_id FROM staged ON CONFLICT DO NOTHING
""")

# SET NX EX for every visitor key in one round trip: 1 = the first click of this visitor on this link in the window.
_FIRST_SEEN = """
local firsts = {}
for index, key in ipairs(KEYS) do
    firsts[index] = redis.call('SET', key, 1, 'NX', 'EX', ARGV[1]) and 1 or 0
end
return firsts
"""


async def _decide(raw: list[str], window_seconds: int) -> dict[str, list[Any]]:
    """Parse buffered records into column arrays; a human click is unique when its visitor has no click on the link
    in the window (bots are never unique and leave no visitor mark)."""
    records = [json.loads(item) for item in raw]
    keys = [f"{SEEN_PREFIX}{record['link']}:{record['visitor']}" for record in records if not record["bot"]]
    firsts = iter(await get_redis().register_script(_FIRST_SEEN)(keys=keys, args=[window_seconds]) if keys else [])
    columns: dict[str, list[Any]] = {name: [] for name in ("id", "link", "org", "campaign", "creator", "at",
                                                           "visitor", "bot", "is_unique")}
    for record in records:
        for name in ("id", "link", "org", "campaign", "creator", "at", "visitor", "bot"):
            columns[name].append(record[name])
        columns["is_unique"].append(False if record["bot"] else bool(next(firsts)))
    return columns
