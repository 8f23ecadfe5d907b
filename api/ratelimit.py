"""Fixed-window rate limits in Redis, shared by every API process (login/register per IP and account).

The IP is the TCP peer's (`request.client`), rewritten from X-Forwarded-For only when that peer is one of
`FORWARDED_ALLOW_IPS` (the app's proxy-headers middleware, `api/app.py`): a client cannot pick its own bucket by
sending the header. Login counts per account by the resolved user (`AuthService.login` calls `limit_account`
with `user:<id>`), so a username and an email of the same account share one bucket.
"""

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


async def limit_ip(request: Request, action: str) -> None:
    settings = get_settings()
    await hit(f"{action}:ip:{client_ip(request)}", settings.AUTH_RATE_LIMIT_PER_IP,
              settings.AUTH_RATE_LIMIT_WINDOW_SECONDS)


async def limit_account(action: str, account_key: str) -> None:
    settings = get_settings()
    await hit(f"{action}:account:{account_key}", settings.AUTH_RATE_LIMIT_PER_ACCOUNT,
              settings.AUTH_RATE_LIMIT_WINDOW_SECONDS)


async def limit_auth_attempt(request: Request, action: str, account: str | None) -> None:
    await limit_ip(request, action)
    if account:
        await limit_account(action, account.strip().lower())


async def limit_login_account(account_key: str) -> None:
    """The per-account login limit, called by the service once it knows whose account is meant."""
    await limit_account("login", account_key)
