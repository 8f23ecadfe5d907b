"""The asyncio Redis client (rate limits, WhatsApp send limiter, caches): one per event loop, since its pooled
connections belong to the loop that opened them (core/loops.py; a worker process runs one loop per thread)."""

from __future__ import annotations

import redis.asyncio as aioredis

from core.loops import LoopLocal
from core.settings import get_settings


def _create() -> aioredis.Redis:
    return aioredis.Redis.from_url(get_settings().REDIS_URL, decode_responses=True, socket_connect_timeout=2,
                                   socket_timeout=5)


async def _close(client: aioredis.Redis) -> None:
    await client.aclose()


_clients = LoopLocal("Redis client", _create, _close)


def get_redis() -> aioredis.Redis:
    return _clients.get()


async def close_redis() -> None:
    await _clients.close()
