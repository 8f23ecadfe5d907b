"""`approvals.sweep`: expire or escalate approvals past their per-kind deadline (`APPROVAL_EXPIRY_*`).

Run periodically by the approval sweeper service (`influency approvals sweep --loop`); safe to run anywhere at
any time: due rows are claimed with SKIP LOCKED and each expiry is recorded once. Expiry applies each kind's effect
from the one map in `store/approvals/effects.py` (reached through `store.approvals.deciding`), e.g. an expired
payment approval returns its payment to `rejected`, from where a manager can ask again.
"""

from __future__ import annotations

import dramatiq

from store.approvals.deciding import ApprovalDecisions
from store.db import unit_of_work
from workers import broker as _broker  # noqa: F401  (installs the broker)


async def sweep_approvals() -> dict[str, int]:
    async with unit_of_work() as session:
        return await ApprovalDecisions(session).sweep_due()


sweep = dramatiq.actor(actor_name="approvals.sweep", max_retries=0, time_limit=60_000)(sweep_approvals)
