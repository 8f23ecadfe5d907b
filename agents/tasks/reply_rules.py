"""Deterministic reply classification (the offline provider): cues in our ten market languages
(`reply_cues.py`), amounts with their role (the creator's own price, an offer they quote back or judge, an amount
they accept), and a fixed precedence: unsubscribe > out_of_office > counter_offer > declined > interested >
question > other. A refusal wins over amounts that are not the creator's own price ("$200 for three reels…? Wow,
so generous. I'll pass" is declined).

The chosen fee carries flags the negotiation policy reads: `range` (the low end of "800-1000"), `several_prices`
(a rate card, or a later different price), `invalid` / `negative` (an amount that cannot be a fee).

Also `supported_fee()`, used to check a model's proposed fee against the amounts the reply really contains.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from agents.tasks import reply_cues as cues
from agents.tasks.dates import first_future_date
from agents.tasks.language import detect_language, words_to_digits
from agents.tasks.money import Amount, find_amounts
from agents.tasks.optout import is_opt_out
from agents.tasks.reply_terms import names_a_condition
from agents.tasks.text import clean_inbound, drop_injections, fold, scan_window, strip_history
from agents.tasks.types import ReplyIntent

# Inbound text is untrusted and the rules run on a worker's event loop: a reply's own words are read up to this
# many characters (the model path reads as many), and at most MAX_AMOUNTS of its amounts (a long rate card has a
# dozen), so a crafted body cannot hold a worker for seconds.
MAX_RULE_CHARS = 8000
MAX_AMOUNTS = 40


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile(cues.alternation(patterns), re.I)


OUT_OF_OFFICE = _any(
    r"\bout of (the )?office\b", r"\booo\b", r"\bautomatic reply\b", r"\bauto-?\s?reply\b", r"\bautoreply\b",
    r"\b(i am|i'm|currently) (away|travell?ing|on (vacation|holiday|leave))\b", r"\baway until\b",
    r"\bon (annual|parental|maternity|paternity|sick|medical) leave\b", r"\b(limited|no) access to (my )?e-?mail\b",
    r"\bnot checking (this|my) (inbox|e-?mail)\b", r"\bwill (return|be back) on\b",
    *cues.branches(cues.OUT_OF_OFFICE),
    r"\bnicht im buro\b", r"\babwesen(d|heit)\b", r"\bim urlaub\b", r"\bkeinen zugriff auf\b",
    r"\bfuera de la oficina\b", r"\b(estoy|me encuentro) de vacaciones\b", r"\bausente hasta\b",
    r"\babsente? du bureau\b", r"\bje suis absente?\b", r"\ben conges?\b", r"\bfora do escritorio\b",
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
    r"\bdying to see\b", *cues.branches(cues.DECLINED))

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
    r"\b(si|sim|oui|ja),? (claro|con gusto|gerne|avec plaisir|com certeza|certo)\b",
    *cues.branches(cues.INTERESTED))

QUESTION = _any(
    r"[?¿]", r"^\s*(what|how|who|when|where|which|why|is|are|can|could|do|does|would|will)\b.*",
    *cues.branches(cues.QUESTION),
    r"\btell me (a bit )?more\b", r"\bmore (details|info|information)\b", r"\bsend (me )?(more )?(details|info)\b")

# Amount roles, from the words around an amount.
_OFFER_BEFORE = re.compile(r"(\b(you(r)? (offered|offer|proposed|mentioned|suggested)|offer(ed)? of|the offer|"
                           r"your budget|budget (is|of)|you('re| are) offering)\W*(of\W*)?(the\W*)?|"
                           rf"\b({cues.alternatives(cues.OFFER_BEFORE)})\W*)$", re.I)
_OFFER_AFTER = re.compile(
    rf"^\W*(you (offered|proposed|mentioned|suggested)|{cues.alternatives(cues.OFFER_JUDGED_AFTER)}|"
    rf"{cues.alternatives(cues.OFFER_AFTER)})", re.I)
_ACCEPT_AFTER = re.compile(rf"^[^.!?]{{0,40}}\b({cues.alternatives(cues.ACCEPTED_AFTER)})(?!\w)", re.I)
_ACCEPT_BEFORE = re.compile(rf"\b({cues.alternatives(cues.ACCEPTED_BEFORE)})[^.!?]{{0,15}}$", re.I)
_OWN_BEFORE = re.compile(rf"\b({cues.alternatives(cues.OWN_PRICE_BEFORE)})(\W+\w+){{0,3}}\W*$", re.I)
_OWN_AFTER = re.compile(rf"^\W*(\w+\W+){{0,2}}({cues.alternatives(cues.OWN_PRICE_AFTER)})", re.I)
_BUT = re.compile(r"\b(but|pero|aber|mais|ma|maar|ale|ama|tapi|mas)\b", re.I)
_ASK_CUE = re.compile(r"\b(rate|fee|charge|charges|price|cost|need|minimum|min|at least|looking at|around|do it for|"
                      r"do|would be|instead|how about|what about|quote|tarif|tarifa|honorar|cache|compenso|preco|"
                      r"precio|prix|ask|asking|for)\b[^.!?]{0,30}$", re.I)
# "1200 and we have a deal", "2000 euros y lo hacemos", "1500 reais e fechamos": a price followed by a condition.
_CONDITION_AFTER = re.compile(r"^\W*(and|y|e|et|und|en|i|ve|dan|then|dann|alors|allora|entao)\s+"
                              r"(?!the\b|a\b|an\b|one\b|\d|usage|exclusiv)", re.I)
_JUDGED = re.compile(rf"^[^.!?]{{0,50}}\b({cues.alternatives(cues.OFFER_JUDGED_AFTER[:-1])}|"
                     r"(too|troppo|trop|demasiado|muito|zu|te|za|cok|terlalu) (low|little|pochi|poco|peu|pouco|"
                     r"wenig|weinig|malo|dusuk|kecil|rendah))", re.I)
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
    fee_flags: tuple[str, ...] = ()
    language: str = "en"


def _role(text: str, amount: Amount, ours: set[Decimal]) -> str:
    """offer (the brand's amount, quoted or judged) | accepted | own (the creator's price, stated as such) |
    ask (an amount that reads as a price) | noise."""
    before, after = text[: amount.start], text[amount.end:]
    sentence_start = max(before.rfind("."), before.rfind("!"), before.rfind("\n"), before.rfind("?"),
                         before.rfind("…"))
    sentence_before = before[sentence_start + 1:]
    sentence_end = re.search(r"[.!?\n]", after)
    sentence = _sentence_of(text, amount)
    if _OFFER_BEFORE.search(sentence_before[-40:]) or _OFFER_AFTER.match(after):
        accepted = _ACCEPT_AFTER.match(after) or (INTERESTED.search(fold(sentence)) and not DECLINED.search(
            fold(sentence)) and "?" not in sentence)  # "happy to move forward at the €450 you mentioned"
        if accepted:
            return "accepted"
        return "judged" if _JUDGED.search(after[:80]) else "offer"  # "400 € is too low" turns the offer down
    accept_before = _ACCEPT_BEFORE.search(sentence_before)
    if accept_before and re.fullmatch(r"\W*(ok|okay|oke|tamam|prima)\W*\w*\W*", accept_before.group(0), re.I) \
            and _OWN_AFTER.match(after) and not _ACCEPT_AFTER.match(after):
        return "own"  # "Ok so 600 for one reel": a filler "ok", then a price stated for a deliverable
    if accept_before:
        return "accepted"
    if _CONDITION_AFTER.match(after):
        return "own"  # "1200 and we have a deal": the creator's price, with the deal as its condition
    if _ACCEPT_AFTER.match(after):
        return "accepted"
    if amount.value in ours:
        return "accepted"  # the amount of our quoted offer, repeated without a complaint
    in_question = sentence_end is not None and sentence_end.group(0) == "?"
    if _OWN_BEFORE.search(sentence_before[-60:]) or (_OWN_AFTER.match(after) and not in_question):
        return "own"  # "200€ for a reel?" asks about a price; "200€ for a reel" states one
    if in_question and _QUESTION_REF.search(sentence_before) and not _ASK_CUE.search(sentence_before[-25:]):
        return "offer"
    if amount.currency is None and "range" not in amount.flags and not _ASK_CUE.search(sentence_before[-60:]) \
            and not re.search(
            r"\d\s?([kK]|jt|rb|tys)\b", amount.text) and not re.match(r"^\W*$", before):
        return "noise"  # a bare number with no fee words around it
    return "ask"


_IS_A_NO = re.compile(r"\W*(that'?s|it'?s|this is|is|c'est|es un|e um|ist ein|e un|is een|to jest|bu bir)\b")


def _aimed_at_a_condition(folded: str, cue: re.Match[str]) -> bool:
    """A refusal cue whose clause is about a term, not the work: "no exclusivity please, otherwise I'm in",
    "I don't do exclusivity deals", "Non, pas d'exclusivité, mais…" (a bare "no" takes the clause after it)."""
    splitter = r"[,;.!?\n]|\b(?:but|pero|aber|mais|ma|maar|ale|ama|tapi|mas|otherwise|sonst)\b"
    clauses = re.split(splitter, folded[cue.start():])
    bare_no = len(cue.group(0).strip(" ,.!")) <= 5 and len(clauses) > 1 and not clauses[0].strip(" ,.!")[5:]
    sentences_before = re.split(r"[.;!?\n]", folded[: cue.start()])
    before = sentences_before[-1] if sentences_before[-1].strip() or len(sentences_before) < 2 else \
        sentences_before[-2]  # "Perpetual usage? That's a no."
    if _IS_A_NO.match(cue.group(0)) and not re.search(rf"(?:{_BUT.pattern})\W*$", before):
        clauses = [before + " " + clauses[0]]  # "l'exclusivité, c'est non": said of what comes before it
    return names_a_condition(" ".join(clauses[:2]) if bare_no else clauses[0])


def _sentence_of(text: str, amount: Amount) -> str:
    before, after = text[: amount.start], text[amount.end:]
    start = max(before.rfind(mark) for mark in ".!?\n…") + 1
    end = re.search(r"[.!?\n…]+|$", after)
    return text[start: amount.end + (end.end() if end else 0)]


def _mocked(text: str, amount: Amount) -> bool:
    """An amount asked about or laughed at ("$200 for three reels…?", "lol $80 for 3 reels"), not stated as the
    creator's own price ("my rate is $900")."""
    sentence = _sentence_of(text, amount)
    if cues.STRONG_OWN.search(fold(sentence)):
        return False
    return "?" in sentence or bool(cues.MOCKERY.search(fold(sentence)))


