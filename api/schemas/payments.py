"""Payment payloads: payments with their invoice, and a campaign's budget figures."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel

from core.money import Money
from store.models import PaymentStatus


class InvoiceOut(BaseModel):
    id: uuid.UUID
    number: str
    issued_on: dt.date
    amount: Money
    document_sha256: str
    download_url: str


class PaymentOut(BaseModel):
    id: uuid.UUID
    campaign_id: uuid.UUID
    contract_id: uuid.UUID
    creator_id: uuid.UUID
    deliverable_id: uuid.UUID | None
    milestone_key: str
    kind: str
    trigger: str
    description: str
    amount: Money
    status: PaymentStatus
    due_on: dt.date | None
    approval_id: uuid.UUID | None
    approved_at: dt.datetime | None
    provider: str | None
    provider_reference: str | None
    failure_reason: str | None
    paid_at: dt.datetime | None
    invoice: InvoiceOut | None
    created_at: dt.datetime


class PaymentPage(BaseModel):
    items: list[PaymentOut]
    total: int
    limit: int
    offset: int


class BudgetOut(BaseModel):
    campaign_id: uuid.UUID
    currency: str
    total: Money
    committed: Money
    paid: Money
    remaining: Money
    outstanding: Money
