"""`approvals.sweep`: expire or escalate approvals past their per-kind deadline (`APPROVAL_EXPIRY_*`).

Enqueued every APPROVAL_SWEEP_INTERVAL_SECONDS by the scheduler (`influency scheduler`), or run once by
`influency approvals sweep`; safe to run anywhere at any time: due rows are claimed with SKIP LOCKED and each
expiry is recorded once.
"""

from __future__ import annotations

from store.approvals.service import ApprovalService
from store.db import unit_of_work
from store.jobs import APPROVALS_SWEEP, NoPayload
from workers.jobs import job_actor


async def sweep_approvals() -> dict[str, int]:
    async with unit_of_work() as session:
        return await ApprovalService(session).sweep_due()


@job_actor(APPROVALS_SWEEP)
async def sweep(_: NoPayload) -> dict[str, int]:
    return await sweep_approvals()
