"""Deterministic reply classification (the offline provider): cues in six languages, amounts with their role
(the creator's own price, an offer they quote back, an amount they accept), and a fixed precedence:
unsubscribe > out_of_office > counter_offer > declined > interested > question > other.

Also `supported_fee()`, used to check a model's proposed fee against the amounts the reply really contains.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from agents.tasks.dates import first_future_date
from agents.tasks.money import Amount, find_amounts
from agents.tasks.optout import is_opt_out
from agents.tasks.text import clean_inbound, drop_injections, fold
from agents.tasks.types import ReplyIntent


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


OUT_OF_OFFICE = _any(
    r"\bout of (the )?office\b", r"\booo\b", r"\bautomatic reply\b", r"\bauto-?\s?reply\b", r"\bautoreply\b",
    r"\b(i am|i'm|currently) (away|travell?ing|on (vacation|holiday|leave))\b", r"\baway until\b",
    r"\bon (annual|parental|maternity|paternity|sick|medical) leave\b", r"\b(limited|no) access to (my )?e-?mail\b",
    r"\bnot checking (this|my) (inbox|e-?mail)\b", r"\bwill (return|be back) on\b",
    r"\bnicht im buro\b", r"\babwesen(d|heit)\b", r"\bim urlaub\b", r"\bkeinen zugriff auf\b",
    r"\bfuera de la oficina\b", r"\b(estoy|me encuentro) de vacaciones\b", r"\bausente hasta\b",
    r"\babsente? du bureau\b", r"\bje suis absente?\b", r"\ben conges\b", r"\bfora do escritorio\b",
    r"\b(estou )?de ferias\b", r"\bfuori (ufficio|sede)\b", r"\bin ferie\b", r"\bsono assente\b")

DECLINED = _any(
    r"\bnot (really )?(interested|intrested|for me|a (good )?fit|the right fit|right for)\b", r"\bno,? thanks?\b",
    r"\bno thank you\b", r"\b(i'll|i will|i'm going to|have to|gonna|i'd rather|must) pass\b", r"\bpass on (this|it)\b",
    r"\bhard pass\b", r"\b(isn't|is not|not) (a )?(good )?fit\b", r"\b(have|need) to decline\b", r"\bdecline\b",
    r"\bfully booked\b", r"\bnot taking on\b", r"\bnot accepting (new )?\w*\b",
    r"\b(don't|do not|never) (work|partner|collaborate) with\b",
    r"\b(won't|will not|not) be moving forward\b", r"\bnot moving forward\b",
    r"^\s*(nah|nope|no)\s*[.!,]*\s*($|thanks|thank you|sorry|not\b)", r"\b(have to|must|gotta|going to) say no\b",
    r"\bi'?m afraid not\b", r"\bnein,? danke\b",
    r"\blol no\b", r"\bno way\b", r"\bcan't take (this|it) on\b", r"\bnot at this time\b", r"\bnot interested\b",
    r"\bno me interesa\b", r"\bno estoy interesad[oa]\b", r"\bno,? gracias\b", r"\bkein interesse\b",
    r"\bnicht interessiert\b", r"\b(muss|mussen) (leider )?absagen\b", r"\bleider nicht\b",
    r"\bpasst (leider )?nicht\b",
    r"\bpas interessee?\b", r"\bne suis pas interessee?\b", r"\bnon merci\b", r"\bnao tenho interesse\b",
    r"\bnao me interessa\b", r"\bnon mi interessa\b", r"\bnon sono interessat[oa]\b", r"\bno grazie\b",
    # sarcasm: "exactly what my audience needs", "oh sure, because ..."
    r"\b(exactly|just) what my\b.{0,60}\b(needs?|wants?|asked for)\b", r"\boh sure,? because\b", r"\byeah right\b",
    r"\bdying to see\b")

INTERESTED = _any(
    r"\b(i'm|i am|im|we're|we are) (in|down|interested|keen)\b", r"\bcount (me|us) in\b", r"\binterested!",
    r"\b(i'd|i would|we'd|would) love to\b", r"\b(happy|glad|keen|excited) to (do|join|be|take|help|work|"
    r"collaborate|participate|partner|go)\b", r"\bhappy to\b(?!.{0,20}\b(hear|chat|discuss|answer)\b)",
    r"\bsounds (good|great|amazing|perfect|fun)\b", r"\blet'?s do (it|this)\b", r"\blet'?s go\b",
    r"^\s*(yes|yess+|yeah|yep|yup|sure|absolutely|definitely|of course|ok|okay|deal)\b", r"\bsign me up\b",
    r"\b(works|work) for me\b", r"\bsend (me |over )?the (brief|contract|details|agreement)\b", r"\bnext steps?\b",
    r"\bhow (do|should|can) we (proceed|start|move forward)\b", r"\bi'?m in\b", r"\bwhere do i sign\b",
    r"^\s*(perfect|great|awesome|amazing|love it)\b",
    r"\bme encantar[ií]a\b", r"\bme interesa\b", r"\bcuenta conmigo\b", r"\bcon gusto\b", r"\bcomo seguimos\b",
    r"\bbin (gerne )?dabei\b", r"\bklingt (gut|super|toll)\b", r"\bgerne\b", r"\bavec plaisir\b", r"\bpartante?\b",
    r"\bca m'interesse\b", r"\bvolontiers\b", r"\btenho interesse\b", r"\badoraria\b", r"\btopo\b",
    r"\bcom certeza\b", r"\bmi piacerebbe\b", r"\bvolentieri\b", r"\bsono interessat[oa]\b", r"\bci sto\b",
    r"\b(si|sim|oui|ja),? (claro|con gusto|gerne|avec plaisir|com certeza|certo)\b")

QUESTION = _any(
    r"[?¿]", r"^\s*(what|how|who|when|where|which|why|is|are|can|could|do|does|would|will)\b.*",
    r"\btell me (a bit )?more\b", r"\bmore (details|info|information)\b", r"\bsend (me )?(more )?(details|info)\b")

# Amount roles, from the words around an amount.
_OFFER_BEFORE = re.compile(r"(you(r)? (offered|offer|proposed|mentioned|suggested)|offer(ed)? of|the offer|"
                           r"your budget|budget (is|of)|you('re| are) offering)\W*(of\W*)?(the\W*)?$", re.I)
_OFFER_AFTER = re.compile(r"^\W*(you (offered|proposed|mentioned|suggested)|(is|seems|feels) (a bit |way |too |really )"
                          r"*(low|little))", re.I)
_ACCEPT_AFTER = re.compile(r"^[^.!?]{0,40}\b(works|is fine|is ok|is okay|sounds (good|great|fair)|is perfect|"
                           r"is great|is good|deal)\b", re.I)
_ACCEPT_BEFORE = re.compile(r"\b(ok|okay|deal|agreed|accept|happy with|fine with)\b[^.!?]{0,15}$", re.I)
_ASK_CUE = re.compile(r"\b(rate|fee|charge|charges|price|cost|need|minimum|min|at least|looking at|around|do it for|"
                      r"do|would be|instead|how about|what about|quote|tarif|tarifa|honorar|cache|compenso|preco|"
                      r"precio|prix|ask|asking|for)\b[^.!?]{0,30}$", re.I)
_QUESTION_REF = re.compile(r"\b(is|what'?s|what is|how much is)\b[^.!?]{0,25}\b(budget|offer|pay|paid|payment)\b",
                           re.I)


HALF_CENT = Decimal("0.005")


@dataclass(frozen=True)
class RuleVerdict:
    intent: ReplyIntent
    proposed_fee: Decimal | None = None
    currency: str | None = None
    return_date: dt.date | None = None
    reason: str = ""


def _role(text: str, amount: Amount) -> str:
    before, after = text[: amount.start], text[amount.end:]
    sentence_start = max(before.rfind("."), before.rfind("!"), before.rfind("\n"), before.rfind("?"))
    sentence_before = before[sentence_start + 1:]
    if _OFFER_BEFORE.search(sentence_before[-40:]) or _OFFER_AFTER.match(after):
        return "accepted" if _ACCEPT_AFTER.match(after) else "offer"
    if _ACCEPT_AFTER.match(after) or _ACCEPT_BEFORE.search(sentence_before):
        return "accepted"
    sentence_end = re.search(r"[.!?\n]", after)
    in_question = sentence_end is not None and sentence_end.group(0) == "?"
    if in_question and _QUESTION_REF.search(sentence_before) and not _ASK_CUE.search(sentence_before[-25:]):
        return "offer"
    if amount.currency is None and not _ASK_CUE.search(sentence_before[-60:]) and not re.search(
            r"\d\s?[kK]\b", amount.text):
        return "noise"  # a bare number with no fee words around it
    return "ask"


def _fee(amounts: list[Amount], chosen: Amount) -> tuple[Decimal, str | None]:
    currency = chosen.currency or next((a.currency for a in amounts if a.currency), None)
    return chosen.value, currency


def classify_offline(text: str, today: dt.date) -> RuleVerdict:
    """The deterministic classification of one reply."""
    if is_opt_out(text):
        return RuleVerdict("unsubscribe", reason="opt-out phrase")
    own = clean_inbound(text)
    own, injected = drop_injections(own, rest_of_paragraph=True)
    folded = fold(own)
    if not re.search(r"\w", own):
        return RuleVerdict("other", reason="instructions only" if injected else "empty")
    if OUT_OF_OFFICE.search(folded):
        return RuleVerdict("out_of_office", return_date=first_future_date(own, today), reason="away reply")
    amounts = find_amounts(own)
    roles = [(amount, _role(own, amount)) for amount in amounts]
    asks = [a for a, role in roles if role == "ask"]
    accepted = [a for a, role in roles if role == "accepted"]
    if asks:
        value, currency = _fee(amounts, asks[0])
        return RuleVerdict("counter_offer", value, currency, reason="names own price")
    if accepted and not DECLINED.search(folded):
        value, currency = _fee(amounts, accepted[0])
        return RuleVerdict("interested", value, currency, reason="accepts an amount")
    if DECLINED.search(folded):
        return RuleVerdict("declined", reason="refusal cue")
    if INTERESTED.search(folded) and not re.search(r"\bbefore i (say|commit|agree)\b", folded):
        return RuleVerdict("interested", reason="acceptance cue")
    if QUESTION.search(folded):
        return RuleVerdict("question", reason="asks for information")
    return RuleVerdict("other", reason="no cue")


def supported_fee(text: str, fee: Decimal | None) -> bool:
    """Whether `fee` is one of the amounts the reply actually contains (to the cent)."""
    if fee is None:
        return True
    return any(abs(amount.value - fee) < HALF_CENT for amount in find_amounts(clean_inbound(text)))
