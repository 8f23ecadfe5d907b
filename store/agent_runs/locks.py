"""The run's Postgres advisory lock: held by the connection of the job stepping the run (`agents/checkpointer.py`),
so two deliveries of a run's jobs never interleave, and so the stale-run sweep can tell a live step (lock held)
from a dead one (Postgres releases the lock when the dead worker's connection goes)."""

from __future__ import annotations

import uuid


def run_lock_key(run_id: uuid.UUID) -> int:
    return int.from_bytes(run_id.bytes[:8], "big", signed=True)
