"""`approvals.sweep`: expire or escalate approvals past their per-kind deadline (`APPROVAL_EXPIRY_*`).

Enqueued every APPROVAL_SWEEP_INTERVAL_SECONDS by the scheduler (`influency scheduler`), or run once by
`influency approvals sweep`; safe to run anywhere at any time: due rows are claimed with SKIP LOCKED and each
expiry is recorded once. Expiry applies each kind's effect from the one map in `store/approvals/effects.py`
(reached through `store.approvals.deciding`), e.g. an expired payment approval returns its payment to `rejected`,
from where a manager can ask again.
"""

from __future__ import annotations

from store.approvals.deciding import ApprovalDecisions
from store.db import unit_of_work
from store.jobs import APPROVALS_SWEEP, NoPayload
from workers.jobs import job_actor


async def sweep_approvals() -> dict[str, int]:
    async with unit_of_work() as session:
        return await ApprovalDecisions(session).sweep_due()


@job_actor(APPROVALS_SWEEP)
async def sweep(_: NoPayload) -> dict[str, int]:
    return await sweep_approvals()
