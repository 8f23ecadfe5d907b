"""Personal signing links: single use, expiring, bound to one document version, claimed atomically; and the
built-in click-to-sign provider on top of them."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.errors import Conflict, DomainError, NotFound
from store.db import unit_of_work
from store.models import SigningToken
from store.signing.service import (
    SigningLinkGone,
    check_signing_token,
    claim_signing_token,
    issue_signing_token,
    revoke_signing_tokens,
)
from tools.esign import ClickToSignProvider, CompletionRequest, EnvelopeRequest, ESignatureProvider
from tools.esign.factory import esign_provider

HASH_V1 = "a" * 64
HASH_V2 = "b" * 64


async def _issue(subject_id: uuid.UUID, ttl: timedelta | None = None, document_sha256: str = HASH_V1) -> str:
    async with unit_of_work() as session:
        issued = await issue_signing_token(session, "contract", subject_id, document_sha256=document_sha256, ttl=ttl)
    return issued.token


async def _claim(token: str, subject_id: uuid.UUID, current: str = HASH_V1, presented: str = HASH_V1) -> SigningToken:
    async with unit_of_work() as session:
        return await claim_signing_token(session, token, "contract", subject_id, current_document_sha256=current,
                                         presented_document_sha256=presented)


async def test_only_the_hash_is_stored_and_a_token_signs_once() -> None:
    contract_id = uuid.uuid4()
    token = await _issue(contract_id)
    async with unit_of_work() as session:
        row = (await session.execute(select(SigningToken))).scalar_one()
        assert token not in (row.token_hash, row.document_sha256) and len(row.token_hash) == 64
        assert (await check_signing_token(session, token, "contract", contract_id)).id == row.id  # viewing is free
    claimed = await _claim(token, contract_id)
    assert claimed.used_at is not None
    with pytest.raises(Conflict) as second:
        await _claim(token, contract_id)
    assert second.value.code == "already_signed" and second.value.status_code == 409


async def test_expired_link_is_gone() -> None:
    contract_id = uuid.uuid4()
    token = await _issue(contract_id, ttl=timedelta(seconds=-1))
    with pytest.raises(SigningLinkGone) as expired:
        await _claim(token, contract_id)
    assert expired.value.status_code == 410 and expired.value.code == "signing_link_expired"
    async with unit_of_work() as session:
        with pytest.raises(SigningLinkGone):
            await check_signing_token(session, token, "contract", contract_id)


async def test_unknown_token_or_another_subject_is_not_found() -> None:
    contract_id = uuid.uuid4()
    token = await _issue(contract_id)
    for raw, subject in (("not-a-token", contract_id), (token, uuid.uuid4())):
        with pytest.raises(NotFound) as missing:
            await _claim(raw, subject)
        assert missing.value.code == "signing_link_invalid"
    await _claim(token, contract_id)  # the failed attempts did not consume it


async def test_a_changed_document_cannot_be_signed_with_the_old_hash() -> None:
    contract_id = uuid.uuid4()
    token = await _issue(contract_id, document_sha256=HASH_V1)
    with pytest.raises(Conflict) as stale:  # signer saw v1, the contract is now v2
        await _claim(token, contract_id, current=HASH_V2, presented=HASH_V1)
    assert stale.value.code == "document_changed"
    with pytest.raises(Conflict) as rebound:  # the link was issued for v1 and cannot sign v2
        await _claim(token, contract_id, current=HASH_V2, presented=HASH_V2)
    assert rebound.value.code == "document_changed"
    await _claim(token, contract_id)  # still unused: v1 can be signed


async def test_revoked_links_are_gone() -> None:
    contract_id = uuid.uuid4()
    token = await _issue(contract_id)
    async with unit_of_work() as session:
        assert await revoke_signing_tokens(session, "contract", contract_id) == 1
    with pytest.raises(SigningLinkGone) as revoked:
        await _claim(token, contract_id)
    assert revoked.value.code == "signing_link_revoked"


async def test_concurrent_claims_have_exactly_one_winner() -> None:
    contract_id = uuid.uuid4()
    token = await _issue(contract_id)
    results = await asyncio.gather(*(_claim(token, contract_id) for _ in range(8)), return_exceptions=True)
    winners = [r for r in results if isinstance(r, SigningToken)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 7
    assert {loser.code for loser in losers} == {"already_signed"}


async def test_click_to_sign_provider_issues_a_personal_link_and_records_the_signature() -> None:
    contract_id = uuid.uuid4()
    async with unit_of_work() as session:
        assert isinstance(esign_provider(session), ClickToSignProvider)  # the default
        provider = ClickToSignProvider(session, base_url="https://app.example/")
        assert isinstance(provider, ESignatureProvider)
        envelope = await provider.create_envelope(EnvelopeRequest(
            subject_type="contract", subject_id=contract_id, document_sha256=HASH_V1, signer_name="Zoë Ñúñez",
            signer_email="zoe@example.com", title="Influencer Marketing Agreement"))
    assert envelope.signing_url.startswith(f"https://app.example/contracts/{contract_id}/sign?token=")
    token = envelope.signing_url.split("token=", 1)[1]
    completion = CompletionRequest(
        subject_type="contract", subject_id=contract_id, reference=token, current_document_sha256=HASH_V1,
        presented_document_sha256=HASH_V1, signer_name="Zoë Ñúñez", signer_email="zoe@example.com",
        ip_address="203.0.113.7", user_agent="Mozilla/5.0")
    async with unit_of_work() as session:
        record = await ClickToSignProvider(session).verify_completion(completion)
    assert (record.provider, record.envelope_id, record.document_sha256) == ("click", envelope.envelope_id, HASH_V1)
    assert record.ip_address == "203.0.113.7" and record.user_agent == "Mozilla/5.0" and record.signed_at
    async with unit_of_work() as session:
        with pytest.raises(Conflict, match="already been signed"):
            await ClickToSignProvider(session).verify_completion(completion)
