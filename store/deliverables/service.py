"""Deliverables: created with the contract's payments when it is approved; the creator submits (post URL and/or
content) once they have signed; a manager approves or requests changes. Approving a deliverable makes its milestone
payment due (a `payment` approval opens), and approving the last one makes the final payment due. Flushes only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound
from store.campaigns.repository import CampaignRepository
from store.contracts.notifications import queue_creator_message
from store.contracts.repository import ContractRepository
from store.deliverables.repository import DeliverableRepository
from store.models import Contract, Deliverable, DeliverableStatus, MessageChannel
from store.models.contract import SIGNED_STATUSES
from store.payments.service import ON_ALL_DELIVERABLES_APPROVED, ON_DELIVERABLE_APPROVED, PaymentService

SUBMITTABLE = (DeliverableStatus.pending, DeliverableStatus.changes_requested)


@dataclass(frozen=True)
class PlannedDeliverable:
    key: str
    description: str
    platform: str
    quantity: int
    due_date: date


@dataclass(frozen=True)
class Submission:
    post_url: str | None
    content: str | None


def deliverable_not_found() -> NotFound:
    return NotFound("Deliverable not found", code="deliverable_not_found")


class DeliverableService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.deliverables = DeliverableRepository(session)

    async def create_for_contract(self, contract: Contract, planned: list[PlannedDeliverable]) -> dict[str, uuid.UUID]:
        """The contract's deliverables (created once); their ids by key."""
        ids = {}
        for item in planned:
            row = await self.deliverables.insert_once({
                "organization_id": contract.organization_id, "campaign_id": contract.campaign_id,
                "contract_id": contract.id, "creator_id": contract.creator_id, "key": item.key,
                "description": item.description, "platform": item.platform, "quantity": item.quantity,
                "due_date": item.due_date})
            ids[item.key] = row.id
        return ids

    # ------------------------------------------------------------------ creator
    async def _creator_id(self, user_id: uuid.UUID) -> uuid.UUID | None:
        creator = await CampaignRepository(self.session).creator_of_user(user_id)
        return creator.id if creator else None

    async def for_creator_user(self, user_id: uuid.UUID, *, status: DeliverableStatus | None, limit: int,
                               offset: int) -> tuple[list[Deliverable], int]:
        creator_id = await self._creator_id(user_id)
        if creator_id is None:
            return [], 0
        return await self.deliverables.page(creator_id=creator_id, status=status, limit=limit, offset=offset)

    async def submit(self, user_id: uuid.UUID, deliverable_id: uuid.UUID, submission: Submission) -> Deliverable:
        if not (submission.post_url or (submission.content or "").strip()):
            raise InvalidInput("Send the post's URL, its content, or both", code="submission_empty")
        creator_id = await self._creator_id(user_id)
        deliverable = (await self.deliverables.get(deliverable_id, creator_id=creator_id, for_update=True)
                       if creator_id else None)
        if deliverable is None:
            raise deliverable_not_found()
        contract = await ContractRepository(self.session).get(deliverable.contract_id)
        if contract is None or contract.status not in SIGNED_STATUSES:
            raise Conflict("Deliverables can be submitted once you have signed the contract",
                           code="contract_not_signed")
        if deliverable.status not in SUBMITTABLE:
            message = ("This deliverable is waiting for review" if deliverable.status == DeliverableStatus.submitted
                       else "This deliverable has already been approved")
            raise Conflict(message, code="deliverable_not_open", details={"status": str(deliverable.status)})
        deliverable.post_url, deliverable.content = submission.post_url, submission.content
        deliverable.status, deliverable.submitted_at = DeliverableStatus.submitted, datetime.now(UTC)
        deliverable.submissions += 1
        await self.session.flush()
        return deliverable

    # ------------------------------------------------------------------ manager
    async def page(self, organization_id: uuid.UUID | None, *, campaign_id: uuid.UUID | None,
                   contract_id: uuid.UUID | None, status: DeliverableStatus | None, limit: int,
                   offset: int) -> tuple[list[Deliverable], int]:
        if organization_id is None:
            return [], 0
        return await self.deliverables.page(organization_id=organization_id, campaign_id=campaign_id,
                                            contract_id=contract_id, status=status, limit=limit, offset=offset)

    async def get(self, organization_id: uuid.UUID | None, deliverable_id: uuid.UUID) -> Deliverable:
        deliverable = (await self.deliverables.get(deliverable_id, organization_id=organization_id)
                       if organization_id else None)
        if deliverable is None:
            raise deliverable_not_found()
        return deliverable

    async def review(self, organization_id: uuid.UUID | None, deliverable_id: uuid.UUID, *, approve: bool,
                     feedback: str | None, reviewer_id: uuid.UUID) -> Deliverable:
        feedback = (feedback or "").strip() or None
        if not approve and feedback is None:
            raise InvalidInput("Say what should change: `feedback` is required to request changes",
                               code="feedback_required")
        deliverable = (await self.deliverables.get(deliverable_id, organization_id=organization_id, for_update=True)
                       if organization_id else None)
        if deliverable is None:
            raise deliverable_not_found()
        if deliverable.status != DeliverableStatus.submitted:
            raise Conflict(f"Only a submitted deliverable can be reviewed; this one is {deliverable.status}",
                           code="deliverable_not_submitted", details={"status": str(deliverable.status)})
        contract = await ContractRepository(self.session).get(deliverable.contract_id, for_update=True)
        assert contract is not None
        now = datetime.now(UTC)
        deliverable.reviewed_at, deliverable.reviewed_by_id, deliverable.review_feedback = now, reviewer_id, feedback
        if approve:
            deliverable.status, deliverable.approved_at = DeliverableStatus.approved, now
            await self.session.flush()
            await self._payments_due(contract, deliverable)
        else:
            deliverable.status = DeliverableStatus.changes_requested
            await self.session.flush()
            await self._tell_creator(contract, deliverable, feedback or "")
        return deliverable

    async def _payments_due(self, contract: Contract, deliverable: Deliverable) -> None:
        payments = PaymentService(self.session)
        await payments.make_due(contract, ON_DELIVERABLE_APPROVED, deliverable_id=deliverable.id)
        siblings = await self.deliverables.for_contract(contract.id)
        if all(item.status == DeliverableStatus.approved for item in siblings):
            await payments.make_due(contract, ON_ALL_DELIVERABLES_APPROVED)

    async def _tell_creator(self, contract: Contract, deliverable: Deliverable, feedback: str) -> None:
        creator = await CampaignRepository(self.session).creator(contract.creator_id)
        if creator is None or not creator.email:
            return
        await queue_creator_message(
            self.session, contract, channel=MessageChannel.email, to_address=creator.email,
            subject=f"Changes requested: {deliverable.description}",
            body_text=(f"Hi {creator.display_name},\n\nThanks for submitting \"{deliverable.description}\" "
                       f"(contract {contract.reference}). Before we can approve it, please make these changes:\n\n"
                       f"{feedback}\n\nThen submit it again. Thank you!"),
            idempotency_key=f"deliverable-review:{deliverable.id}:{deliverable.submissions}")
