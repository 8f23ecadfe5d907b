"""The relay's enqueues reach Redis in one round trip per pass (`workers/redis_broker.batched_enqueues`): nothing
is sent before the batch ends, everything when it ends, nothing when the block raised; other calls go straight."""

from __future__ import annotations

import secrets

import dramatiq
import pytest

from core.settings import get_settings
from workers.redis_broker import QueueAwareRedisBroker


def test_enqueues_in_a_batch_are_sent_together_and_only_when_it_succeeds() -> None:
    broker = QueueAwareRedisBroker(url=get_settings().REDIS_URL, namespace=f"test-batch-{secrets.token_hex(4)}")

    @dramatiq.actor(broker=broker, actor_name="batch.probe", queue_name="interactive")
    def probe(index: int) -> None: ...

    def queued() -> int:
        return int(broker.client.llen(f"{broker.namespace}:interactive"))

    try:
        with broker.batched_enqueues():
            for index in range(50):
                probe.send(index)
            assert queued() == 0
        assert queued() == 50
        with pytest.raises(RuntimeError), broker.batched_enqueues():
            probe.send(50)
            raise RuntimeError("the pass failed")
        assert queued() == 50
        probe.send(51)  # outside a batch: at once
        assert queued() == 51
    finally:
        broker.flush_all()
        broker.close()
