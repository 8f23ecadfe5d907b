"""All SQL for idempotency keys.

`acquire` is one INSERT ... ON CONFLICT DO UPDATE ... WHERE: it creates the key, or takes over a key whose record
expired, or takes over an in-progress key whose lease ran out for the *same* request (a crashed attempt); in every
other case it returns nothing and the caller reads the row to learn why.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import IdempotencyKey, IdempotencyStatus


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def acquire(self, scope: str, key: str, request_fingerprint: str, locked_until: datetime,
                      expires_at: datetime) -> IdempotencyKey | None:
        table = IdempotencyKey.__table__
        values = insert(IdempotencyKey).values(
            id=uuid.uuid4(), scope=scope, key=key, request_fingerprint=request_fingerprint,
            status=IdempotencyStatus.in_progress, locked_until=locked_until, expires_at=expires_at)
        taken_over = or_(
            table.c.expires_at <= func.now(),
            and_(table.c.status == IdempotencyStatus.in_progress, table.c.locked_until <= func.now(),
                 table.c.request_fingerprint == values.excluded.request_fingerprint),
        )
        statement = values.on_conflict_do_update(
            constraint="uq_idempotency_keys_scope_key",
            set_={"request_fingerprint": values.excluded.request_fingerprint,
                  "status": IdempotencyStatus.in_progress, "response_status": None, "response_body": None,
                  "locked_until": values.excluded.locked_until, "expires_at": values.excluded.expires_at,
                  "created_at": func.now(), "completed_at": None},
            where=taken_over,
        ).returning(IdempotencyKey).execution_options(populate_existing=True)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get(self, scope: str, key: str) -> IdempotencyKey | None:
        statement = (select(IdempotencyKey).where(IdempotencyKey.scope == scope, IdempotencyKey.key == key)
                     .execution_options(populate_existing=True))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def complete(self, record_id: uuid.UUID, locked_until: datetime, response_status: int,
                       response_body: Any) -> bool:
        """Store the response; False when this attempt no longer holds the lease (another attempt took over)."""
        statement = (
            update(IdempotencyKey)
            .where(IdempotencyKey.id == record_id, IdempotencyKey.status == IdempotencyStatus.in_progress,
                   IdempotencyKey.locked_until == locked_until)
            .values(status=IdempotencyStatus.completed, response_status=response_status,
                    response_body=response_body, locked_until=None, completed_at=func.now())
            .returning(IdempotencyKey.id)
        )
        return (await self.session.execute(statement)).scalar_one_or_none() is not None

    async def release(self, record_id: uuid.UUID, locked_until: datetime) -> None:
        """Forget an attempt that stored no response, so the client can retry with the same key at once."""
        await self.session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.id == record_id,
                                         IdempotencyKey.status == IdempotencyStatus.in_progress,
                                         IdempotencyKey.locked_until == locked_until))

    async def purge_expired(self) -> int:
        result = await self.session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= func.now()))
        return int(result.rowcount)  # type: ignore[attr-defined]
