"""The contract's documents: the PDF the creator signs, the signed PDF (that exact document + the audit page) and
invoices; each rendered off the event loop, stored content-addressed (`<prefix>/<sha256>.pdf`) and read back
only if its SHA-256 still matches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date

from agents.contract.storage import document_storage
from store.models import Contract, ContractSignature, SignerRole
from tools.documents.archive import StoredDocument, load_document, store_document
from tools.documents.clause_diff import ClauseDiff, diff_clauses
from tools.documents.contract_template import (
    ContractTemplate,
    RenderedContract,
    load_template,
    render_contract,
    render_standard,
)
from tools.documents.pdf import (
    AuditTrail,
    InvoiceDocument,
    SignatureAuditEntry,
    append_audit_page,
    render_contract_pdf,
    render_invoice_pdf,
)
from tools.documents.terms import ContractTerms

ROLE_LABELS = {SignerRole.creator: "Creator", SignerRole.brand: "Brand (countersignature)"}


def contract_terms(contract: Contract) -> ContractTerms:
    return ContractTerms.model_validate(contract.terms)


def template_of(contract: Contract) -> ContractTemplate:
    return load_template(contract.template_id)


def rendered(contract: Contract, terms: ContractTerms | None = None) -> RenderedContract:
    return render_contract(template_of(contract), terms or contract_terms(contract))


def differences(template: ContractTemplate, terms: ContractTerms) -> list[ClauseDiff]:
    """What the manager approves: every clause that differs from the organization's standard contract."""
    return diff_clauses(render_standard(template, terms).clauses, render_contract(template, terms).clauses)


async def store_contract_pdf(contract: Contract, terms: ContractTerms, issued_on: date) -> StoredDocument:
    pdf = await asyncio.to_thread(render_contract_pdf, rendered(contract, terms), terms, reference=contract.reference,
                                  issued_on=issued_on)
    return await store_document(document_storage(), f"contracts/{contract.id}", pdf)


async def load_contract_pdf(contract: Contract, signed: bool) -> bytes:
    """The signed PDF when `signed` and one exists, else the document sent for signature."""
    if signed and contract.signed_document_key:
        return await load_document(document_storage(), contract.signed_document_key, contract.signed_document_sha256)
    if not contract.document_key:
        raise LookupError("the contract has no document yet")
    return await load_document(document_storage(), contract.document_key, contract.document_sha256)


async def store_signed_pdf(contract: Contract, signatures: Sequence[ContractSignature]) -> StoredDocument:
    """The document the signers saw, followed by an audit page listing every signature so far."""
    original = await load_contract_pdf(contract, signed=False)
    assert contract.document_sha256 is not None
    trail = AuditTrail(reference=contract.reference, document_title=rendered(contract).title,
                       document_sha256=contract.document_sha256, entries=[
                           SignatureAuditEntry(role=ROLE_LABELS[SignerRole(signature.role)], name=signature.signer_name,
                                               email=signature.signer_email, signed_at=signature.signed_at,
                                               ip_address=signature.ip_address, user_agent=signature.user_agent,
                                               method=signature.method)
                           for signature in sorted(signatures, key=lambda item: item.signed_at)])
    signed = await asyncio.to_thread(append_audit_page, original, trail)
    return await store_document(document_storage(), f"contracts/{contract.id}/signed", signed)


async def store_invoice_pdf(organization_prefix: str, invoice: InvoiceDocument) -> StoredDocument:
    pdf = await asyncio.to_thread(render_invoice_pdf, invoice)
    return await store_document(document_storage(), f"invoices/{organization_prefix}", pdf)


async def load_stored(key: str, sha256: str) -> bytes:
    return await load_document(document_storage(), key, sha256)
