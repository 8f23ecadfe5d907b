"""Contract actors.

- `contracts.generate(negotiation_id)`: fed by `ContractService.start_for_negotiation` (outbox key
  `contract:<negotiation>`); starts the negotiation's contract agent run (`agents.run`), once.
- `contracts.sweep()`: starts a contract run for every agreed negotiation that has none; enqueued every
  CONTRACT_SWEEP_INTERVAL_SECONDS by the scheduler, so contracts follow agreements whoever sets them.
Both are idempotent: a negotiation has at most one contract run (agent_runs.idempotency_key).
"""

from __future__ import annotations

import logging
import uuid

from store.contracts.service import ContractService
from store.db import unit_of_work
from store.jobs import CONTRACTS_GENERATE, CONTRACTS_SWEEP, ContractGenerate, NoPayload
from workers.jobs import job_actor

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


@job_actor(CONTRACTS_GENERATE)
async def generate(job: ContractGenerate) -> str | None:
    return await generate_contract(str(job.negotiation_id))


@job_actor(CONTRACTS_SWEEP)
async def sweep(_: NoPayload) -> int:
    return await sweep_agreed_negotiations()
