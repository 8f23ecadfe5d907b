"""Issuing an approved contract: the PDF is rendered from the stored terms, hashed (SHA-256), stored, and a personal
signing link (single-use, expiring, bound to that hash) goes to the creator through the outbox — an email, plus a
WhatsApp message where they opted in (channels on the do-not-contact list are skipped).

Runs in the caller's transaction with the contract row locked; only an `approved` contract is issued, so a repeated
call (a redelivered job) does nothing. A new link (`resend_signing_link`) revokes the old ones. The PDF renderer and
file storage (`ContractDocuments`) and the e-signature provider are passed in by the caller.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from store.campaigns.repository import CampaignRepository
from store.contacts.reachability import channel_address, contactable_channels
from store.contracts.documents import ContractDocuments
from store.contracts.notifications import queue_creator_message
from store.contracts.service import SUBJECT_TYPE, ContractService, IssuedDocument, ensure_status
from store.contracts.template import contract_terms, format_date, template_of
from store.contracts.terms import ContractTerms
from store.models import Contract, ContractStatus, MessageChannel
from store.signing.provider import Envelope, EnvelopeRequest, ESignatureProvider
from store.signing.service import revoke_signing_tokens


@dataclass(frozen=True)
class IssueOutcome:
    issued: bool
    document_sha256: str | None
    channels: list[str] = field(default_factory=list)


async def issue_contract(session: AsyncSession, contract_id: uuid.UUID, *, documents: ContractDocuments,
                         esign: ESignatureProvider, today: date | None = None) -> IssueOutcome:
    contracts = ContractService(session)
    contract = await contracts.get(contract_id, for_update=True)
    if contract.status != ContractStatus.approved:
        return IssueOutcome(issued=False, document_sha256=contract.document_sha256)
    terms = contract_terms(contract)
    issued_on = today or datetime.now(UTC).date()
    stored = await documents.store_contract_pdf(contract, terms, issued_on)
    await contracts.issue(contract, IssuedDocument(key=stored.key, sha256=stored.sha256, size=stored.size,
                                                   issued_on=issued_on))
    return IssueOutcome(issued=True, document_sha256=stored.sha256,
                        channels=await send_signing_link(session, contract, terms, esign))


async def resend_signing_link(session: AsyncSession, organization_id: uuid.UUID | None, contract_id: uuid.UUID, *,
                              esign: ESignatureProvider) -> list[str]:
    """A fresh link for a contract still waiting for the creator (e.g. the first one expired)."""
    contract = await ContractService(session).for_manager(organization_id, contract_id, for_update=True)
    ensure_status(contract, ContractStatus.awaiting_signature)
    await revoke_signing_tokens(session, SUBJECT_TYPE, contract.id)
    return await send_signing_link(session, contract, contract_terms(contract), esign)


async def send_signing_link(session: AsyncSession, contract: Contract, terms: ContractTerms,
                            esign: ESignatureProvider) -> list[str]:
    """One link (one token) sent on every channel that reaches the creator; the channels used."""
    creator = await CampaignRepository(session).creator(contract.creator_id)
    if creator is None or contract.document_sha256 is None:
        return []
    envelope = await esign.create_envelope(EnvelopeRequest(
        subject_type=SUBJECT_TYPE, subject_id=contract.id, document_sha256=contract.document_sha256,
        signer_name=terms.creator.legal_name, signer_email=creator.email or terms.creator.email or "",
        title=f"{template_of(contract).title} {contract.reference}"))
    channels = await contactable_channels(session, creator, contract.organization_id)
    for channel in channels:
        address = channel_address(creator, channel)
        assert address is not None
        email = channel == "email"
        await queue_creator_message(
            session, contract, channel=MessageChannel(channel), to_address=address,
            subject=f"Your contract for {terms.campaign_name}: please review and sign",
            body_text=(_email_text if email else _whatsapp_text)(terms, contract, envelope),
            idempotency_key=f"signing-link:{envelope.envelope_id}:{channel}")
    return list(channels)


def _expiry(envelope: Envelope) -> str:
    return format_date(envelope.expires_at.date()) if envelope.expires_at else "in a few days"


def _email_text(terms: ContractTerms, contract: Contract, envelope: Envelope) -> str:
    deliverables = "\n".join(f"- {d.quantity} x {d.description} on {d.platform}, due {format_date(d.due_date)}"
                             for d in terms.deliverables)
    return (f"Hi {terms.creator.legal_name},\n\n"
            f"Here is the contract for \"{terms.campaign_name}\" with {terms.brand.legal_name}, as agreed: a fee of "
            f"{terms.fee} for\n{deliverables}\n\n"
            f"Review and sign it here:\n{envelope.signing_url}\n\n"
            f"This link is personal (please don't forward it), works once and expires on {_expiry(envelope)}. "
            f"Contract {contract.reference}; the document's SHA-256 fingerprint is {contract.document_sha256}.\n\n"
            f"If anything looks wrong, just reply to this email.\n\n{terms.brand.legal_name}")


def _whatsapp_text(terms: ContractTerms, contract: Contract, envelope: Envelope) -> str:
    return (f"Hi {terms.creator.legal_name}, your contract for \"{terms.campaign_name}\" with "
            f"{terms.brand.legal_name} ({terms.fee}) is ready. Review and sign it here (personal link, expires "
            f"{_expiry(envelope)}): {envelope.signing_url}")
