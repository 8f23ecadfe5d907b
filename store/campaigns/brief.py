"""The campaign brief: one typed model for every reader (API, brief agent, discovery, negotiation, contracts,
payments, evals). Nothing reads the stored JSON by key: `brief_of(campaign)` parses it once and callers use
attributes; `store_brief(campaign, brief)` writes it back.

Money is `Decimal` end to end (`BriefAmount`): at most 2 decimal places and at most `MAX_AMOUNT`, so a typo such as
`1e308` is a clear validation error (422 through the API), not a budget. In the stored JSON amounts are strings
(`"1234.56"`); older rows holding JSON numbers still parse exactly (a float is read through its shortest repr).
Stored JSON leaves out fields still at their default ("not stated yet").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

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
    """The creator works with no competing brand: in `category` (None: the campaign's own category), `months` long."""

    category: str | None = Field(default=None, max_length=200)
    months: int | None = Field(default=None, ge=1, le=MAX_EXCLUSIVITY_MONTHS)


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
    fee_target: BriefAmount | None = None  # per creator, what the agent opens with / aims for
    usage_rights: UsageRights | None = None  # what the agreement (and the contract) grants the brand
    exclusivity: Exclusivity | None = None
    auto_send: list[str] = Field(default_factory=list)  # approval kinds the manager lets auto-send (none by default)
    # First contact: "preferred" = one message per creator on their preferred open channel (email when both);
    # "all" = one per open channel (email and WhatsApp).
    outreach_channels: Literal["preferred", "all"] = "preferred"

    def stored(self) -> dict[str, Any]:
        """The JSON kept in `campaigns.brief`: stated fields only, amounts as exact strings."""
        return self.model_dump(mode="json", exclude_defaults=True)

    def patched(self, changes: dict[str, Any]) -> CampaignBrief:
        """This brief with `changes` (field → value, e.g. a manager's partial update) applied and validated."""
        return CampaignBrief.model_validate({**self.model_dump(), **changes})


class HasBrief(Protocol):
    brief: dict[str, Any]


def brief_of(campaign: HasBrief | None) -> CampaignBrief:
    """The campaign's brief, parsed once (an empty brief for no campaign)."""
    return CampaignBrief.model_validate(campaign.brief or {}) if campaign is not None else CampaignBrief()


def store_brief(campaign: HasBrief, brief: CampaignBrief) -> None:
    campaign.brief = brief.stored()
