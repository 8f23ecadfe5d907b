"""Contract payloads: the contract with its terms, rendered clauses and signatures; signing and countersigning."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.money import Money
from store.models import ContractStatus

SHA256_HEX = r"^[0-9a-fA-F]{64}$"


class ClauseOut(BaseModel):
    id: str
    number: int
    title: str
    text: str


class SignatureOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    role: str
    signer_name: str
    signer_email: str
    method: str
    provider: str
    document_sha256: str
    ip_address: str | None
    user_agent: str | None
    signed_at: dt.datetime


class ContractSummary(BaseModel):
    id: uuid.UUID
    reference: str
    status: ContractStatus
    campaign_id: uuid.UUID
    creator_id: uuid.UUID
    negotiation_id: uuid.UUID
    fee: Money
    document_sha256: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    signed_at: dt.datetime | None
    countersigned_at: dt.datetime | None
    completed_at: dt.datetime | None


class ContractOut(ContractSummary):
    template_id: str
    template_version: str
    countersignature_required: bool
    issued_on: dt.date | None
    signed_document_sha256: str | None
    terms: dict[str, Any]
    clauses: list[ClauseOut]
    signatures: list[SignatureOut]
    consent_text: str = Field(description="What signing means; the signer agrees to it with `consent: true`")
    document_url: str | None = Field(description="The PDF (add ?token=... when using a signing link)")


class ContractPage(BaseModel):
    items: list[ContractSummary]
    total: int
    limit: int
    offset: int


class CountersignIn(BaseModel):
    full_name: str = Field(min_length=2, max_length=200, description="typed full name: the signature")
    consent: bool = Field(description="must be true: agreement to the terms and to signing electronically")
    document_sha256: str = Field(pattern=SHA256_HEX, description="SHA-256 of the document read (`document_sha256`)")


class SignIn(CountersignIn):
    token: str | None = Field(default=None, max_length=200,
                              description="the token of the personal signing link; omit when logged in as the creator")


class ResendOut(BaseModel):
    channels: list[str] = Field(description="where the new link was sent (old links no longer work)")
