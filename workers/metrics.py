"""Queue depth for /metrics: messages waiting per Dramatiq queue, read straight from the broker's storage so
the API process need not declare every actor. Redis broker: one list per queue; other brokers report nothing."""

from __future__ import annotations

from core.settings import get_settings


def queue_depths() -> dict[str, int]:
    settings = get_settings()
    if settings.BROKER != "redis":
        return {}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1,
                                  decode_responses=True)
    depths: dict[str, int] = {}
    for key in client.scan_iter(match="dramatiq:*", count=500):
        if "__" in key or key.endswith(".msgs") or client.type(key) != "list":
            continue
        depths[key.removeprefix("dramatiq:")] = int(client.llen(key))
    return depths