def _fee(amounts: list[Amount], chosen: Amount) -> tuple[Decimal, str | None]:
    currency = chosen.currency or next((a.currency for a in amounts if a.currency), None)
    return chosen.value, currency


def _chosen_ask(text: str, roles: list[tuple[Amount, str]]) -> tuple[Amount, tuple[str, ...]] | None:
    """The creator's own price among the amounts, and why it may be ambiguous. A price stated as theirs ("my
    rate is") wins over a bare amount; "1200 but for you 1000" takes the later one."""
    own = [a for a, role in roles if role == "own"]
    asks = [a for a, role in roles if role in ("own", "ask")]
    if not asks:
        return None
    chosen = own[0] if own else asks[0]
    if len(own) > 1 and _BUT.search(text[own[0].end: own[-1].start]):
        chosen = own[-1]
    flags = set(chosen.flags)
    if any(a.start > chosen.start and a.value != chosen.value for a in asks):
        flags.add("several_prices")  # a rate card, or a second price after the first
    return chosen, tuple(sorted(flags))


def _emoji_only(text: str) -> str | None:
    if re.search(r"\w", text):
        return None
    if cues.EMOJI_NO.search(text):
        return "declined"
    return "interested" if cues.EMOJI_YES.search(text) else None


def _history_amounts(text: str) -> set[Decimal]:
    """Amounts in the quoted history (our earlier offer): the creator repeating one accepts it."""
    text = scan_window(text)  # what strip_history reads, so its result is a prefix of it
    own = strip_history(text)
    quoted = text[len(own):] if text.startswith(own) else ""
    return {a.value for a in find_amounts(quoted) if a.currency}


