"""Which creators an organization may see and contact — the one rule every path that takes a creator id uses.

An organization sees the shared directory (registered and seeded creators, `imported_by_organization_id IS
NULL`) plus the prospects it imported itself; another organization's prospects do not exist for it. Invites,
shortlist edits, do-not-contact entries, search, profiles and agent runs all ask here. An unknown id and an
invisible one give the same 404 (`creator_not_found`, same message), so a caller cannot probe for ids.
`organization_id=None` with `everything=True` is the admin's or the system's view (STOP replies, unsubscribes).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from store.models import Creator


def visible_to(organization_id: uuid.UUID | None, *, everything: bool = False) -> ColumnElement[bool]:
    """The shared directory plus this organization's own prospects (admins: everything)."""
    if everything:
        return Creator.id.is_not(None)
    if organization_id is None:
        return Creator.imported_by_organization_id.is_(None)
    return or_(Creator.imported_by_organization_id.is_(None), Creator.imported_by_organization_id == organization_id)


def visible_sql(organization_id: uuid.UUID | None, params: dict[str, Any], column: str = "imported_by_organization_id"
                ) -> str:
    """The same rule as literal SQL for hand-written queries (search); binds `:f_org` into `params`."""
    if organization_id is None:
        return f"{column} IS NULL"
    params["f_org"] = organization_id
    return f"({column} IS NULL OR {column} = :f_org)"


def is_visible(creator: Creator, organization_id: uuid.UUID | None) -> bool:
    """The rule for a creator already loaded."""
    return creator.imported_by_organization_id is None or creator.imported_by_organization_id == organization_id


def creator_not_found() -> NotFound:
    """The one answer for an unknown or invisible creator id."""
    return NotFound("Creator not found", code="creator_not_found")


async def visible_creator(session: AsyncSession, organization_id: uuid.UUID | None,
                          creator_id: uuid.UUID) -> Creator:
    """The creator, if this organization may see and contact them; else the 404 an unknown id gets."""
    statement = select(Creator).where(Creator.id == creator_id, visible_to(organization_id))
    creator = (await session.execute(statement)).scalar_one_or_none()
    if creator is None:
        raise creator_not_found()
    return creator


async def visible_creators(session: AsyncSession, organization_id: uuid.UUID | None,
                           creator_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Creator]:
    """Those of `creator_ids` this organization may see (the others are simply absent)."""
    if not creator_ids:
        return {}
    statement = select(Creator).where(Creator.id.in_(list(creator_ids)), visible_to(organization_id))
    return {creator.id: creator for creator in (await session.execute(statement)).scalars()}
