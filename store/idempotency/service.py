"""Stripe-style idempotency keys for any endpoint.

    outcome = await begin(scope, key, fingerprint)        # own short transaction: visible to duplicates at once
    if isinstance(outcome, StoredResponse): replay it
    ... perform the effect in the request's transaction ...
    await complete(session, outcome, status, body)         # same transaction as the effect
    (on failure: await release(outcome))                   # the key is free again, nothing was stored

Rules: the same key with the same request replays the stored response; the same key with a different request is
422 `idempotency_key_reused`; a duplicate arriving while the first is still running is 409
`idempotency_request_in_progress`. A lease (`IDEMPOTENCY_LOCK_SECONDS`) lets a retry take over a crashed attempt;
records are forgotten after `IDEMPOTENCY_KEY_TTL_HOURS`. Failed attempts store nothing (like Stripe for requests
that fail validation or conflict), so the client may retry them with the same key. If the final commit itself fails
the key stays in progress until its lease runs out. An attempt that outlives its lease loses it: its `complete`
raises 409 and its transaction rolls back; effects outside the database (a Stripe transfer) must therefore carry
their own idempotency key, so the retry that took over replays them instead of repeating them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput
from core.settings import get_settings
from store.db import unit_of_work
from store.idempotency.repository import IdempotencyRepository
from store.models import IdempotencyKey, IdempotencyStatus


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"


class IdempotencyInProgress(Conflict):
    code = "idempotency_request_in_progress"


@dataclass(frozen=True)
class StoredResponse:
    status_code: int
    body: Any


@dataclass(frozen=True)
class IdempotencyLease:
    record_id: uuid.UUID
    locked_until: datetime


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    """SHA-256 of method, path and body; a JSON body is canonicalised so key order and spacing don't matter."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode() if body else b""
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


async def begin(scope: str, key: str, fingerprint: str) -> IdempotencyLease | StoredResponse:
    settings = get_settings()
    now = datetime.now(UTC)
    locked_until = now + timedelta(seconds=settings.IDEMPOTENCY_LOCK_SECONDS)
    expires_at = now + timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    async with unit_of_work() as session:  # committed before the effect starts: concurrent duplicates see it
        repository = IdempotencyRepository(session)
        acquired = await repository.acquire(scope, key, fingerprint, locked_until, expires_at)
        if acquired is not None:
            assert acquired.locked_until is not None
            return IdempotencyLease(acquired.id, acquired.locked_until)
        existing = await repository.get(scope, key)
    return _outcome_of_existing(existing, fingerprint)


def _outcome_of_existing(existing: IdempotencyKey | None, fingerprint: str) -> StoredResponse:
    if existing is None:  # purged between the two statements: a retry will create it
        raise IdempotencyInProgress("This Idempotency-Key is being processed; retry shortly")
    if existing.request_fingerprint != fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was already used with a different request: use a new key for a new request")
    if existing.status == IdempotencyStatus.in_progress:
        raise IdempotencyInProgress("A request with this Idempotency-Key is still in progress; retry shortly")
    assert existing.response_status is not None
    return StoredResponse(existing.response_status, existing.response_body)


async def complete(session: AsyncSession, lease: IdempotencyLease, status_code: int, body: Any) -> None:
    """Store the response in the caller's transaction, so it commits (or rolls back) with the effect."""
    if not await IdempotencyRepository(session).complete(lease.record_id, lease.locked_until, status_code, body):
        raise IdempotencyInProgress("This request took too long and a retry took over its Idempotency-Key")


async def release(lease: IdempotencyLease) -> None:
    async with unit_of_work() as session:
        await IdempotencyRepository(session).release(lease.record_id, lease.locked_until)


async def purge_expired(session: AsyncSession) -> int:
    return await IdempotencyRepository(session).purge_expired()
