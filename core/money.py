"""Money: a Decimal amount with an ISO 4217 currency. Never a float.

Amounts are exact to the currency's minor unit (cents for EUR, none for JPY, fils for BHD): a value with more
precision is rejected, not rounded, so an agreed fee can't silently change. Arithmetic between different
currencies raises `CurrencyMismatch` (422) instead of producing a meaningless sum.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from core.errors import InvalidInput

# ISO 4217 minor-unit exponents that differ from the default of 2 (the subset payment providers settle in).
_EXPONENTS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
    "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}


class CurrencyMismatch(InvalidInput):
    code = "currency_mismatch"


def currency_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


class Money(BaseModel):
    """An exact amount in one currency. JSON: `{"amount": "1250.00", "currency": "EUR"}`."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str

    @field_validator("currency", mode="before")
    @classmethod
    def _currency_code(cls, value: Any) -> str:
        code = str(value).strip().upper()
        if len(code) != 3 or not code.isalpha() or not code.isascii():
            raise ValueError("currency must be a three-letter ISO 4217 code such as EUR or USD")
        return code

    @field_validator("amount", mode="before")
    @classmethod
    def _exact_amount(cls, value: Any) -> Decimal:
        if isinstance(value, float):
            value = repr(value)  # 0.1 → "0.1", not 0.1000000000000000055511151231257827
        try:
            amount = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise ValueError("amount must be a decimal number such as \"1250.00\"") from exc
        if not amount.is_finite():
            raise ValueError("amount must be a finite number")
        return amount

    @model_validator(mode="after")
    def _fits_minor_unit(self) -> Money:
        quantum = Decimal(1).scaleb(-currency_exponent(self.currency))
        quantized = self.amount.quantize(quantum)
        if quantized != self.amount:
            raise ValueError(f"{self.currency} amounts have at most {currency_exponent(self.currency)} decimal places")
        object.__setattr__(self, "amount", quantized)
        return self

    # ----------------------------------------------------------------- construction and arithmetic
    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        return cls(amount=amount, currency=currency)  # type: ignore[arg-type]

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls.of(0, currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} with {other.currency}",
                                   details={"expected": self.currency, "got": other.currency})

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money.of(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money.of(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount >= other.amount

    def is_positive(self) -> bool:
        return self.amount > 0

    def minor_units(self) -> int:
        """The integer amount payment APIs take (cents for EUR, yen for JPY)."""
        return int(self.amount.scaleb(currency_exponent(self.currency)))

    def allocate(self, share: Decimal) -> Money:
        """`share` (0..1) of this amount, rounded down to the minor unit; callers give the remainder to the last
        part so the parts always add up to the whole."""
        quantum = Decimal(1).scaleb(-currency_exponent(self.currency))
        return Money.of((self.amount * share).quantize(quantum, rounding="ROUND_DOWN"), self.currency)

    def format(self) -> str:
        """`EUR 1,250.00`: unambiguous in contracts and invoices (no locale-dependent symbols)."""
        exponent = currency_exponent(self.currency)
        return f"{self.currency} {self.amount:,.{exponent}f}"

    def __str__(self) -> str:
        return self.format()


def json_number(amount: Decimal) -> int | float:
    """`amount` as a JSON number for API responses that have always shown numbers (the brief's budget and fees).

    Exact for the amounts it is used on: with at most 15 significant digits (the brief caps amounts at 10**12 with
    2 decimal places) a double's shortest repr is the decimal's own digits, so the JSON text reads "1234.56".
    """
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)
