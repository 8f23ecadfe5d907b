"""Deciding and expiring approvals: the only two ways an approval's effect runs.

A decision is one transaction: the approval row locked, its kind's effect (`effects.EFFECTS`: e.g. the message
queued with its send job, the contract's fee committed, the payment approved), the recorded answer with its audit
event, and the `agents.resume` outbox row that lets a worker resume the run. A second answer to the same approval
is a 409 (`approval_already_decided`), so nothing happens twice. The sweeper's expiry goes through the same map,
so whichever process decides or expires (API, agent worker, sweeper) applies every kind's effect.
Flushes only; the caller's unit of work commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, DomainError, InvalidInput, NotFound
from core.settings import get_settings
from store.approvals.decision import EXPIRE, Decision
from store.approvals.effects import apply_effect
from store.approvals.repository import ApprovalRepository
from store.approvals.service import SYSTEM, Actor, ApprovalService
from store.drafts.edits import record_decision
from store.models import Approval, ApprovalStatus, DecisionAction

STATUS_AFTER = {
    DecisionAction.approve: ApprovalStatus.approved,
    DecisionAction.edit: ApprovalStatus.edited,
    DecisionAction.reject: ApprovalStatus.rejected,
    DecisionAction.respond: ApprovalStatus.responded,
    DecisionAction.ignore: ApprovalStatus.ignored,
}
# Which Agent Inbox permission each of our actions needs.
PERMISSION = {
    DecisionAction.approve: "allow_accept",
    DecisionAction.edit: "allow_edit",
    DecisionAction.reject: "allow_ignore",
    DecisionAction.respond: "allow_respond",
    DecisionAction.ignore: "allow_ignore",
}


@dataclass(frozen=True)
class BatchOutcome:
    approval_id: uuid.UUID
    approval: Approval | None
    error: DomainError | None


class ApprovalDecisions:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.approvals = ApprovalRepository(session)
        self.inbox = ApprovalService(session)

    async def decide(self, organization_id: uuid.UUID | None, approval_id: uuid.UUID, decision: Decision,
                     actor: Actor) -> Approval:
        approval = await self.approvals.get(approval_id, organization_id, for_update=True)
        if approval is None or organization_id is None:
            raise NotFound("Approval not found", code="approval_not_found")
        if approval.status != ApprovalStatus.pending:
            raise Conflict(f"This approval was already answered ({approval.status})",
                           code="approval_already_decided", details={"status": str(approval.status)})
        if _expired(approval, datetime.now(UTC)):
            raise Conflict("This approval has expired", code="approval_expired")
        action = DecisionAction(decision.action)
        if not approval.request.get("config", {}).get(PERMISSION[action], False):
            raise InvalidInput(f"'{action}' is not allowed for a {approval.kind} approval", code="action_not_allowed")
        if action == DecisionAction.respond and not (decision.feedback or "").strip():
            raise InvalidInput("respond needs feedback: the instructions for the agent", code="feedback_required")
        if action == DecisionAction.edit and not decision.payload:
            raise InvalidInput("edit needs a payload with the changed fields", code="payload_required")
        # An ignore does to the draft, offer, contract or payment what a reject without feedback does.
        effect_decision = Decision(action=DecisionAction.reject) if action == DecisionAction.ignore else decision
        effect = await apply_effect(self.session, approval, effect_decision)
        await self.inbox.record(approval, STATUS_AFTER[action], action, effect.payload, decision.feedback, actor,
                                before=effect.before, after=effect.after)
        # The manager's correction becomes an example for the next drafts (same transaction as the decision).
        await record_decision(self.session, approval, action, effect.before, effect.after, decision.feedback)
        return approval

    async def decide_many(self, organization_id: uuid.UUID | None, decisions: list[tuple[uuid.UUID, Decision]],
                          actor: Actor) -> list[BatchOutcome]:
        """Each decision in its own savepoint: one failure (409, 422) does not undo the others."""
        outcomes = []
        for approval_id, decision in decisions:
            try:
                async with self.session.begin_nested():
                    approval = await self.decide(organization_id, approval_id, decision, actor)
                outcomes.append(BatchOutcome(approval_id, approval, None))
            except DomainError as exc:
                outcomes.append(BatchOutcome(approval_id, None, exc))
        return outcomes

    async def sweep_due(self, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
        """Expire (the agent gets an ignore) or escalate (flagged, still pending) approvals past their time."""
        now = now or datetime.now(UTC)
        actions = get_settings().APPROVAL_EXPIRY_ACTION
        counts = {"expired": 0, "escalated": 0}
        for approval in await self.approvals.due(now, limit):
            if actions.get(str(approval.kind), "expire") == "escalate":
                approval.escalated_at = now
                await self.inbox.event(approval, "escalated", SYSTEM)
                counts["escalated"] += 1
                continue
            effect = await apply_effect(self.session, approval, Decision(action=EXPIRE))
            await self.inbox.record(approval, ApprovalStatus.expired, EXPIRE, effect.payload, None, SYSTEM)
            counts["expired"] += 1
        await self.session.flush()
        return counts


def _expired(approval: Approval, now: datetime) -> bool:
    if approval.expires_at is None or approval.expires_at > now:
        return False
    return get_settings().APPROVAL_EXPIRY_ACTION.get(str(approval.kind), "expire") == "expire"
