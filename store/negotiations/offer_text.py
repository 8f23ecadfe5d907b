"""The amounts an offer's wording states, so a manager's edit of the text can never state another fee than the one
the offer records (the store cannot call the drafting tasks; this reader is deliberately strict).

Counted: a number next to a currency (symbol or ISO code: "EUR 1,200", "1.200 €", "$950"), and a bare number of 50
or more that is not a year ("we can offer 1200"). Not counted: small numbers that count things ("3 stories"),
years, and numbers followed by a unit (followers, %, days, weeks, months).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SYMBOLS = "€$£¥₹"
_CODE = r"[A-Z]{3}"
_AMOUNT = re.compile(
    rf"(?P<pre>[{_SYMBOLS}]|\b{_CODE}\b)?\s?"
    r"(?P<num>(?<![\w.,])\d{1,3}(?:[,. ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|(?<![\w.,])\d+(?:[.,]\d{1,2})?(?!\d))"
    rf"(?P<mult>\s?[kK]\b)?\s?(?P<post>[{_SYMBOLS}]|\b{_CODE}\b)?")
_UNIT_AFTER = re.compile(r"\s*(k\s+)?(followers?|subscribers?|%|percent|days?|weeks?|months?|years?|hours?|"
                         r"stories|story|reels?|posts?|videos?|times|x\b)", re.I)
_CURRENCY_WORDS = re.compile(r"^\s*(euros?|dollars?|pounds?)\b", re.I)


def _number(raw: str) -> Decimal | None:
    raw = raw.replace(" ", "")
    if re.fullmatch(r"\d{1,3}([,.]\d{3})+([.,]\d{1,2})?", raw):
        separator = raw[len(raw.split(",")[0].split(".")[0])]  # the first separator groups thousands
        decimals = "," if separator == "." else "."
        whole, _, cents = raw.partition(decimals)
        raw = whole.replace(separator, "") + (f".{cents}" if cents else "")
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        return None


def stated_amounts(text: str) -> list[Decimal]:
    """The money amounts `text` states."""
    found = []
    for match in _AMOUNT.finditer(text):
        value = _number(match.group("num"))
        if value is None:
            continue
        if match.group("mult"):
            value *= 1000
        after = text[match.end():]
        currency = bool(match.group("pre") or match.group("post") or _CURRENCY_WORDS.match(after))
        if not currency:
            if _UNIT_AFTER.match(text[match.end("num"):]) or value < 50:
                continue
            if 1900 <= value <= 2100 and value == value.to_integral_value() and not match.group("mult"):
                continue  # a year
        found.append(value)
    return found


def disagreeing_amounts(text: str, amount: Decimal) -> list[Decimal]:
    """Amounts the text states other than `amount` (empty: the text agrees with the recorded offer)."""
    return [value for value in stated_amounts(text) if value != amount]
