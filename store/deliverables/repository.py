"""All SQL for deliverables."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Deliverable, DeliverableStatus


class DeliverableRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_once(self, values: dict[str, Any]) -> Deliverable:
        statement = (insert(Deliverable).values(id=uuid.uuid4(), status=DeliverableStatus.pending, submissions=0,
                                                **values)
                     .on_conflict_do_nothing(index_elements=[Deliverable.contract_id, Deliverable.key]))
        await self.session.execute(statement)
        statement_found = select(Deliverable).where(Deliverable.contract_id == values["contract_id"],
                                                    Deliverable.key == values["key"])
        return (await self.session.execute(statement_found)).scalar_one()

    async def get(self, deliverable_id: uuid.UUID, *, organization_id: uuid.UUID | None = None,
                  creator_id: uuid.UUID | None = None, for_update: bool = False) -> Deliverable | None:
        statement = select(Deliverable).where(Deliverable.id == deliverable_id)
        if organization_id is not None:
            statement = statement.where(Deliverable.organization_id == organization_id)
        if creator_id is not None:
            statement = statement.where(Deliverable.creator_id == creator_id)
        if for_update:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def for_contract(self, contract_id: uuid.UUID) -> list[Deliverable]:
        statement = select(Deliverable).where(Deliverable.contract_id == contract_id).order_by(Deliverable.due_date,
                                                                                               Deliverable.key)
        return list((await self.session.execute(statement)).scalars())

    async def page(self, *, organization_id: uuid.UUID | None = None, creator_id: uuid.UUID | None = None,
                   campaign_id: uuid.UUID | None = None, contract_id: uuid.UUID | None = None,
                   status: DeliverableStatus | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[Deliverable], int]:
        """Either one organization's or one creator's deliverables (the caller passes one of them)."""
        statement: Select[Any] = select(Deliverable)
        for column, value in ((Deliverable.organization_id, organization_id), (Deliverable.creator_id, creator_id),
                              (Deliverable.campaign_id, campaign_id), (Deliverable.contract_id, contract_id),
                              (Deliverable.status, status)):
            if value is not None:
                statement = statement.where(column == value)
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        rows = await self.session.execute(statement.order_by(Deliverable.due_date, Deliverable.key, Deliverable.id)
                                          .limit(limit).offset(offset))
        return list(rows.scalars()), int(total)
