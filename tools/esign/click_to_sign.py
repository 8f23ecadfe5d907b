"""Built-in click-to-sign: a personal link with a single-use, expiring token bound to one document version.

The signer opens the link (no login), reads the document, types their name and clicks. `verify_completion` consumes
the token atomically in the caller's transaction: a second click is 409 `already_signed`, an expired link 410, and
a document changed since it was sent 409 `document_changed`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import get_settings
from store.signing.provider import CompletionRequest, Envelope, EnvelopeRequest, SignatureRecord
from store.signing.service import claim_signing_token, issue_signing_token


class ClickToSignProvider:
    name = "click"

    def __init__(self, session: AsyncSession, base_url: str | None = None) -> None:
        self.session = session
        self.base_url = (base_url or get_settings().signing_base_url).rstrip("/")

    async def create_envelope(self, request: EnvelopeRequest) -> Envelope:
        issued = await issue_signing_token(self.session, request.subject_type, request.subject_id,
                                           document_sha256=request.document_sha256)
        url = f"{self.base_url}/{request.subject_type}s/{request.subject_id}/sign?token={issued.token}"
        return Envelope(provider=self.name, envelope_id=str(issued.token_id), signing_url=url,
                        expires_at=issued.expires_at)

    async def verify_completion(self, completion: CompletionRequest) -> SignatureRecord:
        token = await claim_signing_token(
            self.session, completion.reference, completion.subject_type, completion.subject_id,
            current_document_sha256=completion.current_document_sha256,
            presented_document_sha256=completion.presented_document_sha256)
        return SignatureRecord(
            provider=self.name, envelope_id=str(token.id), subject_type=token.subject_type,
            subject_id=token.subject_id, signer_name=completion.signer_name, signer_email=completion.signer_email,
            signed_at=token.used_at or datetime.now(UTC), ip_address=completion.ip_address,
            user_agent=completion.user_agent, document_sha256=completion.current_document_sha256)
