"""What an invoice says (parties, lines, references), independent of how it is rendered (`tools/documents/pdf.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.money import Money


@dataclass(frozen=True)
class InvoiceParty:
    name: str
    address: str | None = None
    email: str | None = None

    def lines(self) -> str:
        return "\n".join(part for part in (self.name, self.address, self.email) if part)


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    amount: Money


@dataclass(frozen=True)
class InvoiceDocument:
    number: str  # gapless per organization, e.g. INV-2026-000042
    issued_on: date
    supplier: InvoiceParty  # the creator, who is paid
    customer: InvoiceParty  # the brand, who pays
    lines: list[InvoiceLine]
    contract_reference: str
    payout_reference: str | None = None
    title: str = "Invoice"  # e.g. "Self-billing invoice" where the brand issues it for the creator

    @property
    def total(self) -> Money:
        return sum((line.amount for line in self.lines[1:]), self.lines[0].amount)
