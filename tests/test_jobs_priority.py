"""Interactive work never waits behind bulk work: with the bulk queue flooded and a single worker thread, a
negotiation turn sent mid-flood runs next (the interactive consumer fetches it within its short idle back-off,
and its priority puts it ahead of the bulk messages the worker already prefetched), long before the flood drains.

A real Dramatiq `Worker` on a throwaway stub broker, with actors declared from the real job specs' queues and
priorities (`store/jobs/spec.py`); asserts the order jobs ran in, not timings."""

from __future__ import annotations

import threading
import time

import dramatiq
from dramatiq.brokers.stub import StubBroker

from store.jobs import CREATORS_EMBED, NEGOTIATION_TURN

FLOOD = 300


def test_an_interactive_turn_overtakes_a_flooded_bulk_queue() -> None:
    broker = StubBroker()
    broker.emit_after("process_boot")
    ran: list[str] = []
    turn_done = threading.Event()

    @dramatiq.actor(broker=broker, actor_name="flood.embed", queue_name=CREATORS_EMBED.queue.value,
                    priority=CREATORS_EMBED.priority, max_retries=0)
    def embed(index: int) -> None:
        time.sleep(0.003)  # a small slice of an embedding batch
        ran.append("bulk")

    @dramatiq.actor(broker=broker, actor_name="flood.turn", queue_name=NEGOTIATION_TURN.queue.value,
                    priority=NEGOTIATION_TURN.priority, max_retries=0)
    def turn() -> None:
        ran.append("turn")
        turn_done.set()

    for index in range(FLOOD):
        embed.send(index)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=10)
    worker.start()
    try:
        while ran.count("bulk") < 10:  # the flood is being worked through
            time.sleep(0.005)
        bulk_before = ran.count("bulk")
        turn.send()
        assert turn_done.wait(10)
        bulk_between = ran.index("turn") - bulk_before
    finally:
        worker.stop(timeout=5_000)
    # at most the bulk messages already in the worker's hands ran first (prefetch: 2 per thread, plus the one
    # running); the other ~280 waited behind the turn
    assert bulk_between <= 4, ran[bulk_before:bulk_before + 10]
    assert ran.index("turn") < FLOOD // 2
