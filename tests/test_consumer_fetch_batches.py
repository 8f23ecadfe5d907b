"""Under load a consumer fetches several messages per fetch script call (`WORKER_FETCH_LOW_WATER`), not one per
freed slot; idle, the first message is fetched at once; every message is still delivered exactly as queued."""

from __future__ import annotations

import secrets
from typing import Any

import dramatiq

from core.settings import get_settings
from workers.redis_broker import QueueAwareRedisBroker


def test_a_busy_consumer_refills_in_batches_and_loses_nothing() -> None:
    broker = QueueAwareRedisBroker(url=get_settings().REDIS_URL, namespace=f"test-fetch-{secrets.token_hex(4)}")

    @dramatiq.actor(broker=broker, actor_name="fetch.probe", queue_name="interactive")
    def probe(index: int) -> None: ...

    fetched: list[int] = []
    fetch = broker.do_fetch

    def counting_fetch(queue_name: str, count: int) -> Any:
        messages = fetch(queue_name, count)
        fetched.append(len(messages))
        return messages

    broker.do_fetch = counting_fetch  # type: ignore[method-assign]
    try:
        for index in range(40):
            probe.send(index)
        consumer = broker.consume("interactive", prefetch=16)
        assert consumer.low_water == int(16 * get_settings().WORKER_FETCH_LOW_WATER) == 8
        in_hand = [next(consumer) for _ in range(16)]  # the first fetch fills every slot
        assert fetched == [16]
        seen = [message.args[0] for message in in_hand]
        for message in in_hand[:7]:  # 9 outstanding: still above the low-water mark, so no fetch
            consumer.ack(message)
        assert next(consumer) is None and fetched == [16]
        consumer.ack(in_hand[7])  # 8 outstanding: one call fetches the 8 free slots
        refill = [next(consumer) for _ in range(8)]
        assert fetched == [16, 8]
        seen += [message.args[0] for message in refill]
        for message in in_hand[8:] + refill:
            consumer.ack(message)
        while (message := next(consumer)) is not None or len(seen) < 40:
            if message is not None:
                seen.append(message.args[0])
                consumer.ack(message)
        assert sorted(seen) == list(range(40))  # every message once
        assert len(fetched) < 40 // 2
    finally:
        broker.flush_all()
        broker.close()
