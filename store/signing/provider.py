"""The e-signature contract, small enough for DocuSign or Dropbox Sign adapters to implement.

`create_envelope` prepares signing of one document version (identified by its SHA-256) by one signer and returns a
URL to send them. `verify_completion` turns the provider's evidence of a signature (our click, or the vendor's
completion callback) into a `SignatureRecord`: who signed what, when, from where. A completion is accepted once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class EnvelopeRequest:
    subject_type: str  # what is signed, e.g. "contract"
    subject_id: uuid.UUID
    document_sha256: str
    signer_name: str
    signer_email: str
    title: str


@dataclass(frozen=True)
class Envelope:
    provider: str
    envelope_id: str  # the provider's handle; for click-to-sign the signing-token id
    signing_url: str  # personal: carries a secret, send it only to the signer
    expires_at: datetime | None


@dataclass(frozen=True)
class CompletionRequest:
    subject_type: str
    subject_id: uuid.UUID
    reference: str  # click-to-sign: the token from the link; vendors: their envelope id
    current_document_sha256: str  # the version on record now
    presented_document_sha256: str  # the version the signer saw and agreed to
    signer_name: str
    signer_email: str
    ip_address: str | None
    user_agent: str | None


@dataclass(frozen=True)
class SignatureRecord:
    provider: str
    envelope_id: str
    subject_type: str
    subject_id: uuid.UUID
    signer_name: str
    signer_email: str
    signed_at: datetime
    ip_address: str | None
    user_agent: str | None
    document_sha256: str


@runtime_checkable
class ESignatureProvider(Protocol):
    name: str

    async def create_envelope(self, request: EnvelopeRequest) -> Envelope: ...

    async def verify_completion(self, completion: CompletionRequest) -> SignatureRecord: ...
