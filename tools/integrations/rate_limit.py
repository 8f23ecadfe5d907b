"""The WhatsApp send limiter, shared by every worker through Redis and decided atomically in one Lua script.

Two limits per business phone number (Meta's): at most WHATSAPP_SEND_RATE_PER_SECOND messages in any sliding
one-second window (a sorted set of send times), and at most one message to the same recipient every
WHATSAPP_RECIPIENT_INTERVAL_SECONDS (a key that lives that long; Meta's pair rate limit, error 131056).
A slot is taken only when both allow it; otherwise the caller learns how long to wait and which limit hit.
Times come from Redis (`TIME`), so workers with skewed clocks agree. Both keys share a hash tag (cluster-safe).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

import redis.asyncio as aioredis

from core.settings import get_settings
from store.redis import get_redis

_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, window, interval = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local pending = redis.call('PTTL', KEYS[2])
if pending > 0 then return {2, pending} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {1, math.max(tonumber(oldest[2]) + window - now, 1)}
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
if interval > 0 then redis.call('SET', KEYS[2], now, 'PX', interval) end
return {0, 0}
"""


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    wait_seconds: float = 0.0
    limited_by: Literal["sender", "recipient"] | None = None


class SendRateLimiter:
    def __init__(self, redis: aioredis.Redis | None = None, *, per_second: int | None = None,
                 recipient_interval_seconds: float | None = None, window_seconds: float = 1.0) -> None:
        settings = get_settings()
        self.redis = redis or get_redis()
        self.per_second = per_second or settings.WHATSAPP_SEND_RATE_PER_SECOND
        interval = settings.WHATSAPP_RECIPIENT_INTERVAL_SECONDS
        self.recipient_interval_seconds = interval if recipient_interval_seconds is None else recipient_interval_seconds
        self.window_ms = int(window_seconds * 1000)
        self._script = self.redis.register_script(_ACQUIRE)

    async def acquire(self, sender: str, recipient: str) -> RateDecision:
        """Take a slot for one message from `sender` (phone number id) to `recipient`, or say how long to wait."""
        tag = f"ratelimit:{{wa:{sender}}}"
        code, wait_ms = await self._script(
            keys=[f"{tag}:rate", f"{tag}:to:{recipient}"],
            args=[self.per_second, self.window_ms, int(self.recipient_interval_seconds * 1000),
                  secrets.token_hex(8)],
        )
        if int(code) == 0:
            return RateDecision(True)
        return RateDecision(False, int(wait_ms) / 1000, "sender" if int(code) == 1 else "recipient")
