"""All SQL for contracts, their signatures, and the negotiation records contracts are generated from."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, String, cast, exists, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import (
    AgentRun,
    Contract,
    ContractSignature,
    ContractStatus,
    Negotiation,
    NegotiationStatus,
    SignerRole,
)

CONTRACT_RUN_PREFIX = "contract:"  # agent_runs.idempotency_key of a negotiation's contract run


class ContractRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------- contracts
    async def insert_once(self, values: dict[str, Any]) -> Contract:
        """The contract of this negotiation, created unless it exists (concurrent callers get the same row)."""
        statement = (insert(Contract).values(id=uuid.uuid4(), status=ContractStatus.pending_approval, **values)
                     .on_conflict_do_nothing(index_elements=[Contract.negotiation_id]))
        await self.session.execute(statement)
        found = await self.by_negotiation(values["negotiation_id"])
        assert found is not None
        return found

    async def get(self, contract_id: uuid.UUID, organization_id: uuid.UUID | None = None, *,
                  for_update: bool = False) -> Contract | None:
        """By id; with `organization_id`, only that tenant's. `for_update` locks the row and reloads it."""
        statement = select(Contract).where(Contract.id == contract_id)
        if organization_id is not None:
            statement = statement.where(Contract.organization_id == organization_id)
        if for_update:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def by_negotiation(self, negotiation_id: uuid.UUID) -> Contract | None:
        statement = select(Contract).where(Contract.negotiation_id == negotiation_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def latest_for(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> Contract | None:
        statement = (select(Contract).where(Contract.campaign_id == campaign_id, Contract.creator_id == creator_id)
                     .order_by(Contract.created_at.desc()).limit(1))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def page(self, organization_id: uuid.UUID | None, *, campaign_id: uuid.UUID | None,
                   creator_id: uuid.UUID | None, status: ContractStatus | None, limit: int,
                   offset: int) -> tuple[list[Contract], int]:
        statement: Select[Any] = select(Contract).where(Contract.organization_id == organization_id)
        if campaign_id is not None:
            statement = statement.where(Contract.campaign_id == campaign_id)
        if creator_id is not None:
            statement = statement.where(Contract.creator_id == creator_id)
        if status is not None:
            statement = statement.where(Contract.status == status)
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        rows = await self.session.execute(statement.order_by(Contract.created_at.desc(), Contract.id)
                                          .limit(limit).offset(offset))
        return list(rows.scalars()), int(total)

    # ------------------------------------------------------------- signatures
    async def add_signature(self, signature: ContractSignature) -> ContractSignature:
        self.session.add(signature)
        await self.session.flush()
        return signature

    async def signatures(self, contract_id: uuid.UUID) -> list[ContractSignature]:
        statement = (select(ContractSignature).where(ContractSignature.contract_id == contract_id)
                     .order_by(ContractSignature.signed_at))
        return list((await self.session.execute(statement)).scalars())

    async def signature(self, contract_id: uuid.UUID, role: SignerRole) -> ContractSignature | None:
        statement = select(ContractSignature).where(ContractSignature.contract_id == contract_id,
                                                    ContractSignature.role == role)
        return (await self.session.execute(statement)).scalar_one_or_none()

    # ------------------------------------------------------------- negotiation records (read, and marked contracted)
    async def negotiation(self, negotiation_id: uuid.UUID, *, for_update: bool = False) -> Negotiation | None:
        statement = select(Negotiation).where(Negotiation.id == negotiation_id)
        if for_update:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def agreed_without_contract_run(self, limit: int) -> list[uuid.UUID]:
        """Agreed negotiations no contract run was started for (whoever set them agreed, however)."""
        run_key = literal(CONTRACT_RUN_PREFIX) + cast(Negotiation.id, String)
        has_run = exists().where(AgentRun.idempotency_key == run_key)
        statement = (select(Negotiation.id).where(Negotiation.status == NegotiationStatus.agreed, ~has_run)
                     .order_by(Negotiation.agreed_at.nulls_last(), Negotiation.created_at).limit(limit))
        return list((await self.session.execute(statement)).scalars())
