"""The approval inbox: opening approvals for agent interrupts, recording an answer (with its audit event and the
`agents.resume` outbox row), cancelling, reading. Deciding and expiring, which run each kind's effect, are in
`deciding.py`: domain services that open approvals (payments) import this module, not the effects. Flushes only;
the caller's unit of work commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.settings import get_settings
from store.approvals.listing import inbox_page
from store.approvals.paging import InboxCursor, InboxPage
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
    Message,
    MessageStatus,
)
from store.outbox.repository import enqueue_parameters


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


class ApprovalService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.approvals = ApprovalRepository(session)

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
            await self.event(approval, "created", SYSTEM)
            if new.draft is not None and new.creator_id is not None:
                conversations = ConversationService(self.session)
                conversation = await conversations.open(new.run.organization_id, new.run.campaign_id,
                                                        new.creator_id)
                await conversations.add_outbound(conversation, new.draft, status=MessageStatus.draft,
                                                 idempotency_key=f"draft:{approval.id}", approval_id=approval.id)
        return approval, created

    async def record(self, approval: Approval, status: ApprovalStatus, action: str,
                      payload: dict[str, Any] | None, feedback: str | None, actor: Actor, *,
                      before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                      resume: bool = True) -> None:
        """The answer, its audit event and (with `resume`) the `agents.resume` outbox row: one statement."""
        now = datetime.now(UTC)
        answer = {"status": status, "decided_by_id": actor.user_id, "decided_at": now,
                  "decision": {"action": action, "payload": payload, "feedback": feedback, "actor": actor.as_json(),
                               "decided_at": now.isoformat()}}
        event = {"event": str(status), "actor_type": actor.type, "actor_user_id": actor.user_id, "before": before,
                 "after": after, "feedback": feedback}
        job = (enqueue_parameters(AGENTS_RESUME, AgentResume(run_id=approval.run_id, approval_id=approval.id),
                                  f"resume:{approval.id}") if resume else None)
        await self.approvals.record_answer(approval, answer, event, job)

    async def event(self, approval: Approval, event: str, actor: Actor, *, before: dict[str, Any] | None = None,
                     after: dict[str, Any] | None = None, feedback: str | None = None) -> None:
        await self.approvals.add_event(ApprovalEvent(
            approval_id=approval.id, organization_id=approval.organization_id, event=event, actor_type=actor.type,
            actor_user_id=actor.user_id, before=before, after=after, feedback=feedback))

    # ------------------------------------------------------------------ cancellation
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
            await self.record(approval, ApprovalStatus.cancelled, "cancel", None, reason, SYSTEM, resume=False)
        return approvals

    async def for_run_action(self, run_id: uuid.UUID, action_id: str) -> Approval | None:
        return await self.approvals.for_run_action(run_id, action_id)

    # ------------------------------------------------------------------ reading
    async def page(self, organization_id: uuid.UUID | None, *, status: ApprovalStatus | None,
                   campaign_id: uuid.UUID | None, kind: ApprovalKind | None, limit: int, offset: int,
                   cursor: str | None = None) -> InboxPage[dict[str, Any]]:
        return await inbox_page(self.session, organization_id, status=status, campaign_id=campaign_id, kind=kind,
                                limit=limit, offset=offset, cursor=InboxCursor.decode(cursor) if cursor else None,
                                exact_total_max=get_settings().APPROVALS_EXACT_TOTAL_MAX)

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
