"""Viewing, signing and countersigning a contract.

Who may do what:
- view (`view_contract`): a manager of the organization, the creator through their login, or anyone holding the
  personal signing link (a link that has been used still shows the contract until it expires; a revoked or expired
  one does not);
- sign (`sign_contract`): the creator, through the link (the e-signature provider consumes it atomically) or their
  login; with their typed full name, explicit consent and the SHA-256 of the document they read;
- countersign (`countersign_contract`): a manager of the organization, when the template requires it.

A signature records signer, time, IP, user agent and the document hash; the signed PDF (the exact document + an
audit page listing every signature) is re-made and stored. Signing twice is 409 `already_signed`; a document hash
that is not the current one is 409 `document_changed` (and the link is not used up); an expired link is 410.
The creator's signature makes the advance payment due: its `payment` approval opens in the same transaction.
The PDF renderer and file storage (`ContractDocuments`) and the e-signature provider are passed in by the caller.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, Forbidden, InvalidInput, NotFound, ServiceUnavailable, Unauthorized
from core.security import fingerprint
from store.contracts.documents import ContractDocuments
from store.contracts.service import SUBJECT_TYPE, ContractService, ensure_status
from store.contracts.template import Clause, contract_terms, rendered
from store.models import Contract, ContractSignature, ContractStatus, SignerRole, User, UserRole
from store.payments.service import ON_SIGNATURE, PaymentService
from store.signing.provider import CompletionRequest, ESignatureProvider
from store.signing.repository import SigningTokenRepository
from store.signing.service import SigningLinkGone, revoke_signing_tokens

CONSENT_TEXT = ("I have read this contract, I agree to its terms, and I agree to sign it electronically: my typed "
                "full name is my signature.")


@dataclass(frozen=True)
class Caller:
    """Who calls: a logged-in user, or whoever holds a signing link (`token`)."""

    user: User | None = None
    token: str | None = None


@dataclass(frozen=True)
class ContractView:
    contract: Contract
    clauses: list[Clause]
    signatures: list[ContractSignature]


@dataclass(frozen=True)
class SignatureIn:
    full_name: str
    consent: bool
    document_sha256: str  # of the document the signer read
    ip_address: str | None
    user_agent: str | None


async def contract_for(session: AsyncSession, contract_id: uuid.UUID, caller: Caller, *,
                       for_update: bool = False) -> Contract:
    """The contract if `caller` may see it (404 otherwise: other tenants' contracts don't exist for them)."""
    contracts = ContractService(session)
    if caller.token:
        await _check_link(session, caller.token, contract_id)
        return await contracts.get(contract_id, for_update=for_update)
    user = caller.user
    if user is None:
        raise Unauthorized("Log in, or open the personal signing link you received")
    if user.role == UserRole.creator:
        return await contracts.for_creator_user(user.id, contract_id, for_update=for_update)
    return await contracts.for_manager(user.organization_id, contract_id, for_update=for_update)


async def view_contract(session: AsyncSession, contract_id: uuid.UUID, caller: Caller) -> ContractView:
    return await describe_contract(session, await contract_for(session, contract_id, caller))


async def describe_contract(session: AsyncSession, contract: Contract) -> ContractView:
    return ContractView(contract=contract, clauses=list(rendered(contract).clauses),
                        signatures=await ContractService(session).signatures(contract.id))


async def contract_document(session: AsyncSession, contract_id: uuid.UUID, caller: Caller, signed: bool = True, *,
                            documents: ContractDocuments) -> tuple[str, bytes]:
    """(file name, PDF): the signed PDF when there is one and `signed`, else the document sent for signature."""
    contract = await contract_for(session, contract_id, caller)
    return await _pdf(contract, signed, documents)


async def creator_contract_document(session: AsyncSession, user: User, campaign_id: uuid.UUID, *,
                                    documents: ContractDocuments) -> tuple[str, bytes]:
    """The creator's contract for a campaign, through their login."""
    contract = await ContractService(session).for_creator_campaign(user.id, campaign_id)
    return await _pdf(contract, True, documents)


async def _pdf(contract: Contract, signed: bool, documents: ContractDocuments) -> tuple[str, bytes]:
    try:
        data = await documents.load_contract_pdf(contract, signed)
    except LookupError as exc:
        raise NotFound("This contract has no document yet: it is rendered when the contract is approved",
                       code="document_not_ready") from exc
    suffix = "-signed" if signed and contract.signed_document_key else ""
    return f"{contract.reference}{suffix}.pdf", data


async def _check_link(session: AsyncSession, token: str, contract_id: uuid.UUID) -> None:
    row = await SigningTokenRepository(session).get_by_hash(fingerprint(token))
    if row is None or row.subject_type != SUBJECT_TYPE or row.subject_id != contract_id:
        raise NotFound("This signing link is not valid", code="signing_link_invalid")
    if row.revoked_at is not None:
        raise SigningLinkGone("This signing link was withdrawn: ask for a new one", code="signing_link_revoked")
    if row.expires_at <= datetime.now(UTC):
        raise SigningLinkGone("This signing link has expired: ask for a new one")


