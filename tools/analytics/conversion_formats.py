"""Parsing conversion webhooks into `OrderReport` / `RefundReport`: the generic signed JSON format and Shopify's
`orders/create` and `refunds/create` payloads. Input is untrusted: anything malformed is a 422 that says what to fix.

Generic JSON:
    {"type": "order", "order_id": "1001", "amount": "59.90", "currency": "EUR", "occurred_at": "2026-05-01T10:00:00Z",
     "promo_code": "CLEO10", "click_id": "<ic_click value>"}          (promo_code / click_id / click_ids optional)
    {"type": "refund", "order_id": "1001", "refund_id": "r1", "amount": "19.90", "currency": "EUR", "occurred_at": ...}
Shopify: the click token travels in the landing page URL (`landing_site`, `?ic_click=...`) or a cart attribute
(`note_attributes` named `ic_click`), the promo code in `discount_codes`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import InvalidInput
from store.analytics.conversions import OrderReport, RefundReport
from store.analytics.redirects import CLICK_PARAMETER


class GenericConversion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["order", "refund"]
    order_id: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")  # Postgres text holds no NUL
    refund_id: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[^\x00]*$")
    amount: Decimal = Field(ge=0, max_digits=15, decimal_places=3)
    currency: str = Field(pattern=r"^[A-Za-z]{3}$")
    occurred_at: datetime | None = None
    promo_code: str | None = Field(default=None, max_length=64, pattern=r"^[^\x00]*$")
    click_id: str | None = Field(default=None, max_length=100)

    @field_validator("occurred_at")
    @classmethod
    def _plausible_moment(cls, value: datetime | None) -> datetime | None:
        # an order from year 1 or 9999 is a typo, and its attribution window would overflow the calendar
        if value is not None and not 2000 <= value.year <= 2100:
            raise ValueError("occurred_at must be a date between the years 2000 and 2100")
        return value
    click_ids: list[str] = Field(default_factory=list, max_length=50)


def _problems(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"field": ".".join(str(part) for part in error["loc"]), "message": error["msg"]} for error in exc.errors()]


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_generic(payload: Any) -> OrderReport | RefundReport:
    try:
        event = GenericConversion.model_validate(payload)
    except ValidationError as exc:
        raise InvalidInput("Invalid conversion event: see details", code="invalid_conversion",
                           details=_problems(exc)) from exc
    if event.type == "refund":
        if not event.refund_id:
            raise InvalidInput("A refund needs a refund_id (replays are recognised by it)", code="invalid_conversion")
        return RefundReport("generic", event.order_id, event.refund_id, event.amount, event.currency.upper(),
                            _aware(event.occurred_at))
    return generic_order(event)


def generic_order(event: GenericConversion, source: str = "generic") -> OrderReport:
    tokens = ([event.click_id] if event.click_id else []) + event.click_ids
    return OrderReport(source, event.order_id, event.currency.upper(), event.amount, _aware(event.occurred_at),
                       [event.promo_code] if event.promo_code else [], tokens)


class _ShopifyDiscount(BaseModel):
    code: str = Field(max_length=100)


class _ShopifyAttribute(BaseModel):
    name: str = ""
    value: Any = None


class ShopifyOrder(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int | str
    created_at: datetime | None = None
    currency: str = Field(pattern=r"^[A-Za-z]{3}$")
    total_price: Decimal = Field(ge=0, max_digits=15, decimal_places=3)
    discount_codes: list[_ShopifyDiscount] = Field(default_factory=list, max_length=50)
    landing_site: str | None = Field(default=None, max_length=4000)
    note_attributes: list[_ShopifyAttribute] = Field(default_factory=list, max_length=100)


class _ShopifyTransaction(BaseModel):
    kind: str = "refund"
    status: str | None = None
    amount: Decimal = Field(ge=0, max_digits=15, decimal_places=3)
    currency: str | None = Field(default=None, pattern=r"^[A-Za-z]{3}$")


class ShopifyRefund(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int | str
    order_id: int | str
    created_at: datetime | None = None
    transactions: list[_ShopifyTransaction] = Field(default_factory=list, max_length=100)


def _tokens(order: ShopifyOrder) -> list[str]:
    tokens = [str(item.value) for item in order.note_attributes if item.name == CLICK_PARAMETER and item.value]
    if order.landing_site:
        tokens += parse_qs(urlsplit(order.landing_site).query).get(CLICK_PARAMETER, [])
    return tokens


def parse_shopify(topic: str | None, payload: Any, shop_currency: str | None = None) -> OrderReport | RefundReport:
    try:
        if topic == "orders/create":
            order = ShopifyOrder.model_validate(payload)
            return OrderReport("shopify", str(order.id), order.currency.upper(), order.total_price,
                               _aware(order.created_at), [item.code for item in order.discount_codes], _tokens(order))
        if topic == "refunds/create":
            refund = ShopifyRefund.model_validate(payload)
            paid_back = [item for item in refund.transactions
                         if item.kind == "refund" and item.status in (None, "success")]
            currency = next((item.currency for item in paid_back if item.currency), shop_currency)
            if currency is None:
                raise InvalidInput("The refund's transactions name no currency", code="invalid_conversion")
            return RefundReport("shopify", str(refund.order_id), str(refund.id),
                                sum((item.amount for item in paid_back), Decimal(0)), currency.upper(),
                                _aware(refund.created_at))
    except ValidationError as exc:
        raise InvalidInput(f"Invalid Shopify {topic} payload: see details", code="invalid_conversion",
                           details=_problems(exc)) from exc
    raise InvalidInput(f"Unsupported X-Shopify-Topic {topic!r}: subscribe orders/create and refunds/create",
                       code="unsupported_topic")
