"""Prometheus metrics: request counts and latency here; gauges (queue depth, pending approvals) are
collected at scrape time by collectors that other modules register."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector


class StoredCounter(Collector):
    """A counter whose totals live elsewhere (Postgres rows another process wrote), refreshed by a scrape hook."""

    def __init__(self, name: str, documentation: str, label: str, registry: CollectorRegistry) -> None:
        self.name, self.documentation, self.label = name, documentation, label
        self.totals: dict[str, float] = {}
        registry.register(self)

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(self.name, self.documentation, labels=[self.label])
        for value, total in sorted(self.totals.items()):
            family.add_metric([value], total)
        yield family


registry = CollectorRegistry()

REQUESTS = Counter("influency_http_requests_total", "HTTP requests", ["method", "route", "status"],
                   registry=registry)
LATENCY = Histogram("influency_http_request_duration_seconds", "HTTP request latency", ["method", "route"],
                    registry=registry)
QUEUE_DEPTH = Gauge("influency_queue_depth", "Messages waiting per queue", ["queue"], registry=registry)
PENDING_APPROVALS = Gauge("influency_pending_approvals", "Approvals waiting for a decision", registry=registry)
OUTBOX_REFUSED = StoredCounter("influency_outbox_refused_jobs", "Outbox rows the relay refused (unknown job or "
                               "invalid payload), per job name", "job", registry)
SERVICE_RESTARTS = StoredCounter("influency_service_restarts", "Restarts of each service by `influency up`'s "
                                 "supervisor (read from DATA_DIR/services.json)", "service", registry)

# Async callables run before each scrape to refresh gauges (registered by the modules that own the data).
scrape_hooks: list[Callable[[], Awaitable[None]]] = []


async def render_metrics() -> bytes:
    for hook in scrape_hooks:
        try:
            await hook()
        except Exception:  # a broken gauge must not break the scrape
            continue
    return generate_latest(registry)
