"""Currencies a creator may quote rates in, with approximate USD reference rates.

The rates only make rates in different currencies comparable for the `max_rate` search filter (stored once per
creator as `min_rate_usd`); they are never used for offers or payments.
"""

from __future__ import annotations

USD_PER_UNIT: dict[str, float] = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.13, "CAD": 0.73, "AUD": 0.66, "NZD": 0.60, "JPY": 0.0067,
    "CNY": 0.14, "HKD": 0.128, "SGD": 0.74, "KRW": 0.00073, "INR": 0.012, "IDR": 0.000062, "PHP": 0.017,
    "THB": 0.028, "MYR": 0.21, "VND": 0.00004, "PKR": 0.0036, "BRL": 0.18, "MXN": 0.055, "ARS": 0.0011,
    "COP": 0.00025, "CLP": 0.0011, "PEN": 0.27, "SEK": 0.095, "NOK": 0.093, "DKK": 0.145, "PLN": 0.25,
    "CZK": 0.043, "HUF": 0.0027, "RON": 0.22, "TRY": 0.03, "UAH": 0.024, "ZAR": 0.054, "NGN": 0.00065,
    "KES": 0.0077, "EGP": 0.02, "MAD": 0.1, "AED": 0.27, "SAR": 0.27, "ILS": 0.27,
}

CURRENCIES = frozenset(USD_PER_UNIT)


def to_usd(amount: float, currency: str) -> float:
    return amount * USD_PER_UNIT[currency.upper()]


def from_usd(amount_usd: float, currency: str) -> float:
    return amount_usd / USD_PER_UNIT[currency.upper()]
