"""Every actor module, imported for the worker process (`dramatiq workers.actors`)."""

from workers import (
    agents,  # noqa: F401
    approvals,  # noqa: F401
    system,  # noqa: F401
)
from workers import broker as _broker  # noqa: F401  (installs the broker before actors are declared)
