"""Every actor module, imported for the worker process (`dramatiq workers.actors`): the worker consumes every
queue declared here (`interactive` and `bulk`, from the job specs in `store/jobs/registry.py`)."""

from workers import broker as _broker  # noqa: F401,I001  (installs the broker before actors are declared)
from workers import (  # noqa: F401
    agents,
    analytics,
    approvals,
    contracts,
    creators,
    drafts,
    followups,
    inbound,
    messages,
    negotiation,
    notifications,
    payments,
    system,
)

# Messages enqueued before jobs had their own queues sit in `default`: keep consuming it so none is stranded
# (actors are found by name, whatever the queue).
_broker.broker.declare_queue("default")
