"""All SQL for signing tokens. `claim` is one UPDATE ... RETURNING, so of two concurrent claims of the same
token exactly one wins, and an expired, used or revoked token is never claimed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import SigningToken


class SigningTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: SigningToken) -> SigningToken:
        self.session.add(token)
        await self.session.flush()
        return token

    async def get_by_hash(self, token_hash: str) -> SigningToken | None:
        # populate_existing: after a lost claim race the row in this session's identity map is stale
        statement = (select(SigningToken).where(SigningToken.token_hash == token_hash)
                     .execution_options(populate_existing=True))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def claim(self, token_hash: str, subject_type: str, subject_id: uuid.UUID, document_sha256: str | None,
                    now: datetime | None = None) -> SigningToken | None:
        """Mark the token used if it is unused, unrevoked, unexpired, for this subject and (when it is bound to a
        document) for this document version; None otherwise."""
        moment: datetime | ColumnElement[datetime] = now if now is not None else func.now()
        statement = (
            update(SigningToken)
            .where(
                SigningToken.token_hash == token_hash,
                SigningToken.subject_type == subject_type,
                SigningToken.subject_id == subject_id,
                SigningToken.used_at.is_(None),
                SigningToken.revoked_at.is_(None),
                SigningToken.expires_at > moment,
                or_(SigningToken.document_sha256.is_(None), SigningToken.document_sha256 == document_sha256),
            )
            .values(used_at=moment)
            .returning(SigningToken)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def revoke_for_subject(self, subject_type: str, subject_id: uuid.UUID) -> int:
        """Revoke every outstanding link for a subject (its document changed, or it was cancelled)."""
        statement = (
            update(SigningToken)
            .where(SigningToken.subject_type == subject_type, SigningToken.subject_id == subject_id,
                   SigningToken.used_at.is_(None), SigningToken.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        result = await self.session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]