def classify_offline(text: str, today: dt.date) -> RuleVerdict:
    """The deterministic classification of one reply."""
    if is_opt_out(text):
        return RuleVerdict("unsubscribe", reason="opt-out phrase")
    own = clean_inbound(text)[:MAX_RULE_CHARS]
    own, injected = drop_injections(own, rest_of_paragraph=True)
    language = detect_language(own)
    emoji = _emoji_only(own)
    if emoji:
        return RuleVerdict(emoji, reason="emoji reply", language=language)  # type: ignore[arg-type]
    folded = fold(own)
    if not re.search(r"\w", own):
        return RuleVerdict("other", reason="instructions only" if injected else "empty", language=language)
    if OUT_OF_OFFICE.search(folded):
        return RuleVerdict("out_of_office", return_date=first_future_date(own, today), reason="away reply",
                           language=language)
    numeric = words_to_digits(own, language)
    amounts = find_amounts(numeric)[:MAX_AMOUNTS]
    # The cue words are written accent-folded ("preco", "ettiginiz"): roles read the folded text, same positions.
    readable = fold(numeric) if len(fold(numeric)) == len(numeric) else numeric.lower()
    quoted = _history_amounts(text)
    roles = [(amount, _role(readable, amount, quoted)) for amount in amounts]
    if not any(a.currency for a in amounts):  # "Mit 800 bin ich dabei": a bare price, the only amount there is
        roles = [(a, "ask" if role == "noise" and 100 <= a.value <= 100_000 and not re.search(r"\s", a.text)
                  else role) for a, role in roles]
    declined = any(not _aimed_at_a_condition(folded, cue) for cue in DECLINED.finditer(folded))
    # "400 € is too low": no, unless a price of theirs follows, or the objection is to a condition ("too low for
    # 6 months of exclusivity": the manager decides on the term)
    judged = any(role == "judged" for _, role in roles) and not names_a_condition(folded)
    mocked = [a for a, role in roles if role in ("own", "ask") and _mocked(numeric, a)]
    if mocked and (declined or cues.MOCKERY.search(folded)):
        # "a reel for 150 bucks? 😂 hard no": the amount is the brand's offer, laughed at, and the reply a refusal
        roles = [(a, "offer" if a in mocked else role) for a, role in roles]
        declined = True
    chosen = _chosen_ask(numeric, roles)
    stated_own = any(role == "own" for _, role in roles)
    if chosen and (stated_own or not declined):
        ask, flags = chosen
        value, currency = _fee(amounts, ask)
        return RuleVerdict("counter_offer", value, currency, reason="names own price", fee_flags=flags,
                           language=language)
    accepted = [a for a, role in roles if role == "accepted"]
    if accepted and not declined and not judged:
        value, currency = _fee(amounts, accepted[0])
        return RuleVerdict("interested", value, currency, reason="accepts an amount", fee_flags=tuple(
            sorted(accepted[0].flags)), language=language)
    if declined or judged:
        return RuleVerdict("declined", reason="refusal cue" if declined else "turns the offer down",
                           language=language)
    if (INTERESTED.search(folded) or cues.EMOJI_YES.search(own)) and not re.search(
            r"\bbefore i (say|commit|agree)\b", folded):  # "perfetto, procediamo 👍"
        return RuleVerdict("interested", reason="acceptance cue", language=language)
    if QUESTION.search(folded):
        return RuleVerdict("question", reason="asks for information", language=language)
    return RuleVerdict("other", reason="no cue", language=language)


def supported_fee(text: str, fee: Decimal | None) -> bool:
    """Whether `fee` is one of the amounts the reply actually contains (to the cent), numbers in words included
    ("twelve hundred", "dos mil euros", "1.5k")."""
    if fee is None:
        return True
    own = clean_inbound(text)
    amounts = find_amounts(own) + find_amounts(words_to_digits(own, detect_language(own)))
    return any(abs(amount.value - fee) < HALF_CENT for amount in amounts)
