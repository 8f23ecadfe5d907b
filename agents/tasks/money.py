"""Money in free text: "$1,500", "1.500 €", "£2k", "2.5k USD", "R$ 3.000", "₹10,00,000", "3 mil reais", "900".

`find_amounts()` returns every amount with its currency (ISO 4217, or None when nothing names one) and its
position; numbers that are counts (followers, posts, days), dates or years are left out. Which amount is a fee,
an offer or a budget is decided by the callers, who know the context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Symbols and prefixes, longest first so "R$" wins over "$".
_SYMBOLS = {
    "US$": "USD", "AU$": "AUD", "A$": "AUD", "CA$": "CAD", "C$": "CAD", "MX$": "MXN", "NZ$": "NZD", "HK$": "HKD",
    "S$": "SGD", "R$": "BRL", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₺": "TRY",
    "₦": "NGN", "₱": "PHP", "฿": "THB", "₽": "RUB", "zł": "PLN", "Kč": "CZK", "TL": "TRY", "Rp": "IDR",
}
CODES = ("USD", "EUR", "GBP", "JPY", "INR", "BRL", "AUD", "CAD", "CHF", "MXN", "SEK", "NOK", "DKK", "PLN", "CZK",
         "NZD", "SGD", "HKD", "KRW", "TRY", "NGN", "ZAR", "AED", "SAR", "CNY", "RUB", "PHP", "THB", "IDR", "COP",
         "ARS", "CLP", "GHS", "KES", "EGP", "HUF", "RON", "ILS")
_WORDS = {
    "euro": "EUR", "euros": "EUR", "eur": "EUR", "dollar": "USD", "dollars": "USD", "bucks": "USD",
    "dólares": "USD", "dolares": "USD", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "reais": "BRL",
    "real": "BRL", "rupee": "INR", "rupees": "INR", "yen": "JPY", "franken": "CHF", "francs": "CHF",
    "złoty": "PLN", "zloty": "PLN", "złotych": "PLN", "zlotych": "PLN", "zl": "PLN", "lira": "TRY",
    "lirası": "TRY", "rupiah": "IDR", "naira": "NGN", "dirham": "AED", "dirhams": "AED", "rand": "ZAR",
}
_MULTIPLIERS = {"k": 1_000, "K": 1_000, "mil": 1_000, "thousand": 1_000, "grand": 1_000, "m": 1_000_000,
                "M": 1_000_000, "mn": 1_000_000, "million": 1_000_000, "millions": 1_000_000, "mio": 1_000_000,
                "lakh": 100_000, "lakhs": 100_000, "tys": 1_000, "tys.": 1_000, "bin": 1_000, "rb": 1_000,
                "ribu": 1_000, "jt": 1_000_000, "juta": 1_000_000}
# Counts, not money, when they follow a bare number.
_UNIT_AFTER = re.compile(
    r"^\s*\+?\s*(?:(?:instagram|insta|ig|youtube|yt|tiktok|twitter|x|twitch|pinterest|linkedin|facebook|fb)\s+)?"
    r"(followers?|subs\b|subscribers?|fans|views|likes|people|creators?|influencers?|posts?|reels?|"
    r"stories|story|videos?|shorts?|tiktoks?|frames?|slides?|days?|weeks?|months?|years?|hours?|hrs?|minutes?|"
    r"mins?|seconds?|secs?|s\b|%|percent|countries|times|rounds?|x\b|am\b|pm\b|h\b|st\b|nd\b|rd\b|th\b|"
    # the same counts in our other market languages (days, weeks, months, years, hours; stories, posts, followers)
    r"d[ií]as|tage?n?|jours?|giorni|dagen|dni|g[üu]n|hari|semanas?|wochen?|semaines?|settimane|weken|tygodni\w*|"
    r"hafta|minggu|meses|monate?n?|mois|mesi|maanden|miesi\w+|ay\b|bulan|anos|a[ñn]os|jahre?n?|ans\b|anni|jaar|"
    r"lat\b|y[ıi]l|tahun|horas|stunden|heures|ore\b|uur|godzin\w*|saat|jam\b|historias|storie|relacj\w*|"
    r"hikaye\w*|publica\w*|beitr[äa]ge|seguidores|abonn\w+|volgers|obserwuj\w+|takip[çc]i\w*|pengikut|"
    r"v[íi]deos|vid[ée]os|filmik\w*|of (jan|feb|mar|apr|"
    r"may|jun|jul|aug|sep|oct|nov|dec)|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)", re.I)
# ... or before it ("followers aku 40rb", "seguidores: 80 mil", "Follower: 12k")
_UNIT_BEFORE = re.compile(r"\b(followers?|subscribers?|subs|seguidores|abonn\w+|volgers|obserwuj\w+|takip[çc]i\w*|"
                          r"pengikut|iscritti|inscritos|views|likes|engagement)(\W+\w+)?\W*$", re.I)
_DATE_CONTEXT = re.compile(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$|[/.-]\s*$", re.I)

_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CODE_RE = "|".join(CODES)
_WORD_RE = "|".join(sorted(_WORDS, key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:[.,'\u00a0\u202f ]\d{2,3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
# Turkish "bin" (thousand) is also German "bin" (am): not before the words that follow it in German ("800 bin ich
# dabei").
_MULT_RE = (r"k|K|mil\b|thousand\b|grand\b|million\b|millions\b|mio\b|mn\b|lakhs?\b|tys\b\.?|"
            r"bin\b(?!\s+(?:ich|du|dabei|nicht|gerne?|auch|so|da|jetzt|schon|noch|total|voll|bereit|raus)\b)|rb\b|"
            r"ribu\b|jt\b|juta\b|m\b|M\b")
AMOUNT = re.compile(
    rf"(?P<pre>{_SYMBOL_RE}|\b(?:{_CODE_RE})\b)?\s?"
    rf"(?P<num>(?<![\d.,])(?:{_NUMBER}))(?:[.,][-–](?!\d))?"
    rf"(?:\s?(?P<mult>{_MULT_RE}))?(?P<kdigits>(?<=[kK])\d{{1,3}}\b)?"
    rf"(?:\s?(?P<post>{_SYMBOL_RE}|\b(?:{_CODE_RE})\b|\b(?:{_WORD_RE})\b))?",
    re.I)


CENT = Decimal("0.01")


# Ranges ("800-1000", "500 to 700 USD", "entre 800 e 1000 reais"): the low end is the amount, flagged `range`.
# "and" words join a range only after a "between" word ("between 3k and 4k", "tussen de 1.000 en 1.200").
_RANGE_TAIL = re.compile(rf"^\s?(?P<join>-|–|—|to|a|bis|à|tot|do|ile|sampai|hingga|ou|or|o|and|y|e|et|und|en|i|"
                         rf"ve|dan)\s?(?:(?:i|de|les|los|as|os)\s)?(?P<pre>{_SYMBOL_RE})?\s?"
                         rf"(?P<num>{_NUMBER})(?:\s?(?P<mult>{_MULT_RE}))?"
                         rf"(?:\s?(?P<post>{_SYMBOL_RE}|\b(?:{_CODE_RE})\b|\b(?:{_WORD_RE})\b))?", re.I)
_AND_JOINS = {"and", "y", "e", "et", "und", "en", "i", "ve", "dan"}
_BETWEEN_BEFORE = re.compile(r"\b(between|entre|zwischen|tussen|tra|fra|mi[eę]dzy|od|antara|kisaran|from|van|von|"
                             r"de|da)(?:\s+(?:the|de|i|os|as|los|les))?\s*$", re.I)


@dataclass(frozen=True)
class Amount:
    value: Decimal  # exact, to the cent
    currency: str | None
    start: int
    end: int
    text: str
    # "range" (low end of a range), "negative" ("-500"), "invalid" (exponent or digits no one writes as money)
    flags: frozenset[str] = frozenset()

    @property
    def has_currency(self) -> bool:
        return self.currency is not None


def parse_number(raw: str) -> Decimal | None:
    """"1,500" → 1500, "1.500,00" → 1500, "2,5" → 2.5, "10,00,000" → 1000000, "40 000" → 40000."""
    raw = re.sub(r"[\u00a0\u202f' ]", ",", raw.strip())
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        raw = raw.replace(thousands, "").replace(decimal, ".")
    else:
        for sep in (",", "."):
            if sep in raw:
                groups = raw.split(sep)
                if len(groups) > 2 or len(groups[-1]) == 3:
                    raw = raw.replace(sep, "")
                else:
                    raw = raw.replace(sep, ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    upper = token.upper()
    if upper in CODES:
        return upper
    return _WORDS.get(token.lower())


def to_cents(value: Decimal) -> Decimal:
    """Rounded to the cent; whole amounts without decimals ("2.5k" → 2500, "19.90" → 19.90)."""
    cents = value.quantize(CENT)
    return cents.quantize(Decimal(1)) if cents == cents.to_integral_value() else cents


def _scaled(value: Decimal, mult: str | None, currency: str | None) -> Decimal | None:
    if not mult:
        return value
    if mult in ("m", "M", "mn") and currency is None:
        return None  # "5m" without a currency is more likely minutes or metres
    return value * _MULTIPLIERS.get(mult, _MULTIPLIERS.get(mult.lower(), 1))


@dataclass(frozen=True)
class _RangeEnd:
    end: int
    currency: str | None
    high: Decimal | None  # the high end's value, multiplier applied
    mult: str | None  # the high end's multiplier, which a bare low end shares ("10-12 bin TL", "1,5-2jt")


def _range_end(text: str, start: int, end: int, currency: str | None) -> _RangeEnd | None:
    """Where a range starting at this amount ends, and the currency its high end names ("800-1000 €")."""
    tail = _RANGE_TAIL.match(text[end:])
    if not tail or re.match(r"\s*[/.:-]\s*\d", text[end + tail.end():]):
        return None  # "2025-03-01" is a date, not a range
    if tail.group("join").lower() in _AND_JOINS and not _BETWEEN_BEFORE.search(text[:start]):
        return None  # "500 and 2 stories": only "between ... and ..." is a range
    named = _currency(tail.group("pre")) or _currency(tail.group("post"))
    if currency is None and named is None and not re.search(r"[-–—]", tail.group(0)) \
            and not _BETWEEN_BEFORE.search(text[:start]):
        return None  # "5 to 7" of something: only a dash or "between" makes a bare range
    high = parse_number(tail.group("num"))
    mult = tail.group("mult")
    if high is not None:
        high = _scaled(high, mult, currency or named)
    return _RangeEnd(end + tail.end(), currency or named, high, mult)


def find_amounts(text: str, *, bare: bool = True) -> list[Amount]:
    """Every amount in `text`. With `bare=False`, only amounts with a currency. Ranges give their low end
    (flagged `range`); a minus sign or an exponent is flagged, never silently dropped."""
    found: list[Amount] = []
    skip_to = 0
    for match in AMOUNT.finditer(text):
        if match.start() < skip_to:
            continue
        value = parse_number(match.group("num"))
        if value is None:
            continue
        flags: set[str] = set()
        pre, post, mult = match.group("pre"), match.group("post"), match.group("mult")
        currency = _currency(post) if post and post.upper() in CODES else _currency(pre) or _currency(post)
        value = _scaled(value, mult, currency)
        if value is None:
            continue
        if match.group("kdigits"):  # "1k5" = 1500, "2k25" = 2250: the digits after k are the hundreds
            value += Decimal(match.group("kdigits").ljust(3, "0"))
        start, end = match.start(), match.end()
        num_start = match.start("num")
        before = text[max(0, num_start - 2): num_start]
        if re.search(r"(?:^|[\s(:=])[-−]$", text[:num_start]) or re.search(r"(?:^|[\s(:=])[-−]$", text[:start]):
            flags.add("negative")  # "-500", "-€500": a minus sign attached to the amount (not "May - 30")
        if re.match(r"[eE][+-]?\d", text[match.end("num"):]) or re.search(r"\d[eE][+-]?$", before):
            flags.add("invalid")  # "1e9 EUR": scientific notation is not how a fee is written
        if currency is None and re.search(r"\d\s?[/.-]$", text[:num_start]):
            continue  # the middle of a date ("2025-03-01")
        span = _range_end(text, start, end, currency) if not flags else None
        if span is not None:
            end, currency = span.end, span.currency
            flags.add("range")
            shared = _scaled(value, span.mult, currency) if span.mult and not mult else None
            if shared is not None and span.high is not None and shared <= span.high:
                value = shared  # "10-12 bin TL" is 10,000 to 12,000; "800-1.2k" stays 800
        if currency is None and "range" in flags and _UNIT_AFTER.match(text[end:]):
            continue  # "60-90s", "3-4 reels", "10-20 días": a range of counts, not of money
        if currency is None and "range" not in flags:
            dated = _DATE_CONTEXT.search(text[:start]) and "negative" not in flags
            if not bare or _UNIT_AFTER.match(text[end:]) or _UNIT_BEFORE.search(text[max(0, start - 30):start]) \
                    or dated:
                continue
            if re.match(r"\s*[/.:-]\s*\d", text[end:]) or (start > 0 and text[start - 1] in "@#"):
                continue  # part of a date, a time or a handle
            if not mult and value < 20:
                continue  # "1 YouTube video", "2 Shorts": small bare numbers count things
            if not mult and 1900 <= value <= 2100 and "," not in match.group("num") and "." not in match.group("num"):
                continue  # a year
        elif currency is None and not bare:
            continue
        if value.adjusted() > 17:
            flags.add("invalid")  # a run of digits no one writes as money (and too long to round to the cent)
            value = Decimal(0)
        skip_to = end
        found.append(Amount(to_cents(value), currency, start, end, text[start:end].strip(), frozenset(flags)))
    return found


def currencies_named(text: str) -> list[str]:
    """Currencies the text names anywhere, with or without an amount ("in euros", "budget in GBP")."""
    names = [a.currency for a in find_amounts(text, bare=False) if a.currency]
    for match in re.finditer(rf"\b({_CODE_RE})\b|\b({_WORD_RE})\b", text, re.I):
        token = match.group(0)
        if token.isupper() or token.lower() in _WORDS:
            code = _currency(token)
            if code and (token.isupper() or token.lower() not in {"real", "rand", "eur"} or token == "EUR"):
                names.append(code)
    return list(dict.fromkeys(names))


def format_amount(value: Decimal | int, currency: str | None) -> str:
    """"EUR 1,500" style, whole units when the value is whole."""
    value = Decimal(value)
    number = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{currency} {number}" if currency else number
