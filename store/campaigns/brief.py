"""The campaign brief: one typed model for every reader (API, brief agent, discovery, negotiation, contracts,
payments, evals). Nothing reads the stored JSON by key: `brief_of(campaign)` parses it once and callers use
attributes; `store_brief(campaign, brief)` writes it back.

Money is `Decimal` end to end (`BriefAmount`): at most 2 decimal places and at most `MAX_AMOUNT`, so a typo such as
`1e308` is a clear validation error (422 through the API), not a budget. In the stored JSON amounts are strings
(`"1234.56"`); older rows holding JSON numbers still parse exactly (a float is read through its shortest repr).
Stored JSON leaves out fields still at their default ("not stated yet").

**Terms** (`TERM_FIELDS`: deliverables, usage rights, exclusivity, payment schedule) are what a contract needs
besides the fee. `missing_terms()` names those not stated yet; confirming a brief needs them unless the manager
chose to decide them later (`terms_later`), in which case the contract agent asks for them at agreement time.
The payment schedule has the contract's shape (`store.contracts.terms.Installment`), in percentages only: the
fee is negotiated per creator.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from store.contracts.terms import Installment, InstallmentKind

# A per-campaign budget above a trillion is a typo; 15 significant digits also keep every amount exact when an
# API response writes it as a JSON number (see `core.money.json_number`).
MAX_AMOUNT = Decimal(10) ** 12
CENT = Decimal("0.01")


def _exact_decimal(value: Any) -> Any:
    """Floats through their shortest repr (0.1 → "0.1"), so JSON numbers and old float rows stay exact."""
    if isinstance(value, bool):
        raise ValueError("amount must be a number such as 1500 or \"1234.56\", not a boolean")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError("amount must be a decimal number such as 1500 or \"1234.56\"") from exc
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("amount must be a finite number")
        if value < 0:
            raise ValueError("amount cannot be negative")
        if value > MAX_AMOUNT:
            raise ValueError(f"amount must be at most {MAX_AMOUNT:,} (got {value:,.2E})")
        if value != value.quantize(CENT):
            raise ValueError("amount can have at most 2 decimal places, e.g. 1234.56")
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))  # "1500.0" and 1500 are the same amount: store "1500"
    return value


# The validator enforces the bounds (with messages that say what to fix); the schema states them for clients.
BriefAmount = Annotated[Decimal, BeforeValidator(_exact_decimal),
                        Field(description="exact amount: a number or decimal string, at most 2 decimal places, "
                                          "at most 1,000,000,000,000",
                              json_schema_extra={"minimum": 0, "maximum": int(MAX_AMOUNT)})]
MONEY_FIELDS = ("budget", "fee_ceiling", "fee_target")
MAX_USAGE_MONTHS = 600  # 50 years: longer is "perpetual", which the contract template's standard position covers
MAX_EXCLUSIVITY_MONTHS = 120


class Deliverable(BaseModel):
    platform: str | None = None
    kind: str  # "post", "reel", "story", "video", "short", ...
    quantity: int = 1
    due_date: dt.date | None = None


class UsageRights(BaseModel):
    """How the brand may reuse the content: where (`channels`, e.g. "organic social", "paid social") and for how
    long (`months`; None: the contract template's standard duration)."""

    channels: list[str] = Field(default_factory=list, max_length=20)
    months: int | None = Field(default=None, ge=1, le=MAX_USAGE_MONTHS)


class Exclusivity(BaseModel):
    """The creator works with no competing brand: in `category` (None: the campaign's own category), `months` long.
    `exclusive: false` states the opposite: no exclusivity at all (a decided term, not a missing one)."""

    exclusive: bool = True
    category: str | None = Field(default=None, max_length=200)
    months: int | None = Field(default=None, ge=1, le=MAX_EXCLUSIVITY_MONTHS)


TERM_FIELDS = ("deliverables", "usage_rights", "exclusivity", "payment_schedule")


def check_schedule(schedule: list[Installment]) -> list[Installment]:
    """A brief's payment schedule: percentages adding up to 100, at most one advance and one final payment, one
    milestone per deliverable (the contract checks the milestone's deliverable once the deliverables are final)."""
    if not schedule:
        return schedule
    if any(item.percent is None for item in schedule):
        raise ValueError("a brief's payment schedule is in percentages (the fee is agreed per creator), "
                         "e.g. [{\"kind\": \"advance\", \"percent\": 50}, {\"kind\": \"final\", \"percent\": 50}]")
    total = sum(item.percent or 0 for item in schedule)
    if total != 100:
        raise ValueError(f"the payment schedule's percentages must add up to 100 (they add up to {total})")
    for kind in (InstallmentKind.advance, InstallmentKind.final):
        if sum(1 for item in schedule if item.kind == kind) > 1:
            raise ValueError(f"the payment schedule has at most one {kind.value} payment")
    milestones = [item.deliverable_key for item in schedule if item.kind == InstallmentKind.milestone]
    if len(milestones) != len(set(milestones)):
        raise ValueError("the payment schedule has one milestone per deliverable")
    return schedule


def deliverable_complete(item: Deliverable, brief: CampaignBrief) -> bool:
    """Platform, format and count known, and a due date: its own or, failing that, the campaign's end date."""
    return (bool(item.platform or brief.platforms) and bool(item.kind) and item.quantity >= 1
            and (item.due_date or brief.end_date) is not None)


class CampaignBrief(BaseModel):
    """The structured brief. `None` / empty means "not stated yet". Assignments are validated too, so a value
    outside the bounds never reaches the stored JSON."""

    model_config = ConfigDict(validate_assignment=True)

    goal: str | None = None
    product: str | None = None
    budget: BriefAmount | None = None
    currency: str | None = None  # ISO 4217
    platforms: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)  # ISO 3166-1 alpha-2
    languages: list[str] = Field(default_factory=list)  # ISO 639-1
    min_followers: int | None = None
    max_followers: int | None = None
    deliverables: list[Deliverable] = Field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    fee_ceiling: BriefAmount | None = None  # per creator, hard limit enforced in code
    # Per-creator ceilings that follow the creator (`store/negotiations/ceilings.py`), each capped by fee_ceiling:
    # an amount per 1,000 followers on the campaign's platforms, and/or the creator's own posted rates.
    fee_per_1k_followers: BriefAmount | None = None
    ceiling_from_rates: bool = False
    fee_target: BriefAmount | None = None  # per creator, what the agent opens with / aims for
    usage_rights: UsageRights | None = None  # what the agreement (and the contract) grants the brand
    exclusivity: Exclusivity | None = None
    payment_schedule: list[Installment] | None = None  # advance / milestone / final, in percent of the fee
    terms_later: bool = False  # the manager chose to settle missing terms at agreement time ("decide later")
    auto_send: list[str] = Field(default_factory=list)  # approval kinds the manager lets auto-send (none by default)
    # First contact: "preferred" = one message per creator on their preferred open channel (email when both);
    # "all" = one per open channel (email and WhatsApp).
    outreach_channels: Literal["preferred", "all"] = "preferred"

    @field_validator("payment_schedule")
    @classmethod
    def _schedule_adds_up(cls, value: list[Installment] | None) -> list[Installment] | None:
        return check_schedule(value) if value else value

    def missing_terms(self) -> list[str]:
        """The contract terms not stated yet (`TERM_FIELDS` order), whatever `terms_later` says."""
        missing = []
        if not self.deliverables or not all(deliverable_complete(item, self) for item in self.deliverables):
            missing.append("deliverables")
        if self.usage_rights is None or not self.usage_rights.channels or self.usage_rights.months is None:
            missing.append("usage_rights")
        if self.exclusivity is None or (self.exclusivity.exclusive and self.exclusivity.months is None):
            missing.append("exclusivity")
        if not self.payment_schedule:
            missing.append("payment_schedule")
        return missing

    def stored(self) -> dict[str, Any]:
        """The JSON kept in `campaigns.brief`: stated fields only, amounts as exact strings."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def patched(self, changes: dict[str, Any]) -> CampaignBrief:
        """This brief with `changes` (field → value, e.g. a manager's partial update) applied and validated."""
        return CampaignBrief.model_validate({**self.model_dump(), **changes})


def main_category(brief: CampaignBrief) -> str:
    """Exclusivity stated without a category covers the campaign's own niche (the contract needs one)."""
    return brief.categories[0] if brief.categories else brief.product or "the campaign's product category"


class HasBrief(Protocol):
    brief: dict[str, Any]


def brief_of(campaign: HasBrief | None) -> CampaignBrief:
    """The campaign's brief, parsed once (an empty brief for no campaign)."""
    return CampaignBrief.model_validate(campaign.brief or {}) if campaign is not None else CampaignBrief()


def store_brief(campaign: HasBrief, brief: CampaignBrief) -> None:
    campaign.brief = brief.stored()
