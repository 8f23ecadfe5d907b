"""Every actor module, imported for the worker process (`dramatiq workers.actors`)."""

from workers import broker as _broker  # noqa: F401,I001  (installs the broker before actors are declared)
from workers import (  # noqa: F401
    agents,
    analytics,
    approvals,
    contracts,
    creators,
    followups,
    inbound,
    messages,
    negotiation,
    notifications,
    payments,
    system,
    whatsapp,
)
