"""Dates in free text, in English, Spanish, German, French, Portuguese, Italian, Dutch, Polish, Turkish and
Indonesian (month names from CLDR through babel): ISO ("2025-08-18"), numeric day-first ("15.09.2025",
"10/03/2025") unless one numeric date of the text can only be month-first ("6/1/2025 - 8/15/2025": then all are),
named months ("March 10, 2025", "10th of March", "7 de enero", "3 mars 2025", "1-15 June", "Nov 3-Nov 28",
"1. bis 30. April", "in April") and quarters ("Q3", "Q1 2026").

A missing year is the next such date on or after `today`. `find_dates()` returns what it found with positions;
`find_months()` the months named without a day (for "in April" style ranges).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from babel import Locale

from agents.tasks.text import fold

MONTHS: dict[str, int] = {}
for _number, _names in enumerate([
    ("january", "jan", "enero", "januar", "janvier", "janeiro", "gennaio", "jänner"),
    ("february", "feb", "febrero", "februar", "fevrier", "fevereiro", "febbraio"),
    ("march", "mar", "marzo", "marz", "mars", "marco"),
    ("april", "apr", "abril", "avril", "aprile"),
    ("may", "mayo", "mai", "maio", "maggio"),
    ("june", "jun", "junio", "juni", "juin", "junho", "giugno"),
    ("july", "jul", "julio", "juli", "juillet", "julho", "luglio"),
    ("august", "aug", "agosto", "aout"),
    ("september", "sep", "sept", "septiembre", "septembre", "setembro", "settembre"),
    ("october", "oct", "octubre", "oktober", "octobre", "outubro", "ottobre"),
    ("november", "nov", "noviembre", "novembre", "novembro"),
    ("december", "dec", "diciembre", "dezember", "decembre", "dezembro", "dicembre"),
], start=1):
    for _name in _names:
        MONTHS[fold(_name)] = _number
# The other languages of our markets, and every name with its accents ("März", "février", "Kasım", "września"):
# full names in both grammatical forms (Polish "marzec" / "1 marca"), abbreviations only where they are no word.
for _locale in ("en", "es", "pt", "de", "fr", "it", "nl", "pl", "tr", "id"):
    _data = Locale.parse(_locale).months
    for _width in ("wide",) + (("abbreviated",) if _locale in ("nl", "id", "de", "fr", "es", "pt", "it") else ()):
        for _context in ("format", "stand-alone"):
            for _number, _name in _data[_context][_width].items():
                _name = _name.lower().rstrip(".")
                if len(_name) >= 3:
                    for _key in {_name, fold(_name), fold(_name).replace("ı", "i")}:
                        MONTHS.setdefault(_key, _number)
# Words that are also ordinary words: a month only with a day or year beside it, or capitalised.
_AMBIGUOUS = {"may", "mar", "march", "jan", "sep", "dec", "nov", "oct", "aug", "jun", "jul", "apr", "feb", "mai",
              "mart", "maj", "lis", "sie", "lip", "ara", "eki", "kas", "des", "okt", "agu", "mei", "juin"}

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|°|\.)?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")
_NUMERIC = re.compile(r"\b(?P<a>\d{1,2})[./](?P<b>\d{1,2})(?:[./](?P<y>(?:19|20)?\d{2}))?\b")
_DAY_MONTH = re.compile(rf"\b{_DAY}\s*(?:of\s+|de\s+|-?\s*)?(?P<m>{_MONTH_RE})\b\.?(?:,?\s*(?:de\s+)?{_YEAR})?", re.I)
_MONTH_DAY = re.compile(rf"\b(?P<m>{_MONTH_RE})\b\.?\s+{_DAY}\b(?!\s*(?:[.:]\d|%|k\b))(?:,?\s*{_YEAR})?", re.I)
# A numeric pair without a year ("3/15") is a date only right after a date word ("24/7" and "3.5" are not).
_DATE_WORD_BEFORE = re.compile(r"\b(until|till|from|to|on|by|bis|hasta|jusqu|ate|through|thru|live|starting|start|"
                               r"begin\w*|end\w*|and|between)\W*$", re.I)
_MONTH_ALONE = re.compile(rf"\b(?P<m>{_MONTH_RE})\b\.?(?:\s+(?:de\s+)?{_YEAR})?", re.I)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTH_RE})\.?\s*$", re.I)
_RANGE_TO = r"(?:-|–|to|until|till|and|al|au|a|à|bis|tot|t/m|do|y|e|et|ile|sampai|hingga|hasta|through|thru)"
_DAY_RANGE = re.compile(rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th|er|º|°|\.)?\s*{_RANGE_TO}\s*{_DAY}\s+(?:de\s+|of\s+)?"
                        rf"(?P<m>{_MONTH_RE})\b(?:,?\s*(?:de\s+)?{_YEAR})?", re.I)
_QUARTER = re.compile(r"\b(?:Q)(?P<q>[1-4])\b(?:\s*(?:/|de\s+|')?\s*(?P<y>(?:19|20)\d{2}))?")


@dataclass(frozen=True)
class FoundDate:
    value: dt.date
    start: int
    end: int
    has_year: bool


@dataclass(frozen=True)
class FoundMonth:
    year: int
    month: int
    start: int
    end: int

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _resolve(month: int, day: int, year: int | None, today: dt.date) -> dt.date | None:
    if year is not None:
        return _safe_date(year, month, day)
    candidate = _safe_date(today.year, month, day)
    if candidate is not None and candidate < today:
        candidate = _safe_date(today.year + 1, month, day)
    return candidate


def _is_month_word(text: str, match: re.Match[str], with_number: bool) -> bool:
    word = match.group("m")
    return with_number or fold(word) not in _AMBIGUOUS or word[0].isupper()


def month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or MONTHS[fold(word)]


def _numeric_pairs(text: str) -> list[re.Match[str]]:
    """Numeric dates: with a year, or a bare pair right after a date word ("24/7", "3.5" are not dates)."""
    return [m for m in _NUMERIC.finditer(text) if m["y"] or _DATE_WORD_BEFORE.search(fold(text[: m.start()]))]


def month_first(text: str) -> bool:
    """Whether the numeric dates of `text` are written month first: one of them can only be ("8/15/2025")."""
    pairs = [(int(m["a"]), int(m["b"])) for m in _numeric_pairs(text)]
    return any(b > 12 >= a for a, b in pairs) and not any(a > 12 >= b for a, b in pairs)


def find_dates(text: str, today: dt.date) -> list[FoundDate]:
    """Every day-precise date in `text`, in order of appearance (overlapping readings dropped)."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def add(value: dt.date | None, start: int, end: int, has_year: bool) -> None:
        if value is None or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(FoundDate(value, start, end, has_year))

    for m in _ISO.finditer(text):
        add(_safe_date(int(m["y"]), int(m["m"]), int(m["d"])), m.start(), m.end(), True)
    us_order = month_first(text)  # one order for the whole text: "6/1/2025 - 8/15/2025" is June 1 to August 15
    for m in _numeric_pairs(text):
        a, b = int(m["a"]), int(m["b"])
        day, month = (b, a) if us_order or b > 12 >= a else (a, b)
        year = int(m["y"]) + (2000 if m["y"] and len(m["y"]) == 2 else 0) if m["y"] else None
        add(_resolve(month, day, year, today), m.start(), m.end(), year is not None)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for m in pattern.finditer(text):
            if not _is_month_word(text, m, with_number=True):
                continue
            if pattern is _DAY_MONTH and _MONTH_BEFORE.search(text[: m.start()]):
                continue  # "Nov 3-Nov 28": the 3 belongs to the month before it
            month = month_number(m["m"])
            year = int(m["y"]) if m["y"] else None
            add(_resolve(month, int(m["d"]), year, today), m.start(), m.end(), year is not None)
    # "1-15 June 2025", "10 - 20 July": the first day borrows the month (and year) of the second.
    for m in _DAY_RANGE.finditer(text):
        month = month_number(m["m"])
        year = int(m["y"]) if m["y"] else None
        first = _resolve(month, int(m["d1"]), year, today)
        add(first, m.start(), m.start("d1") + len(m["d1"]), year is not None)
    return sorted(found, key=lambda item: item.start)


