"""Contract actors.

- `contracts.generate(negotiation_id)`: fed by `ContractService.start_for_negotiation` (outbox key
  `contract:<negotiation>`); starts the negotiation's contract agent run (`agents.run`), once.
- `contracts.sweep()`: starts a contract run for every agreed negotiation that has none; run periodically by the
  contract sweeper (`influency contracts sweep --loop`), so contracts follow agreements whoever sets them.
Both are idempotent: a negotiation has at most one contract run (agent_runs.idempotency_key).
"""

from __future__ import annotations

import logging
import uuid

import dramatiq

from store.contracts.service import ContractService
from store.db import unit_of_work
from workers import broker as _broker  # noqa: F401  (installs the broker)

log = logging.getLogger(__name__)


async def generate_contract(negotiation_id: str) -> str | None:
    """The id of the negotiation's contract run, or None when it is not (or no longer) agreed."""
    async with unit_of_work() as session:
        run = await ContractService(session).start_run(uuid.UUID(negotiation_id))
    log.info("negotiation %s: contract run %s", negotiation_id, run.id if run else "not started (not agreed)")
    return str(run.id) if run else None


async def sweep_agreed_negotiations() -> int:
    async with unit_of_work() as session:
        started = await ContractService(session).sweep_agreed()
    if started:
        log.info("contract sweep started %d contract run(s)", started)
    return started


@dramatiq.actor(actor_name="contracts.generate", max_retries=5, min_backoff=1_000, max_backoff=60_000,
                time_limit=60_000)
async def generate(negotiation_id: str) -> None:
    await generate_contract(negotiation_id)


@dramatiq.actor(actor_name="contracts.sweep", max_retries=0, time_limit=60_000)
async def sweep() -> None:
    await sweep_agreed_negotiations()
