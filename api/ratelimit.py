"""Fixed-window rate limits in Redis, shared by every API process (login/register per IP and account)."""

from __future__ import annotations

import logging

from fastapi import Request

from core.errors import RateLimited
from core.settings import get_settings
from store.redis import get_redis

log = logging.getLogger(__name__)


async def hit(bucket: str, limit: int, window_seconds: int) -> None:
    """Count one attempt in `bucket`; raise 429 with Retry-After once `limit` is exceeded in the window."""
    key = f"ratelimit:{bucket}"
    redis = get_redis()
    async with redis.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window_seconds, nx=True)
        pipe.ttl(key)
        count, _, ttl = await pipe.execute()
    if int(count) > limit:
        retry_after = max(int(ttl), 1)
        raise RateLimited(f"Too many attempts; retry in {retry_after} s", retry_after=retry_after)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def limit_auth_attempt(request: Request, action: str, account: str | None) -> None:
    settings = get_settings()
    window = settings.AUTH_RATE_LIMIT_WINDOW_SECONDS
    await hit(f"{action}:ip:{client_ip(request)}", settings.AUTH_RATE_LIMIT_PER_IP, window)
    if account:
        await hit(f"{action}:account:{account.strip().lower()}", settings.AUTH_RATE_LIMIT_PER_ACCOUNT, window)