def find_months(text: str, today: dt.date, exclude: list[tuple[int, int]] | None = None) -> list[FoundMonth]:
    """Months named without a day ("in April", "September 2025", "end of October"), outside `exclude` spans."""
    spans = exclude or []
    months: list[FoundMonth] = []
    for m in _MONTH_ALONE.finditer(text):
        if any(s <= m.start() < e for s, e in spans) or not _is_month_word(text, m, with_number=bool(m["y"])):
            continue
        month = month_number(m["m"])
        year = int(m["y"]) if m["y"] else (today.year if month >= today.month else today.year + 1)
        months.append(FoundMonth(year, month, m.start(), m.end()))
    return months


def find_quarters(text: str, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Quarters named ("Q3", "Q1 2026"): first and last day; without a year, the next one not yet over."""
    found = []
    for m in _QUARTER.finditer(text):
        quarter = int(m["q"])
        year = int(m["y"]) if m["y"] else today.year
        last_month = quarter * 3
        if not m["y"] and dt.date(year, last_month, calendar.monthrange(year, last_month)[1]) < today:
            year += 1
        found.append((dt.date(year, last_month - 2, 1),
                      dt.date(year, last_month, calendar.monthrange(year, last_month)[1])))
    return found


def first_future_date(text: str, today: dt.date) -> dt.date | None:
    """The first date in `text` on or after `today` (an out-of-office return date)."""
    return next((d.value for d in find_dates(text, today) if d.value >= today), None)
