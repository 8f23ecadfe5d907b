"""`ContractTerms`: the structured record of what was agreed. Contracts are rendered from it, never from the
negotiation's free text, and payments are scheduled from it.

Validation says what to fix: deliverable keys are unique, each milestone names a deliverable, the schedule has at
most one advance and one final payment, installments are either all percentages (adding up to 100) or all
amounts (adding up to the fee), and every amount is in the fee's currency.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from core.money import Money

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Party(_Frozen):
    legal_name: Name
    email: EmailStr | None = None
    address: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    signatory_name: Name | None = None  # who signs for a company; the person themselves when None


class Deliverable(_Frozen):
    key: Key  # stable id: payment milestones and deliverable tracking refer to it
    description: Text
    platform: Name
    quantity: int = Field(default=1, ge=1, le=1000)
    due_date: date


class InstallmentKind(enum.StrEnum):
    advance = "advance"  # due on signature
    milestone = "milestone"  # due when its deliverable is approved
    final = "final"  # due when every deliverable is approved


class Installment(_Frozen):
    kind: InstallmentKind
    percent: Decimal | None = Field(default=None, gt=0, le=100)
    amount: Decimal | None = Field(default=None, gt=0)
    deliverable_key: Key | None = None
    net_days: int = Field(default=0, ge=0, le=120)  # payable this many days after the trigger

    @model_validator(mode="after")
    def _shape(self) -> Installment:
        if (self.percent is None) == (self.amount is None):
            raise ValueError("give each installment either a percent or an amount")
        if (self.kind == InstallmentKind.milestone) != (self.deliverable_key is not None):
            raise ValueError("milestone installments (and only they) name a deliverable_key")
        return self


class UsageRights(_Frozen):
    channels: list[Name] = Field(min_length=1)  # e.g. "brand social accounts", "paid social ads", "website"
    duration_months: int | None = Field(default=None, ge=1, le=600)  # None: perpetual
    territory: Name = "worldwide"


class Exclusivity(_Frozen):
    category: Name  # e.g. "skincare"
    duration_days: int = Field(ge=1, le=3650)
    competitors: list[Name] = Field(default_factory=list)


class Disclosure(_Frozen):
    label: Name = "#ad"
    use_platform_tools: bool = True  # the platform's paid-partnership label as well as the text label


class Cancellation(_Frozen):
    notice_days: int = Field(ge=0, le=365)
    kill_fee_percent: Decimal = Field(default=Decimal(0), ge=0, le=100)


class CustomClause(_Frozen):
    title: Name
    text: Text


class ContractTerms(_Frozen):
    brand: Party
    creator: Party
    campaign_name: Name
    effective_date: date
    deliverables: list[Deliverable] = Field(min_length=1, max_length=100)
    fee: Money
    payment_schedule: list[Installment] = Field(min_length=1, max_length=50)
    usage_rights: UsageRights
    exclusivity: Exclusivity | None = None
    disclosure: Disclosure = Disclosure()
    revision_rounds: int = Field(ge=0, le=10)
    cancellation: Cancellation
    governing_law: Name | None = None  # None: the template's default
    additional_clauses: list[CustomClause] = Field(default_factory=list, max_length=20)
    omitted_clauses: list[Key] = Field(default_factory=list)  # standard clause ids the parties agreed to drop

    @model_validator(mode="after")
    def _consistent(self) -> ContractTerms:
        if not self.fee.is_positive():
            raise ValueError("fee must be positive")
        keys = [deliverable.key for deliverable in self.deliverables]
        if len(keys) != len(set(keys)):
            raise ValueError("deliverable keys must be unique")
        for installment in self.payment_schedule:
            if installment.deliverable_key is not None and installment.deliverable_key not in keys:
                raise ValueError(f"installment names unknown deliverable '{installment.deliverable_key}'")
        milestones = [i.deliverable_key for i in self.payment_schedule if i.kind == InstallmentKind.milestone]
        if len(milestones) != len(set(milestones)):
            raise ValueError("one milestone installment per deliverable")
        for kind in (InstallmentKind.advance, InstallmentKind.final):
            if sum(1 for i in self.payment_schedule if i.kind == kind) > 1:
                raise ValueError(f"at most one {kind.value} installment")
        self.installment_amounts()  # raises when the schedule does not add up
        return self

    def installment_amounts(self) -> list[Money]:
        """The amount of each installment, in schedule order, adding up to the fee exactly (percent rounding
        remainders go to the last installment)."""
        schedule = self.payment_schedule
        if all(i.percent is not None for i in schedule):
            if sum(i.percent or Decimal(0) for i in schedule) != 100:
                raise ValueError("installment percentages must add up to 100")
            parts = [self.fee.allocate((i.percent or Decimal(0)) / 100) for i in schedule[:-1]]
            return [*parts, self.fee - sum(parts, Money.zero(self.fee.currency))]
        if any(i.amount is None for i in schedule):
            raise ValueError("installments are either all percentages or all amounts")
        try:
            amounts = [Money.of(i.amount or 0, self.fee.currency) for i in schedule]
        except ValueError as exc:
            raise ValueError(f"installment amounts must fit {self.fee.currency}'s minor unit") from exc
        if sum(amounts, Money.zero(self.fee.currency)) != self.fee:
            raise ValueError(f"installment amounts must add up to the fee of {self.fee}")
        return amounts

    def deliverable(self, key: str) -> Deliverable:
        return next(d for d in self.deliverables if d.key == key)
