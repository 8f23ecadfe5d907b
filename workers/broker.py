"""The Dramatiq broker: Redis by default, RabbitMQ when `BROKER=rabbitmq`, an in-process stub in tests.

Cross-cutting behaviour (async actors' event loops, retries, time limits) is middleware configured here, once.
Import this module before declaring actors: it installs the global broker.
"""

from __future__ import annotations

import logging

import dramatiq
from dramatiq.brokers.stub import StubBroker

from core.settings import get_settings
from workers.broker_maintenance import BrokerMaintenance
from workers.liveness import WorkerLiveness
from workers.runtime import EventLoops
from workers.warmup import EmbedderWarmup

log = logging.getLogger(__name__)


def build_broker() -> dramatiq.Broker:
    settings = get_settings()
    broker: dramatiq.Broker
    if settings.BROKER == "rabbitmq":
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        broker = RabbitmqBroker(url=settings.RABBITMQ_URL)
    elif settings.BROKER == "stub":
        broker = StubBroker()
        broker.emit_after("process_boot")
    else:
        from workers.redis_broker import QueueAwareRedisBroker

        # A killed worker's prefetched messages are back on their queue within heartbeat timeout + maintenance
        # interval (workers/broker_maintenance.py), not after a maintenance pass left to chance.
        broker = QueueAwareRedisBroker(url=settings.REDIS_URL, namespace=settings.BROKER_NAMESPACE,
                                       heartbeat_timeout=int(settings.BROKER_HEARTBEAT_TIMEOUT_SECONDS * 1000),
                                       dead_message_ttl=settings.BROKER_DEAD_MESSAGE_TTL_SECONDS * 1000)
        broker.add_middleware(BrokerMaintenance(settings.BROKER_MAINTENANCE_INTERVAL_SECONDS,
                                                settings.BROKER_HEARTBEAT_TIMEOUT_SECONDS))
    broker.add_middleware(EventLoops())  # async actors' event loops (workers/runtime.py)
    broker.add_middleware(EmbedderWarmup())  # worker processes load the embedding model at boot
    broker.add_middleware(WorkerLiveness())  # `influency healthcheck worker`
    return broker


broker = build_broker()
dramatiq.set_broker(broker)