def _validated(signature: SignatureIn) -> str:
    if not signature.consent:
        raise InvalidInput("Signing needs your explicit consent: send `consent: true`", code="consent_required")
    name = " ".join(signature.full_name.split())
    if len(name) < 2:
        raise InvalidInput("Type your full name to sign", code="full_name_required")
    return name


def _same_document(contract: Contract, presented: str) -> None:
    if not secrets.compare_digest(contract.document_sha256 or "", presented.strip().lower()):
        raise Conflict("The document changed after you opened it: reload it and sign the current version",
                       code="document_changed", details={"current_document_sha256": contract.document_sha256})


async def sign_contract(session: AsyncSession, contract_id: uuid.UUID, caller: Caller, signature_in: SignatureIn, *,
                        documents: ContractDocuments, esign: ESignatureProvider) -> ContractView:
    name = _validated(signature_in)
    if caller.user is not None and caller.user.role != UserRole.creator and not caller.token:
        raise Forbidden("The creator signs here; managers countersign with /countersign", code="wrong_role")
    contracts = ContractService(session)
    contract = await contract_for(session, contract_id, caller, for_update=True)
    if await contracts.signature(contract.id, SignerRole.creator) is not None:
        raise Conflict("This contract has already been signed", code="already_signed")
    ensure_status(contract, ContractStatus.awaiting_signature)
    terms = contract_terms(contract)
    creator = await contracts.creator_of_user(caller.user.id) if caller.user and not caller.token else None
    email = (creator.email if creator else None) or terms.creator.email or ""
    if caller.token:
        record = await esign.verify_completion(CompletionRequest(
            subject_type=SUBJECT_TYPE, subject_id=contract.id, reference=caller.token,
            current_document_sha256=contract.document_sha256 or "",
            presented_document_sha256=signature_in.document_sha256.strip().lower(), signer_name=name,
            signer_email=email, ip_address=signature_in.ip_address, user_agent=signature_in.user_agent))
        provider, envelope_id, signed_at = record.provider, record.envelope_id, record.signed_at
        method = "click-to-sign via personal link"
    else:
        _same_document(contract, signature_in.document_sha256)
        provider, envelope_id, signed_at = "click", None, datetime.now(UTC)
        method = "click-to-sign, logged in"
        await revoke_signing_tokens(session, SUBJECT_TYPE, contract.id)  # the emailed link can't sign again
    await _record(session, documents, contract, ContractSignature(
        contract_id=contract.id, organization_id=contract.organization_id, role=SignerRole.creator,
        signer_name=name, signer_email=email, user_id=caller.user.id if caller.user and not caller.token else None,
        method=method, provider=provider, envelope_id=envelope_id, consent_text=CONSENT_TEXT,
        document_sha256=contract.document_sha256, ip_address=signature_in.ip_address,
        user_agent=signature_in.user_agent, signed_at=signed_at))
    await PaymentService(session).make_due(contract, ON_SIGNATURE)
    return await describe_contract(session, contract)


async def countersign_contract(session: AsyncSession, contract_id: uuid.UUID, manager: User,
                               signature_in: SignatureIn, *, documents: ContractDocuments) -> ContractView:
    name = _validated(signature_in)
    contracts = ContractService(session)
    contract = await contracts.for_manager(manager.organization_id, contract_id, for_update=True)
    if not contract.countersignature_required:
        raise Conflict("This contract's template needs no countersignature", code="countersignature_not_required")
    if await contracts.signature(contract.id, SignerRole.brand) is not None:
        raise Conflict("This contract has already been countersigned", code="already_signed")
    if contract.status == ContractStatus.awaiting_signature:
        raise Conflict("The creator has not signed yet", code="creator_signature_missing")
    ensure_status(contract, ContractStatus.awaiting_countersignature)
    _same_document(contract, signature_in.document_sha256)
    await _record(session, documents, contract, ContractSignature(
        contract_id=contract.id, organization_id=contract.organization_id, role=SignerRole.brand, signer_name=name,
        signer_email=manager.email, user_id=manager.id, method="click-to-sign, logged in (countersignature)",
        provider="click", envelope_id=None, consent_text=CONSENT_TEXT, document_sha256=contract.document_sha256,
        ip_address=signature_in.ip_address, user_agent=signature_in.user_agent, signed_at=datetime.now(UTC)))
    return await describe_contract(session, contract)


async def _record(session: AsyncSession, documents: ContractDocuments, contract: Contract,
                  signature: ContractSignature) -> None:
    contracts = ContractService(session)
    signatures = [*await contracts.signatures(contract.id), signature]
    try:
        stored = await documents.store_signed_pdf(contract, signatures)
    except (LookupError, OSError, ValueError) as exc:  # the stored document is missing or no longer matches its hash
        raise ServiceUnavailable(f"The contract's document can't be read back intact: {exc}",
                          code="document_unavailable") from exc
    await contracts.record_signature(contract, signature, stored.key, stored.sha256)
