"""All SQL for the do-not-contact list. Inserts are ON CONFLICT DO NOTHING on (channel, address, scope)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import BlockSource, Channel, DoNotContact


@cache
def _blocking(organization: bool) -> Any:
    """Built once per shape: every draft and send checks it."""
    scope: ColumnElement[bool] = DoNotContact.organization_id.is_(None)
    if organization:
        scope = or_(scope, DoNotContact.organization_id == bindparam("organization_id"))
    return (select(DoNotContact)
            .where(DoNotContact.channel == bindparam("channel"), DoNotContact.address == bindparam("address"), scope)
            .order_by(DoNotContact.created_at))


class DoNotContactRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert(self, *, channel: Channel, address: str, source: BlockSource, reason: str,
                     organization_id: uuid.UUID | None, creator_id: uuid.UUID | None,
                     created_by_user_id: uuid.UUID | None) -> DoNotContact | None:
        """The new row, or None when this address is already blocked in this scope (the row stays as it was)."""
        statement = (
            insert(DoNotContact)
            .values(id=uuid.uuid4(), channel=channel, address=address, source=source, reason=reason,
                    organization_id=organization_id, creator_id=creator_id, created_by_user_id=created_by_user_id)
            .on_conflict_do_nothing(constraint="uq_do_not_contact_channel_address_scope")
            .returning(DoNotContact)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def in_scope(self, channel: Channel, address: str, organization_id: uuid.UUID | None) -> DoNotContact | None:
        statement = select(DoNotContact).where(
            DoNotContact.channel == channel, DoNotContact.address == address,
            DoNotContact.organization_id.is_(None) if organization_id is None
            else DoNotContact.organization_id == organization_id)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def blocking(self, channel: Channel, address: str, organization_id: uuid.UUID | None) -> list[DoNotContact]:
        """Entries that stop a send to `address` on behalf of `organization_id`: global ones and the org's own."""
        parameters = {"channel": channel, "address": address, "organization_id": organization_id}
        return list((await self.session.execute(_blocking(organization_id is not None), parameters)).scalars())

    async def blocking_scopes(self, keys: Sequence[tuple[Channel, str]]) -> dict[tuple[Channel, str],
                                                                              set[uuid.UUID | None]]:
        """For each (channel, normalized address) on the list, the scopes it is blocked in (None: global) — one
        query for a batch of sends."""
        if not keys:
            return {}
        statement = (select(DoNotContact.channel, DoNotContact.address, DoNotContact.organization_id)
                     .where(tuple_(DoNotContact.channel, DoNotContact.address).in_(list(set(keys)))))
        scopes: dict[tuple[Channel, str], set[uuid.UUID | None]] = {}
        for channel, address, organization_id in (await self.session.execute(statement)).all():
            scopes.setdefault((Channel(channel), address), set()).add(organization_id)
        return scopes

    async def get(self, entry_id: uuid.UUID) -> DoNotContact | None:
        return await self.session.get(DoNotContact, entry_id)

    async def list_scope(self, organization_id: uuid.UUID | None, channel: Channel | None,
                         limit: int, offset: int) -> tuple[list[DoNotContact], int]:
        condition = (DoNotContact.organization_id.is_(None) if organization_id is None
                     else DoNotContact.organization_id == organization_id)
        if channel is not None:
            condition = condition & (DoNotContact.channel == channel)
        rows = await self.session.execute(
            select(DoNotContact).where(condition).order_by(DoNotContact.created_at.desc(), DoNotContact.id)
            .limit(limit).offset(offset))
        total = await self.session.execute(select(func.count()).select_from(DoNotContact).where(condition))
        return list(rows.scalars()), int(total.scalar_one())

    async def delete(self, entry_id: uuid.UUID) -> None:
        await self.session.execute(delete(DoNotContact).where(DoNotContact.id == entry_id))
