"""The validated shape of a creator profile, shared by imports (`importing.py`) and `PUT /creators/me`.

Lenient where agency spreadsheets are messy — "12.5k" followers, "4.2%" engagement, "Germany" for DE,
"beauty; skincare" for a list, "+44 7700 900123" for a phone — and strict about what gets stored: ISO codes,
E.164 phones, known currencies, percentages within 0-100.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from core.errors import InvalidInput
from store.creators.iso_codes import COUNTRIES, LANGUAGES
from store.creators.money import CURRENCIES
from store.creators.profile import PLATFORMS, clean_handle

_COUNTRY_BY_NAME = {name.lower(): code for code, name in COUNTRIES.items()} | {"uk": "GB", "usa": "US"}
_LANGUAGE_BY_NAME = {name.lower(): code for code, name in LANGUAGES.items()}
_SUFFIX = {"k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_PHONE_NOISE = re.compile(r"[\s().\-/]")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_DELIVERABLE = re.compile(r"^[a-z][a-z0-9_]{1,47}$")
_HANDLE = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")


def parse_count(value: Any) -> Any:
    """"12,500" / "12.5k" / "1.2M" → int; other values pass through to the int validator."""
    if isinstance(value, str):
        text = value.strip().lower().replace(",", "").replace("_", "")
        if not text:
            return None
        if text[-1] in _SUFFIX:
            try:
                return int(round(float(text[:-1]) * _SUFFIX[text[-1]]))
            except ValueError:
                return value
        return text
    return value


def parse_number(value: Any) -> Any:
    """"4.2%" / "4,2" / " 350 " → float text; blank → None."""
    if isinstance(value, str):
        text = value.strip().rstrip("%").strip().replace(",", ".")
        return text or None
    return value


def split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part for part in re.split(r"[;,|/]", value) if part.strip()]
    return value


def parse_bool(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"", "no", "n", "false", "0", "off"}:
            return False
        if text in {"yes", "y", "true", "1", "on", "opted in", "opt-in"}:
            return True
    return False if value is None else value


def blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Count = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(parse_count)]
Percent = Annotated[Annotated[float, Field(ge=0, le=100)] | None, BeforeValidator(parse_number)]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
# Blank means "not asked" (None), not "no".
MaybeFlag = Annotated[bool | None, BeforeValidator(lambda v: None if blank_to_none(v) is None else parse_bool(v))]


class PlatformAudience(BaseModel):
    model_config = ConfigDict(extra="forbid")

    handle: Annotated[str | None, BeforeValidator(blank_to_none)] = Field(default=None, max_length=101)
    followers: Count = None
    avg_views: Count = None
    engagement_rate: Percent = Field(default=None, description="percent, 0-100")

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str | None) -> str | None:
        cleaned = clean_handle(value)
        if cleaned is not None and not _HANDLE.match(cleaned):
            raise ValueError("a handle has letters, digits, '_', '.' or '-' (an optional leading @)")
        return cleaned


class CreatorProfileData(BaseModel):
    """Everything a creator profile holds besides ownership and derived columns."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    display_name: str = Field(min_length=1, max_length=200)
    bio: Annotated[str, BeforeValidator(lambda v: "" if v is None else v)] = Field(default="", max_length=5000)
    categories: Annotated[list[str], BeforeValidator(split_list)] = Field(default_factory=list, max_length=20)
    languages: Annotated[list[str], BeforeValidator(split_list)] = Field(default_factory=list, max_length=20)
    country: Annotated[str | None, BeforeValidator(blank_to_none)] = None
    city: Annotated[str | None, BeforeValidator(blank_to_none)] = Field(default=None, max_length=120)
    email: Annotated[EmailStr | None, BeforeValidator(blank_to_none)] = None
    whatsapp_phone: Annotated[str | None, BeforeValidator(blank_to_none)] = Field(
        default=None, description="E.164, e.g. +447700900123")
    email_opt_in: MaybeFlag = Field(default=None, description="None: not asked; False: opted out")
    whatsapp_opt_in: Flag = False
    preferred_channel: Annotated[Literal["email", "whatsapp"] | None, BeforeValidator(blank_to_none)] = Field(
        default=None, description="the channel outreach uses when both are open; null: email")
    currency: Annotated[str, BeforeValidator(lambda v: "USD" if blank_to_none(v) is None else v)] = "USD"
    rates: dict[str, Annotated[float, BeforeValidator(parse_number), Field(ge=0)]] = Field(default_factory=dict)
    audience: dict[str, PlatformAudience] = Field(default_factory=dict)

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list[str]) -> list[str]:
        cleaned = [" ".join(item.lower().split()) for item in value]
        if any(len(item) > 64 for item in cleaned):
            raise ValueError("each category is at most 64 characters")
        return list(dict.fromkeys(item for item in cleaned if item))

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        codes = []
        for item in value:
            text = item.strip().lower()
            code = text if text in LANGUAGES else _LANGUAGE_BY_NAME.get(text)
            if code is None:
                raise ValueError(f"unknown language {item.strip()!r}: use ISO 639-1 codes such as en, es, pt")
            codes.append(code)
        return list(dict.fromkeys(codes))

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.upper() if value.upper() in COUNTRIES else _COUNTRY_BY_NAME.get(value.lower())
        if code is None:
            raise ValueError(f"unknown country {value!r}: use an ISO 3166-1 alpha-2 code such as US, GB, BR")
        return code

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return value.lower() if value else value

    @field_validator("whatsapp_phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        compact = _PHONE_NOISE.sub("", value)
        if compact.startswith("00"):
            compact = "+" + compact[2:]
        if not _E164.match(compact):
            raise ValueError("use E.164: '+', country code and number, e.g. +447700900123")
        return compact

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value.upper() not in CURRENCIES:
            raise ValueError(f"unsupported currency {value!r}; use one of {', '.join(sorted(CURRENCIES))}")
        return value.upper()

    @field_validator("rates")
    @classmethod
    def _rates(cls, value: dict[str, float]) -> dict[str, float]:
        for key in value:
            if not _DELIVERABLE.match(key):
                raise ValueError(f"deliverable {key!r}: use lower-case words joined by '_', e.g. instagram_reel")
        return value

    @field_validator("audience")
    @classmethod
    def _platforms(cls, value: dict[str, PlatformAudience]) -> dict[str, PlatformAudience]:
        unknown = [platform for platform in value if platform not in PLATFORMS]
        if unknown:
            raise ValueError(f"unknown platform {unknown[0]!r}; use {', '.join(PLATFORMS)}")
        return {platform: stats for platform, stats in value.items()
                if stats.handle or stats.followers or stats.avg_views or stats.engagement_rate}

    @model_validator(mode="after")
    def _consent_needs_a_channel(self) -> CreatorProfileData:
        if self.whatsapp_opt_in and not self.whatsapp_phone:
            raise ValueError("whatsapp_opt_in needs a whatsapp_phone")
        if self.email_opt_in and not self.email:
            raise ValueError("email_opt_in needs an email")
        if self.preferred_channel == "whatsapp" and not (self.whatsapp_phone and self.whatsapp_opt_in):
            raise ValueError("preferred_channel whatsapp needs a whatsapp_phone with whatsapp_opt_in")
        if self.preferred_channel == "email" and not self.email:
            raise ValueError("preferred_channel email needs an email")
        return self

    def columns(self) -> dict[str, Any]:
        """The model's values as `creators` column values."""
        values = self.model_dump()
        values["audience"] = {platform: stats.model_dump() for platform, stats in self.audience.items()}
        return values


_PAYOUT_ACCOUNT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{2,254}$")
_STRIPE_ACCOUNT = re.compile(r"^acct_[A-Za-z0-9_]{1,250}$")


def payout_account(value: str | None, provider: str) -> str | None:
    """The creator's account at the payment provider, checked for that provider (Stripe: a connected account id
    `acct_...`); empty clears it."""
    account = (value or "").strip() or None
    if account is None:
        return None
    if provider == "stripe" and not _STRIPE_ACCOUNT.match(account):
        raise InvalidInput("payout_account: use your Stripe connected account id, e.g. acct_1Nv0FGQ9RKHgCVdK",
                           code="invalid_profile", details=[{"field": "payout_account",
                                                              "message": "a Stripe account id starts with acct_"}])
    if not _PAYOUT_ACCOUNT.match(account):
        raise InvalidInput("payout_account: 3 to 255 letters, digits, '_', '.', ':' or '-'", code="invalid_profile",
                           details=[{"field": "payout_account", "message": "invalid characters or length"}])
    return account


def invalid_profile(exc: ValidationError) -> InvalidInput:
    """A 422 naming each field that failed and why."""
    problems = [{"field": ".".join(str(part) for part in error["loc"]) or None,
                 "message": error["msg"].removeprefix("Value error, ")} for error in exc.errors()]
    return InvalidInput("; ".join(f"{p['field'] or 'profile'}: {p['message']}" for p in problems),
                        code="invalid_profile", details=problems)
