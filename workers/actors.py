"""Every actor module, imported for the worker process (`dramatiq workers.actors`)."""

import workers.creators  # noqa: F401
from workers import broker as _broker  # noqa: F401  (installs the broker before actors are declared)
from workers import system  # noqa: F401
