"""All SQL for approvals and their append-only event log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.approvals.paging import InboxCursor, InboxPage
from store.models import Approval, ApprovalEvent, ApprovalKind, ApprovalStatus


class ApprovalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, Any]) -> tuple[Approval, bool]:
        """Insert unless (run_id, action_id) exists; return the approval and whether it is new."""
        statement = (insert(Approval).values(id=uuid.uuid4(), status=ApprovalStatus.pending, **values)
                     .on_conflict_do_nothing(index_elements=[Approval.run_id, Approval.action_id])
                     .returning(Approval.id))
        new_id = (await self.session.execute(statement)).scalar_one_or_none()
        found = (await self.session.execute(
            select(Approval).where(Approval.run_id == values["run_id"], Approval.action_id == values["action_id"])
        )).scalar_one()
        return found, new_id is not None

    async def get(self, approval_id: uuid.UUID, organization_id: uuid.UUID | None = None, *,
                  for_update: bool = False) -> Approval | None:
        """By id; with `organization_id`, only that tenant's (None otherwise)."""
        statement = select(Approval).where(Approval.id == approval_id)
        if organization_id is not None:
            statement = statement.where(Approval.organization_id == organization_id)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def page(self, organization_id: uuid.UUID | None, *, status: ApprovalStatus | None,
                   campaign_id: uuid.UUID | None, kind: ApprovalKind | None, limit: int, offset: int,
                   cursor: InboxCursor | None = None, exact_total_max: int = 10_000) -> InboxPage[Approval]:
        """One page in (created_at, id) order, after `cursor` when given (else at `offset`). The filters and the
        sort match `ix_approvals_inbox[_campaign]`, so page and count are index scans. The total is counted up
        to `exact_total_max` rows; past that the planner's row estimate stands in (an exact count of 100k rows
        costs more than the page)."""
        statement: Select[Any] = select(Approval).where(Approval.organization_id == organization_id)
        if status is not None:
            statement = statement.where(Approval.status == status)
        if campaign_id is not None:
            statement = statement.where(Approval.campaign_id == campaign_id)
        if kind is not None:
            statement = statement.where(Approval.kind == kind)
        total, estimated = await self._total(statement, exact_total_max)
        ordered = statement.order_by(Approval.created_at, Approval.id).limit(limit)
        if cursor is not None:
            ordered = ordered.where(tuple_(Approval.created_at, Approval.id) > tuple_(cursor.created_at, cursor.id))
        else:
            ordered = ordered.offset(offset)
        items = list((await self.session.execute(ordered)).scalars())
        next_cursor = InboxCursor(items[-1].created_at, items[-1].id).encode() if len(items) == limit else None
        return InboxPage(items, total, estimated, next_cursor)

    async def _total(self, statement: Select[Any], exact_max: int) -> tuple[int, bool]:
        capped = statement.with_only_columns(literal(1)).limit(exact_max + 1).subquery()
        counted = int((await self.session.execute(select(func.count()).select_from(capped))).scalar_one())
        if counted <= exact_max:
            return counted, False
        compiled = statement.with_only_columns(literal(1)).compile(
            dialect=self.session.bind.dialect, compile_kwargs={"literal_binds": True})
        plan = (await self.session.execute(text(f"EXPLAIN (FORMAT JSON) {compiled}"))).scalar_one()
        return max(int(plan[0]["Plan"]["Plan Rows"]), counted), True

    async def pending_for_campaign(self, campaign_id: uuid.UUID) -> list[Approval]:
        return await self._pending(Approval.campaign_id == campaign_id)

    async def pending_for_run(self, run_id: uuid.UUID) -> list[Approval]:
        return await self._pending(Approval.run_id == run_id)

    async def pending_for_creator(self, creator_id: uuid.UUID) -> list[Approval]:
        return await self._pending(Approval.creator_id == creator_id)

    async def _pending(self, condition: ColumnElement[bool]) -> list[Approval]:
        statement = (select(Approval).where(condition, Approval.status == ApprovalStatus.pending)
                     .order_by(Approval.created_at).with_for_update())
        return list((await self.session.execute(statement)).scalars())

    async def for_run_action(self, run_id: uuid.UUID, action_id: str) -> Approval | None:
        statement = select(Approval).where(Approval.run_id == run_id, Approval.action_id == action_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def due(self, now: datetime, limit: int) -> list[Approval]:
        """Pending approvals past their expiry that no sweep has handled yet (escalated ones stay pending)."""
        statement = (select(Approval)
                     .where(Approval.status == ApprovalStatus.pending, Approval.expires_at <= now,
                            Approval.escalated_at.is_(None))
                     .order_by(Approval.expires_at).limit(limit).with_for_update(skip_locked=True))
        return list((await self.session.execute(statement)).scalars())

    async def count_pending(self) -> int:
        statement = select(func.count()).select_from(Approval).where(Approval.status == ApprovalStatus.pending)
        return int((await self.session.execute(statement)).scalar_one())

    async def add_event(self, event: ApprovalEvent) -> None:
        self.session.add(event)
        await self.session.flush()

    async def events(self, approval_id: uuid.UUID) -> list[ApprovalEvent]:
        statement = (select(ApprovalEvent).where(ApprovalEvent.approval_id == approval_id)
                     .order_by(ApprovalEvent.created_at, ApprovalEvent.id))
        return list((await self.session.execute(statement)).scalars())
