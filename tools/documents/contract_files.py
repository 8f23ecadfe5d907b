"""`ContractDocuments` (declared in `store/contracts/documents.py`) over the PDF renderer and the deployment's file
storage (`tools.storage.get_storage()`: a local directory or S3): each document rendered off the event loop,
stored content-addressed (`<prefix>/<sha256>.pdf`) and read back only if its SHA-256 still matches.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date

from store.contracts.documents import StoredDocument
from store.contracts.template import rendered
from store.contracts.terms import ContractTerms
from store.invoices.document import InvoiceDocument
from store.models import Contract, ContractSignature, SignerRole
from tools.documents.archive import DocumentStorage, load_document, store_document
from tools.documents.pdf import (
    AuditTrail,
    SignatureAuditEntry,
    append_audit_page,
    render_contract_pdf,
    render_invoice_pdf,
)
from tools.storage import get_storage

ROLE_LABELS = {SignerRole.creator: "Creator", SignerRole.brand: "Brand (countersignature)"}


class StoredContractDocuments:
    def __init__(self, storage: DocumentStorage) -> None:
        self.storage = storage

    async def store_contract_pdf(self, contract: Contract, terms: ContractTerms,
                                 issued_on: date) -> StoredDocument:
        pdf = await asyncio.to_thread(render_contract_pdf, rendered(contract, terms), terms,
                                      reference=contract.reference, issued_on=issued_on)
        return await store_document(self.storage, f"contracts/{contract.id}", pdf)

    async def load_contract_pdf(self, contract: Contract, signed: bool) -> bytes:
        if signed and contract.signed_document_key:
            return await load_document(self.storage, contract.signed_document_key, contract.signed_document_sha256)
        if not contract.document_key:
            raise LookupError("the contract has no document yet")
        return await load_document(self.storage, contract.document_key, contract.document_sha256)

    async def store_signed_pdf(self, contract: Contract,
                               signatures: Sequence[ContractSignature]) -> StoredDocument:
        original = await self.load_contract_pdf(contract, signed=False)
        assert contract.document_sha256 is not None
        trail = AuditTrail(reference=contract.reference, document_title=rendered(contract).title,
                           document_sha256=contract.document_sha256, entries=[
                               SignatureAuditEntry(role=ROLE_LABELS[SignerRole(signature.role)],
                                                   name=signature.signer_name, email=signature.signer_email,
                                                   signed_at=signature.signed_at, ip_address=signature.ip_address,
                                                   user_agent=signature.user_agent, method=signature.method)
                               for signature in sorted(signatures, key=lambda item: item.signed_at)])
        signed = await asyncio.to_thread(append_audit_page, original, trail)
        return await store_document(self.storage, f"contracts/{contract.id}/signed", signed)

    async def store_invoice_pdf(self, organization_prefix: str, invoice: InvoiceDocument) -> StoredDocument:
        pdf = await asyncio.to_thread(render_invoice_pdf, invoice)
        return await store_document(self.storage, f"invoices/{organization_prefix}", pdf)

    async def load_stored(self, key: str, sha256: str) -> bytes:
        return await load_document(self.storage, key, sha256)


def contract_documents() -> StoredContractDocuments:
    """The deployment's contract documents (one file storage per process)."""
    return StoredContractDocuments(get_storage())
