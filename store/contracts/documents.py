"""The documents seam of contracts and payments: what the domain rules need from PDF rendering and file storage,
declared here so `store/` can call it; the implementation is `tools/documents/contract_files.py`, built by the
caller (an API dependency, the contract agent) and passed in.

Documents are stored content-addressed (`<prefix>/<sha256>.pdf`) and read back only if their SHA-256 still
matches (a mismatch raises `ValueError`, a missing document `LookupError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from store.contracts.terms import ContractTerms
from store.invoices.document import InvoiceDocument
from store.models import Contract, ContractSignature


@dataclass(frozen=True)
class StoredDocument:
    key: str
    location: str
    sha256: str
    size: int
    content_type: str


class ContractDocuments(Protocol):
    async def store_contract_pdf(self, contract: Contract, terms: ContractTerms,
                                 issued_on: date) -> StoredDocument:
        """Render the PDF the creator signs and store it."""
        ...

    async def load_contract_pdf(self, contract: Contract, signed: bool) -> bytes:
        """The signed PDF when `signed` and one exists, else the document sent for signature."""
        ...

    async def store_signed_pdf(self, contract: Contract,
                               signatures: Sequence[ContractSignature]) -> StoredDocument:
        """The document the signers saw followed by an audit page listing every signature so far."""
        ...

    async def store_invoice_pdf(self, organization_prefix: str, invoice: InvoiceDocument) -> StoredDocument: ...

    async def load_stored(self, key: str, sha256: str) -> bytes: ...
