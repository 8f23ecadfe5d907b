"""Personal signing links: single-use, expiring tokens for people without a login.

    issued = await issue_signing_token(session, "contract", contract.id, document_sha256=pdf_hash)
    link = f"{settings.signing_base_url}/sign/{issued.token}"      # the token is shown once, never stored
    token = await check_signing_token(session, raw, "contract", contract.id)  # viewing: does not consume
    token = await claim_signing_token(session, raw, "contract", contract.id, current_document_sha256=...,
                                      presented_document_sha256=...)  # signing: consumes, atomically

Errors say why a link can't be used: unknown (404 `signing_link_invalid`), expired (410 `signing_link_expired`),
already used (409 `already_signed`), revoked (410 `signing_link_revoked`), or the document changed since the signer
saw it (409 `document_changed`, the token is not consumed).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, DomainError, NotFound
from core.security import fingerprint
from core.settings import get_settings
from store.models import SigningToken
from store.signing.repository import SigningTokenRepository


class SigningLinkGone(DomainError):
    status_code = 410
    code = "signing_link_expired"


@dataclass(frozen=True)
class IssuedSigningToken:
    token: str  # the secret for the link; only its SHA-256 is stored
    token_id: uuid.UUID
    expires_at: datetime


async def issue_signing_token(session: AsyncSession, subject_type: str, subject_id: uuid.UUID, *,
                              document_sha256: str | None = None, ttl: timedelta | None = None) -> IssuedSigningToken:
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    ttl = ttl if ttl is not None else timedelta(hours=get_settings().SIGNING_TOKEN_TTL_HOURS)
    row = await SigningTokenRepository(session).add(SigningToken(
        subject_type=subject_type, subject_id=subject_id, token_hash=fingerprint(token),
        document_sha256=document_sha256, expires_at=now + ttl, created_at=now))
    return IssuedSigningToken(token=token, token_id=row.id, expires_at=row.expires_at)


async def check_signing_token(session: AsyncSession, token: str, subject_type: str,
                              subject_id: uuid.UUID) -> SigningToken:
    """The token's row if the link can still be used; raises the reason otherwise. Does not consume it."""
    row = await SigningTokenRepository(session).get_by_hash(fingerprint(token))
    _raise_if_unusable(row, subject_type, subject_id, datetime.now(UTC))
    assert row is not None
    return row


async def claim_signing_token(session: AsyncSession, token: str, subject_type: str, subject_id: uuid.UUID, *,
                              current_document_sha256: str, presented_document_sha256: str) -> SigningToken:
    """Consume the token for signing the current document version; exactly one concurrent caller wins."""
    if not secrets.compare_digest(current_document_sha256, presented_document_sha256):
        raise Conflict("The document changed after it was sent: open the new version and sign that one",
                       code="document_changed")
    repository = SigningTokenRepository(session)
    claimed = await repository.claim(fingerprint(token), subject_type, subject_id, current_document_sha256)
    if claimed is not None:
        return claimed
    row = await repository.get_by_hash(fingerprint(token))
    _raise_if_unusable(row, subject_type, subject_id, datetime.now(UTC))
    # usable by every rule above, so the claim failed on the document binding
    raise Conflict("This signing link was issued for another version of the document", code="document_changed")


async def revoke_signing_tokens(session: AsyncSession, subject_type: str, subject_id: uuid.UUID) -> int:
    return await SigningTokenRepository(session).revoke_for_subject(subject_type, subject_id)


def _raise_if_unusable(row: SigningToken | None, subject_type: str, subject_id: uuid.UUID, now: datetime) -> None:
    if row is None or row.subject_type != subject_type or row.subject_id != subject_id:
        raise NotFound("This signing link is not valid", code="signing_link_invalid")
    if row.used_at is not None:
        raise Conflict("This document has already been signed with this link", code="already_signed")
    if row.revoked_at is not None:
        raise SigningLinkGone("This signing link was withdrawn: ask for a new one", code="signing_link_revoked")
    if row.expires_at <= now:
        raise SigningLinkGone("This signing link has expired: ask for a new one")
