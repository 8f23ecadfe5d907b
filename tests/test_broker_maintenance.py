"""A dead worker's prefetched messages go back on their queue by the clocked maintenance pass, once its heartbeat
is older than the timeout, and not before (real Redis, a namespace of this test's own)."""

from __future__ import annotations

import time
import uuid

import dramatiq
import redis

from core.settings import get_settings
from workers.broker_maintenance import BrokerMaintenance, MaintainedRedisBroker


def _broker(namespace: str, heartbeat_ms: int) -> MaintainedRedisBroker:
    return MaintainedRedisBroker(url=get_settings().REDIS_URL, namespace=namespace, heartbeat_timeout=heartbeat_ms)


def test_maintenance_requeues_a_dead_workers_messages_after_the_heartbeat_timeout() -> None:
    namespace = f"test-maint-{uuid.uuid4().hex[:8]}"
    client = redis.Redis.from_url(get_settings().REDIS_URL)
    dead, live = _broker(namespace, 600), _broker(namespace, 600)
    try:
        for broker in (dead, live):
            broker.declare_queue("interactive")
        for index in range(5):
            live.enqueue(dramatiq.Message(queue_name="interactive", actor_name="system.ping", args=(),
                                          kwargs={"marker": str(index)}, options={}))
        assert len(dead.do_fetch("interactive", 8)) == 5  # prefetched into the (soon dead) worker's ack set
        assert client.llen(f"{namespace}:interactive") == 0
        assert dead.maintenance_chance == 0  # never left to chance

        assert live.maintain() == ["interactive", "interactive.DQ"]
        assert client.llen(f"{namespace}:interactive") == 0  # its heartbeat is fresh: still its messages

        time.sleep(0.7)  # the dead worker issues no command: its heartbeat ages past the timeout
        live.maintain()
        assert client.llen(f"{namespace}:interactive") == 5
        assert client.keys(f"{namespace}:__acks__.{dead.broker_id}*") == []
    finally:
        for key in client.scan_iter(match=f"{namespace}:*"):
            client.delete(key)
        dead.close()
        live.close()


def test_the_maintenance_thread_beats_faster_than_the_heartbeat_timeout() -> None:
    assert BrokerMaintenance(interval=30, heartbeat_timeout=15).interval == 5
    assert BrokerMaintenance(interval=2, heartbeat_timeout=15).interval == 2
