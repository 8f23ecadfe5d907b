"""The approval inbox: opening approvals for agent interrupts, recording decisions, expiry and escalation.

A decision is one transaction: the approval's status and decision, its kind's effect (`effects.py`: e.g. the
message queued with its send job), an audit event, and the `agents.resume` outbox row that lets a worker
resume the run. A second answer to the same approval is a 409 (`approval_already_decided`), so nothing happens
twice. Flushes only; the caller's unit of work commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, DomainError, InvalidInput, NotFound
from core.settings import get_settings
from store.approvals.effects import Decision, apply_effect
from store.approvals.repository import ApprovalRepository
from store.campaigns.repository import CampaignRepository
from store.conversations.service import ConversationService, OutboundText
from store.jobs import AGENTS_RESUME, AgentResume
from store.models import (
    ActorType,
    AgentRun,
    Approval,
    ApprovalEvent,
    ApprovalKind,
    ApprovalStatus,
    Campaign,
    Creator,
    DecisionAction,
    Message,
    MessageStatus,
)
from store.outbox.repository import OutboxRepository

STATUS_AFTER = {
    DecisionAction.approve: ApprovalStatus.approved,
    DecisionAction.edit: ApprovalStatus.edited,
    DecisionAction.reject: ApprovalStatus.rejected,
    DecisionAction.respond: ApprovalStatus.responded,
}
# Which Agent Inbox permission each of our actions needs.
PERMISSION = {
    DecisionAction.approve: "allow_accept",
    DecisionAction.edit: "allow_edit",
    DecisionAction.reject: "allow_ignore",
    DecisionAction.respond: "allow_respond",
}


@dataclass(frozen=True)
class Actor:
    type: ActorType
    user_id: uuid.UUID | None = None
    label: str | None = None  # the rule's name for automatic decisions

    @classmethod
    def user(cls, user_id: uuid.UUID) -> Actor:
        return cls(ActorType.user, user_id)

    def as_json(self) -> dict[str, Any]:
        return {"type": str(self.type), "user_id": str(self.user_id) if self.user_id else None,
                "label": self.label}


SYSTEM = Actor(ActorType.system)


@dataclass(frozen=True)
class NewApproval:
    run: AgentRun
    kind: ApprovalKind
    action_id: str
    request: dict[str, Any]  # the interrupt payload (Agent Inbox shape + our fields)
    creator_id: uuid.UUID | None = None
    reasoning: str = ""
    model: str | None = None
    prompt_version: str | None = None
    draft: OutboundText | None = None  # message approvals: the draft to hold until the decision


@dataclass(frozen=True)
class ApprovalDetail:
    approval: Approval
    campaign: Campaign | None
    creator: Creator | None
    draft: Message | None
    thread: list[Message]
    events: list[ApprovalEvent]


@dataclass(frozen=True)
class BatchOutcome:
    approval_id: uuid.UUID
    approval: Approval | None
    error: DomainError | None


class ApprovalService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.approvals = ApprovalRepository(session)
        self.outbox = OutboxRepository(session)

    # ------------------------------------------------------------------ opening (agent runs)
    async def open(self, new: NewApproval) -> tuple[Approval, bool]:
        """Open the approval for one interrupt once; a message approval also holds its draft."""
        hours = get_settings().APPROVAL_EXPIRY_HOURS.get(str(new.kind))
        approval, created = await self.approvals.insert_once({
            "organization_id": new.run.organization_id, "campaign_id": new.run.campaign_id, "run_id": new.run.id,
            "action_id": new.action_id, "kind": new.kind, "creator_id": new.creator_id, "request": new.request,
            "reasoning": new.reasoning, "model": new.model, "prompt_version": new.prompt_version,
            "expires_at": datetime.now(UTC) + timedelta(hours=hours) if hours else None,
        })
        if created:
            await self._event(approval, "created", SYSTEM)
            if new.draft is not None and new.creator_id is not None:
                conversations = ConversationService(self.session)
                conversation = await conversations.open(new.run.organization_id, new.run.campaign_id,
                                                        new.creator_id)
                await conversations.add_outbound(conversation, new.draft, status=MessageStatus.draft,
                                                 idempotency_key=f"draft:{approval.id}", approval_id=approval.id)
        return approval, created

    # ------------------------------------------------------------------ deciding
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
        effect = await apply_effect(self.session, approval, decision)
        await self._record(approval, STATUS_AFTER[action], action, effect.payload, decision.feedback, actor,
                           before=effect.before, after=effect.after)
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

    async def _record(self, approval: Approval, status: ApprovalStatus, action: str,
                      payload: dict[str, Any] | None, feedback: str | None, actor: Actor, *,
                      before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                      resume: bool = True) -> None:
        now = datetime.now(UTC)
        approval.status = status
        approval.decision = {"action": action, "payload": payload, "feedback": feedback, "actor": actor.as_json(),
                             "decided_at": now.isoformat()}
        approval.decided_by_id = actor.user_id
        approval.decided_at = now
        await self._event(approval, str(status), actor, before=before, after=after, feedback=feedback)
        if resume:
            await self.outbox.enqueue(AGENTS_RESUME, AgentResume(run_id=approval.run_id, approval_id=approval.id),
                                      f"resume:{approval.id}")
        await self.session.flush()

    async def _event(self, approval: Approval, event: str, actor: Actor, *, before: dict[str, Any] | None = None,
                     after: dict[str, Any] | None = None, feedback: str | None = None) -> None:
        await self.approvals.add_event(ApprovalEvent(
            approval_id=approval.id, organization_id=approval.organization_id, event=event, actor_type=actor.type,
            actor_user_id=actor.user_id, before=before, after=after, feedback=feedback))

    # ------------------------------------------------------------------ expiry, escalation, cancellation
    async def sweep_due(self, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
        """Expire (the agent gets an ignore) or escalate (flagged, still pending) approvals past their time."""
        now = now or datetime.now(UTC)
        actions = get_settings().APPROVAL_EXPIRY_ACTION
        counts = {"expired": 0, "escalated": 0}
        for approval in await self.approvals.due(now, limit):
            if actions.get(str(approval.kind), "expire") == "escalate":
                approval.escalated_at = now
                await self._event(approval, "escalated", SYSTEM)
                counts["escalated"] += 1
                continue
            expiry = Decision(action="expire")
            effect = await apply_effect(self.session, approval, expiry)
            await self._record(approval, ApprovalStatus.expired, "expire", effect.payload, None, SYSTEM)
            counts["expired"] += 1
        await self.session.flush()
        return counts

    async def cancel_pending_for_campaign(self, campaign_id: uuid.UUID, reason: str) -> None:
        await self._cancel(await self.approvals.pending_for_campaign(campaign_id), reason)

    async def cancel_pending_for_run(self, run_id: uuid.UUID, reason: str) -> list[Approval]:
        """A newer turn of the run supersedes what is waiting (e.g. the creator wrote again)."""
        return await self._cancel(await self.approvals.pending_for_run(run_id), reason)

    async def cancel_pending_for_creator(self, creator_id: uuid.UUID, reason: str) -> list[Approval]:
        """The creator opted out: nothing drafted for them may still be approved and sent."""
        return await self._cancel(await self.approvals.pending_for_creator(creator_id), reason)

    async def _cancel(self, approvals: list[Approval], reason: str) -> list[Approval]:
        """Cancelled with their drafts discarded, without resuming the agent (the caller decides what it learns)."""
        conversations = ConversationService(self.session)
        for approval in approvals:
            draft = await conversations.message_for_approval(approval.id, for_update=True)
            if draft is not None and draft.status == MessageStatus.draft:
                await conversations.discard(draft)
            await self._record(approval, ApprovalStatus.cancelled, "cancel", None, reason, SYSTEM, resume=False)
        return approvals

    async def for_run_action(self, run_id: uuid.UUID, action_id: str) -> Approval | None:
        return await self.approvals.for_run_action(run_id, action_id)

    # ------------------------------------------------------------------ reading
    async def page(self, organization_id: uuid.UUID | None, *, status: ApprovalStatus | None,
                   campaign_id: uuid.UUID | None, kind: ApprovalKind | None, limit: int,
                   offset: int) -> tuple[list[Approval], int]:
        return await self.approvals.page(organization_id, status=status, campaign_id=campaign_id, kind=kind,
                                         limit=limit, offset=offset)

    async def detail(self, organization_id: uuid.UUID | None, approval_id: uuid.UUID) -> ApprovalDetail:
        approval = await self.approvals.get(approval_id, organization_id)
        if approval is None or organization_id is None:
            raise NotFound("Approval not found", code="approval_not_found")
        campaigns = CampaignRepository(self.session)
        conversations = ConversationService(self.session)
        creator = await campaigns.creator(approval.creator_id) if approval.creator_id else None
        thread = (await conversations.thread_for(approval.campaign_id, approval.creator_id)
                  if approval.creator_id else [])
        return ApprovalDetail(
            approval=approval, campaign=await campaigns.get(organization_id, approval.campaign_id),
            creator=creator, draft=await conversations.message_for_approval(approval.id), thread=thread,
            events=await self.approvals.events(approval.id))

    async def get_for_run(self, approval_id: uuid.UUID) -> Approval | None:
        """For the worker resuming a run: the tenant is the run's, checked by the caller."""
        return await self.approvals.get(approval_id)

    async def count_pending(self) -> int:
        return await self.approvals.count_pending()


def _expired(approval: Approval, now: datetime) -> bool:
    if approval.expires_at is None or approval.expires_at > now:
        return False
    return get_settings().APPROVAL_EXPIRY_ACTION.get(str(approval.kind), "expire") == "expire"
