"""A model's reading of a creator's reply, checked against cheap signals in code before anything acts on it.

`reconcile()` takes the model's classification and the offline rules' one (`reply_rules`, read-only here) and
returns the classification to use plus *doubts*: reasons the model's word must not be acted on. The negotiation
agent escalates a doubted reply to the manager with the reasons on the approval (`agents/negotiation/nodes.py`).

- Opt-out always wins: when the rules hear an opt-out, the intent is `unsubscribe` (do-not-contact), whatever the
  model said; when the model hears one the rules missed, it is kept too (err towards not contacting).
- Refusal / interest / away: the model's intent is doubted when the rules read the opposite kind (a refusal
  against interest or a price, an away reply against a real answer).
- Amounts: the model's fee is kept when the reply's own words contain it — the rules' amounts, or a more tolerant
  reading (`fee_in_text`: numbers in words through text2num, "1.5k" / "2,5 mil", "1.500" / "1 500" / "1'500");
  a fee the text does not contain is dropped *and* doubted (never an offer or accept on an unverifiable amount).
  A price the rules read that the model did not name is doubted as well.
- Question vs statement: a fee the rules did not confirm, sitting in a sentence that ends with "?" ("Is $500 your
  budget?"), is doubted.

Doubts travel in the task's `notes` with the `DOUBT` prefix (`doubts_in()` reads them back).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from agents.tasks.language import words_to_digits
from agents.tasks.money import find_amounts, format_amount
from agents.tasks.text import clean_inbound
from agents.tasks.types import ReplyClassification

DOUBT = "cross-check: "
HALF_CENT = Decimal("0.005")
_TEXT2NUM_LANGUAGES = ("en", "es", "pt", "fr", "it", "de", "nl")
_MULTIPLIER = {"k": 1_000, "mil": 1_000, "tys": 1_000, "bin": 1_000, "rb": 1_000, "ribu": 1_000,
               "thousand": 1_000, "grand": 1_000, "tausend": 1_000, "mille": 1_000, "m": 1_000_000,
               "mn": 1_000_000, "mio": 1_000_000, "million": 1_000_000, "millions": 1_000_000,
               "millionen": 1_000_000, "milioni": 1_000_000, "jt": 1_000_000, "juta": 1_000_000}
# A number with thousands groups (dot, comma, apostrophe, thin / no-break space) or a plain / decimal one, then an
# optional multiplier word. Dates ("12/03", "03.12.2026") are not read: no digit or slash right around.
_NUMBER = re.compile(
    r"(?<![\w/])(?P<num>\d{1,3}(?:[.,'’\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)(?![/\d]|[.,]\d)"
    r"\s?(?P<mult>" + "|".join(sorted(_MULTIPLIER, key=len, reverse=True)) + r")?(?!\w)", re.I)
# Counts, not money ("1.5k followers").
_COUNT_AFTER = re.compile(r"^\s*(followers?|seguidores|follower|abonnenten|abonn[ée]s|subs\b|subscribers?|views|"
                          r"likes|posts?|reels?|stories|videos?|days?|dias|tage|jours|giorni|weeks?|months?)\b", re.I)
_REFUSAL = frozenset({"declined"})
_ENGAGED = frozenset({"interested", "counter_offer"})
_ALWAYS_KEPT = frozenset({"invalid", "negative"})


def _readings(number: str) -> set[Decimal]:
    """Every value a reader could mean by `number`: "1.500" is 1500 (grouped) or 1.5 (decimal point)."""
    values: set[Decimal] = set()
    grouped = re.fullmatch(r"(\d{1,3}(?:[.,'’\u00a0\u202f]\d{3})+)(?:([.,])(\d{1,2}))?", number)
    if grouped:
        whole = re.sub(r"\D", "", grouped.group(1))
        values.add(Decimal(f"{whole}.{grouped.group(3)}") if grouped.group(3) else Decimal(whole))
    single = re.fullmatch(r"(\d+)[.,](\d+)", number)
    if single:
        values.add(Decimal(f"{single.group(1)}.{single.group(2)}"))
    if number.isdigit():
        values.add(Decimal(number))
    return values


def digit_versions(own: str, languages: tuple[str, ...] = _TEXT2NUM_LANGUAGES) -> list[str]:
    """`own` as written, with number words before a currency turned into digits (the rules' converter), and with
    every number in words turned into digits in each of `languages` that text2num knows ("twelve hundred",
    "mil e quinhentos", "zweitausend")."""
    from text_to_num import alpha2digit

    versions = [own, words_to_digits(own)]
    for language in (code for code in languages if code in _TEXT2NUM_LANGUAGES):
        try:
            versions.append(alpha2digit(own, language))
        except Exception:  # a converter bug must not lose the check: the other versions still count
            continue
    return list(dict.fromkeys(versions))


@dataclass(frozen=True)
class Found:
    value: Decimal
    in_question: bool  # the sentence holding it ends with "?"


def tolerant_amounts(text: str) -> list[Found]:
    """Every amount a tolerant reader finds in the reply's own words (quoted history removed)."""
    found: list[Found] = []
    for version in digit_versions(clean_inbound(text)):
        for amount in find_amounts(version):
            found.append(Found(amount.value, _in_question(version, amount.end)))
        for match in _NUMBER.finditer(version):
            if _COUNT_AFTER.match(version[match.end():]):
                continue
            scale = _MULTIPLIER.get((match.group("mult") or "").lower(), 1)
            try:
                found.extend(Found(value * scale, _in_question(version, match.end()))
                             for value in _readings(match.group("num")))
            except InvalidOperation:
                continue
    return found


def _in_question(text: str, end: int) -> bool:
    after = re.search(r"[.!?\n]", text[end:])
    return after is not None and after.group(0) == "?"


def _matching(found: list[Found], fee: Decimal) -> list[Found]:
    return [item for item in found if abs(item.value - fee) < HALF_CENT]


def fee_in_text(text: str, fee: Decimal | None) -> bool:
    """Whether the reply's own words contain `fee` under a tolerant reading (see the module docstring)."""
    return fee is None or bool(_matching(tolerant_amounts(text), fee))


@dataclass
class Reconciled:
    verdict: ReplyClassification
    doubts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def all_notes(self) -> list[str]:
        return [*self.notes, *(f"{DOUBT}{doubt}" for doubt in self.doubts)]


def _amount(value: Decimal | None, currency: str | None) -> str:
    return format_amount(value, currency) if value is not None else "no fee"


def reconcile(model: ReplyClassification, rules: ReplyClassification, text: str) -> Reconciled:
    """The classification to act on, from the model's reading checked against the rules' and the text."""
    if rules.intent == "unsubscribe" or model.intent == "unsubscribe":
        note = [] if model.intent == "unsubscribe" else [
            f"opt-out in the reply: do-not-contact (the model read {model.intent})"]
        return Reconciled(rules.model_copy(update={"intent": "unsubscribe", "proposed_fee": None, "currency": None,
                                                   "fee_flags": []}), notes=note)
    doubts: list[str] = []
    notes: list[str] = []
    fee, currency = model.proposed_fee, model.currency
    found = tolerant_amounts(text) if fee is not None else []
    matches = _matching(found, fee) if fee is not None else []
    rules_fee = rules.proposed_fee
    # The rules' reasons a fee cannot be one clear price hold whatever the model read ("ok -500 EUR" stays
    # invalid even if the model reads 500); their range / rate-card flags go with the fee they describe.
    flags = set(rules.fee_flags) & _ALWAYS_KEPT
    if fee is not None and fee == rules_fee:
        flags |= set(rules.fee_flags)
    if fee is not None and not matches:
        doubts.append(f"the model read a fee of {_amount(fee, currency)} that the reply does not contain")
        notes.append(f"model fee {fee} is not in the reply: dropped")
        fee, currency = None, None
    elif fee is not None and rules_fee is None:
        notes.append(f"model fee {_amount(fee, currency)} found in the reply by the tolerant check (the rules "
                     "read none)")
        if all(item.in_question for item in matches):
            doubts.append(f"the reply asks about {_amount(fee, currency)} in a question; the model took it as the "
                          "creator's price")
    elif fee is not None and rules_fee is not None and fee != rules_fee:
        flags.add("disputed")  # the model and the rules read different fees: never accepted unseen
    if fee is None and rules_fee is not None and rules.intent == "counter_offer" \
            and model.intent in _ENGAGED | _REFUSAL:
        doubts.append(f"the rules read the creator's price {_amount(rules_fee, rules.currency)}; the model read "
                      f"{model.intent.replace('_', ' ')} with no fee")
    pair = (model.intent, rules.intent)
    if (model.intent in _REFUSAL and rules.intent in _ENGAGED | {"question"}) or \
            (model.intent in _ENGAGED and rules.intent in _REFUSAL):
        doubts.append(f"the model read {pair[0].replace('_', ' ')}, the reply's wording reads "
                      f"{pair[1].replace('_', ' ')}")
    elif model.intent == "out_of_office" and rules.intent in _ENGAGED | _REFUSAL | {"question"}:
        doubts.append(f"the model read an away reply, the reply's wording reads {pair[1].replace('_', ' ')}")
    elif model.intent in _ENGAGED and rules.intent == "out_of_office":
        doubts.append("the reply's wording reads an away reply, the model read an answer")
    verdict = model.model_copy(update={"proposed_fee": fee, "currency": currency if fee is not None else None,
                                       "fee_flags": sorted(flags)})
    return Reconciled(verdict, doubts, notes)


def doubts_in(notes: list[str]) -> list[str]:
    """The cross-check doubts a task's notes carry (see `Reconciled.all_notes`)."""
    return [note.removeprefix(DOUBT) for note in notes if note.startswith(DOUBT)]
