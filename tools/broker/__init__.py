"""The message broker seen from outside a worker: is it reachable (`/ready`), how many messages wait per queue
(`/metrics`, read straight from the broker's storage so the API process need not declare every actor; Redis
broker: one list per queue, other brokers report nothing)."""

from __future__ import annotations

import logging

from core.settings import get_settings

log = logging.getLogger(__name__)


def broker_reachable() -> bool:
    """A cheap connectivity probe for /ready."""
    settings = get_settings()
    try:
        if settings.BROKER == "redis":
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        elif settings.BROKER == "rabbitmq":
            import pika

            pika.BlockingConnection(pika.URLParameters(settings.RABBITMQ_URL)).close()
        return True
    except Exception:
        log.warning("broker not reachable", exc_info=True)
        return False

def queue_depths() -> dict[str, int]:
    settings = get_settings()
    if settings.BROKER != "redis":
        return {}
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1,
                                  decode_responses=True)
    depths: dict[str, int] = {}
    prefix = f"{settings.BROKER_NAMESPACE}:"
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        if "__" in key or key.endswith(".msgs") or client.type(key) != "list":
            continue
        depths[key.removeprefix(prefix)] = int(client.llen(key))
    return depths
