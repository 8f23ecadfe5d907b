"""All SQL for approvals and their append-only event log (the inbox list, built for speed, is `listing.py`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from store.driver import fetchrow_in_transaction, load_in_transaction
from store.inserts import insert_once_statement
from store.models import Approval, ApprovalEvent, ApprovalStatus
from store.outbox.repository import enqueue_statement


@cache
def _get_statement(of_tenant: bool, for_update: bool) -> Select[Approval]:
    """Built once per shape: `get` runs on every decision, and assembling the expression costs more than the
    execution's own Python work."""
    statement = select(Approval).where(Approval.id == bindparam("approval_id"))
    if of_tenant:
        statement = statement.where(Approval.organization_id == bindparam("organization_id"))
    return statement.with_for_update() if for_update else statement


ANSWER_FIELDS = ("status", "decision", "decided_by_id", "decided_at")
EVENT_FIELDS = ("event", "actor_type", "actor_user_id", "before", "after", "feedback")


@cache
def _record_statement(with_job: bool) -> Select[tuple[datetime]]:
    """`record_answer`'s statement, built once per shape."""
    # Parameter names are no column's: UPDATE and INSERT take execution parameters named like a column as values.
    approvals, events = cast(Table, Approval.__table__), cast(Table, ApprovalEvent.__table__)
    decided = (update(approvals).where(approvals.c.id == bindparam("answer_approval_id"))
               .values({name: bindparam(f"answer_{name}") for name in ANSWER_FIELDS} | {"updated_at": func.now()})
               .returning(approvals.c.updated_at).cte("decided"))
    logged = insert(events).values(
        {"id": bindparam("event_id"), "approval_id": bindparam("answer_approval_id"),
         "organization_id": bindparam("event_organization_id")}
        | {name: bindparam(f"event_{name}") for name in EVENT_FIELDS}).cte("logged")
    statement = select(decided.c.updated_at).add_cte(logged)
    return statement.add_cte(enqueue_statement().cte("queued")) if with_job else statement


@cache
def _for_run_action() -> Any:
    return select(Approval).where(Approval.run_id == bindparam("run_id"), Approval.action_id == bindparam("action_id"))


@cache
def _insert_event() -> Any:
    return insert(ApprovalEvent.__table__)  # type: ignore[arg-type]  # the parameters name the columns


class ApprovalRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, Any]) -> tuple[Approval, bool]:
        """Insert unless (run_id, action_id) exists; return the approval and whether it is new. A new approval
        comes back from the insert itself (one round trip); only a repeat reads the existing row."""
        row = {"id": uuid.uuid4(), "status": ApprovalStatus.pending, **values}
        statement = insert_once_statement(Approval, tuple(sorted(set(row) - {"id"})), ("run_id", "action_id"))
        created = (await self.session.execute(statement, row)).scalar_one_or_none()
        if created is not None:
            return created, True
        found = (await self.session.execute(_for_run_action(), {"run_id": values["run_id"],
                                                                 "action_id": values["action_id"]})).scalar_one()
        return found, False

    async def get(self, approval_id: uuid.UUID, organization_id: uuid.UUID | None = None, *,
                  for_update: bool = False) -> Approval | None:
        """By id; with `organization_id`, only that tenant's (None otherwise)."""
        statement = _get_statement(organization_id is not None, for_update)
        parameters = {"approval_id": approval_id, "organization_id": organization_id}
        if for_update:
            return await load_in_transaction(self.session, Approval, statement, parameters)
        return (await self.session.execute(statement, parameters)).scalar_one_or_none()

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
        parameters = {"run_id": run_id, "action_id": action_id}
        return (await self.session.execute(_for_run_action(), parameters)).scalar_one_or_none()

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

    async def record_answer(self, approval: Approval, answer: dict[str, Any], event: dict[str, Any],
                            job: dict[str, Any] | None = None) -> None:
        """Write `answer` (`ANSWER_FIELDS`) on the approval, its audit event (`EVENT_FIELDS`) and, when given, its
        job's outbox row (`store.outbox.repository.enqueue_parameters`) in one statement — data-modifying CTEs, one
        round trip instead of three, in the caller's transaction like the rest of the decision. `approval` then
        shows the written values as its committed state, so the ORM does not write them again."""
        parameters = ({"answer_approval_id": approval.id, "event_organization_id": approval.organization_id,
                       "event_id": uuid.uuid4()} | {f"answer_{name}": value for name, value in answer.items()}
                      | {f"event_{name}": value for name, value in event.items()} | (job or {}))
        row = await fetchrow_in_transaction(self.session, _record_statement(job is not None), parameters)
        assert row is not None
        updated_at = row[0]
        for name, value in (answer | {"updated_at": updated_at}).items():
            set_committed_value(approval, name, value)

    async def add_event(self, event: ApprovalEvent) -> None:
        """One INSERT built once (every approval the agents open writes its `created` event): not through the
        session's unit of work, whose flush of a new object costs several times the statement."""
        await self.session.execute(_insert_event(), {
            "id": event.id or uuid.uuid4(), "approval_id": event.approval_id, "organization_id": event.organization_id,
            "event": event.event, "actor_type": event.actor_type, "actor_user_id": event.actor_user_id,
            "before": event.before, "after": event.after, "feedback": event.feedback})

    async def events(self, approval_id: uuid.UUID) -> list[ApprovalEvent]:
        statement = (select(ApprovalEvent).where(ApprovalEvent.approval_id == approval_id)
                     .order_by(ApprovalEvent.created_at, ApprovalEvent.id))
        return list((await self.session.execute(statement)).scalars())
