"""Usage rights and exclusivity in a manager's brief message (offline rules, English).

"usage rights 6 months organic + paid" → `UsageRights(channels=["organic social", "paid social"], months=6)`;
"3 months exclusivity in skincare" → `Exclusivity(category="skincare", months=3)`. Within a sentence a duration
belongs to the nearer cue ("usage rights 6 months organic + paid, 3 months exclusivity" sets both); channels only
to usage rights. A negated exclusivity ("no exclusivity", "non-exclusive") is a decided term too:
`Exclusivity(exclusive=False)`.
"""

from __future__ import annotations

import math
import re

from agents.tasks.text import fold, sentences
from store.campaigns.brief import MAX_EXCLUSIVITY_MONTHS, MAX_USAGE_MONTHS, Exclusivity, UsageRights

_USAGE_CUE = re.compile(r"\b(usage|(?:content |usage )?rights?|licen[cs](?:e|ing)|whitelist(?:ing|ed)?|repurpos\w*|"
                        r"re-?use|re-?post(?:ing)?|spark ads?)\b")
_EXCLUSIVITY_CUE = re.compile(r"\bexclusiv\w*")
_NEGATED = re.compile(r"\b(no|non|not|without|zero)[- ](?:\w+ ){0,2}exclusiv\w*", re.I)
_CHANNELS = (  # phrase → the channel name a contract uses
    (re.compile(r"\borganic\b"), "organic social"),
    (re.compile(r"\b(paid|ads?|advertising|whitelist\w*|spark ads?|boost\w*|dark posts?)\b"), "paid social"),
    (re.compile(r"\b(website|web ?site|landing pages?|e-?commerce|online store)\b"), "website"),
    (re.compile(r"\b(e-?mail|newsletters?|crm)\b"), "email marketing"),
    (re.compile(r"\b(print|ooh|out[- ]of[- ]home|billboards?)\b"), "print and out-of-home"),
    (re.compile(r"\b(tv|television|broadcast)\b"), "TV"),
    (re.compile(r"\b(in-?store|retail|point of sale|pos)\b"), "in-store"),
)
_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24}
_DURATION = re.compile(r"\b(\d{1,4}|" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) +
                       r")[- ]?(days?|weeks?|months?|mo|years?|yrs?)\b")
_CATEGORY = re.compile(r"\b(?:exclusiv\w*\s+(?:(?:in|for|within|across|on)\s+)+(?:the\s+)?|no competing\s+|"
                       r"exclusiv\w*\s*:\s*)(?!\d)([a-z][a-z &'-]{1,40}?)\s*(?:category|space|sector|industry|"
                       r"market|brands?|competitors?|products?|[,;.]|$)")


def _months(amount: int, unit: str) -> int:
    """A duration in whole months, rounded up (90 days → 3, 6 weeks → 2, 1 year → 12)."""
    if unit.startswith("d"):
        return max(1, math.ceil(amount / 30))
    if unit.startswith("w"):
        return max(1, math.ceil(amount * 7 / 30))
    if unit.startswith("y"):
        return amount * 12
    return amount


def durations(text: str) -> list[tuple[int, int, int]]:
    """(months, start, end) of every duration in folded `text`."""
    found = []
    for m in _DURATION.finditer(text):
        number = int(m.group(1)) if m.group(1).isdigit() else _WORD_NUMBERS[m.group(1)]
        months = _months(number, m.group(2))
        if 0 < months <= MAX_USAGE_MONTHS:  # longer is not a term anyone negotiates (and not a valid one)
            found.append((months, m.start(), m.end()))
    return found


def _distance(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    return min((max(s - end, start - e, 0) for s, e in spans), default=10**6)


def read_terms(text: str) -> tuple[UsageRights | None, Exclusivity | None]:
    """The usage rights and exclusivity `text` states (None for what it does not state)."""
    usage: UsageRights | None = None
    exclusivity: Exclusivity | None = None
    for sentence in sentences(fold(text)):
        usage_spans = [m.span() for m in _USAGE_CUE.finditer(sentence)]
        negated = bool(_NEGATED.search(sentence))
        exclusive_spans = [] if negated else [m.span() for m in _EXCLUSIVITY_CUE.finditer(sentence)]
        if negated:
            exclusivity = Exclusivity(exclusive=False)
        if not usage_spans and not exclusive_spans:
            continue
        usage_months = exclusive_months = None
        for months, start, end in durations(sentence):
            if _distance(start, end, exclusive_spans) < _distance(start, end, usage_spans):
                exclusive_months = months
            elif usage_spans:
                usage_months = months
        if usage_spans:
            channels = [name for pattern, name in _CHANNELS if pattern.search(sentence)]
            if channels or usage_months:
                usage = UsageRights(channels=channels or (usage.channels if usage else []),
                                    months=usage_months or (usage.months if usage else None))
        if exclusive_spans:
            category = _CATEGORY.search(_DURATION.sub(" ", sentence))
            exclusivity = Exclusivity(category=category.group(1).strip()[:200] if category else None,
                                      months=exclusive_months if (exclusive_months or 0) <= MAX_EXCLUSIVITY_MONTHS
                                      else None)
    return usage, exclusivity


def supported_terms(field: str, value: object, text: str) -> bool:
    """Whether `text` backs a model's usage rights / exclusivity: the cue is there, the months are a duration the
    text states, the channels are channels it names, the category words appear."""
    folded = fold(text)
    stated = {months for months, _, _ in durations(folded)}
    if field == "usage_rights" and isinstance(value, UsageRights):
        named = {name for pattern, name in _CHANNELS if pattern.search(folded)}
        return (bool(_USAGE_CUE.search(folded)) and set(value.channels) <= named
                and (value.months is None or value.months in stated))
    if field == "exclusivity" and isinstance(value, Exclusivity) and not value.exclusive:
        return bool(_NEGATED.search(folded))
    if field == "exclusivity" and isinstance(value, Exclusivity):
        words = re.findall(r"\w{3,}", fold(value.category or ""))
        return (bool(_EXCLUSIVITY_CUE.search(folded)) and not _NEGATED.search(folded)
                and (value.months is None or value.months in stated) and all(w in folded for w in words))
    return False
