"""Deterministic brief extraction (the offline provider) and the support checks applied to a model's answer.

`read_message()` turns one manager message into a `BriefUpdate` holding only what the message states. Quoted
spans and sentences that instruct the system are removed first (`sanitize()`): they state nothing.
`supported()` tells whether a value (from a model) is backed by the sanitized text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from agents.tasks.brief_lexicon import normalize
from agents.tasks.brief_payments import read_payment_schedule, read_terms_later
from agents.tasks.brief_terms import read_terms, supported_terms
from agents.tasks.dates import find_dates, find_months, find_quarters
from agents.tasks.money import CODES, Amount, currencies_named, find_amounts, parse_number
from agents.tasks.text import drop_injections, drop_quoted, fold, sentences
from agents.tasks.vocab import match_categories, match_countries, match_languages, match_platforms
from store.campaigns.brief import MAX_AMOUNT, BriefAmount, Deliverable, Exclusivity, UsageRights
from store.contracts.terms import Installment

AUTO_SEND_KINDS = ("outreach", "follow_up")  # contracts, offers and payments always wait for a human
TIERS = {"nano": (1_000, 10_000), "micro": (10_000, 100_000), "mid": (100_000, 500_000),
         "macro": (500_000, 1_000_000), "mega": (1_000_000, None)}


class BriefUpdate(BaseModel):
    """The fields ONE manager message states; null (None) means the message does not state it."""

    goal: str | None = None
    product: str | None = None
    budget: BriefAmount | None = Field(default=None, description="total campaign budget, plain number")
    currency: str | None = Field(default=None, description="ISO 4217")
    platforms: list[str] | None = None
    categories: list[str] | None = None
    countries: list[str] | None = Field(default=None, description="ISO 3166-1 alpha-2")
    languages: list[str] | None = Field(default=None, description="ISO 639-1")
    min_followers: int | None = None
    max_followers: int | None = None
    deliverables: list[Deliverable] | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    fee_ceiling: BriefAmount | None = Field(default=None, description="per-creator maximum fee")
    fee_target: BriefAmount | None = Field(default=None, description="per-creator target fee")
    usage_rights: UsageRights | None = Field(default=None, description="channels the brand may reuse the content on "
                                             "(e.g. organic social, paid social) and for how many months")
    exclusivity: Exclusivity | None = Field(default=None, description="competitor category and months the creator "
                                            "works with no competing brand")
    payment_schedule: list[Installment] | None = Field(
        default=None, description="when the fee is paid, percentages adding up to 100: kind advance (on signature), "
                                  "milestone (when deliverable_key is approved) or final (when all are approved)")
    terms_later: bool | None = Field(default=None, description="true when the manager says to decide the contract "
                                                               "terms later, at agreement")
    auto_send: list[str] | None = Field(default=None, description="approval kinds allowed to go out without asking")
    outreach_channels: Literal["preferred", "all"] | None = Field(
        default=None, description="'all': first contact on email AND WhatsApp; 'preferred': one channel per creator")
    reply: str | None = Field(default=None, description="one sentence back to the manager")


def sanitize(text: str) -> str:
    """The manager's own statements: quoted spans and instruction-like sentences removed."""
    return drop_injections(drop_quoted(text))[0]


# ---------------------------------------------------------------- money
_PER_CREATOR = re.compile(r"\b(max(imum)?|cap|ceiling|top)\W+(fee|rate)\b|\b(fee|rate) (cap|ceiling|max\w*)\b|"
                          r"\bper[- ](creator|influencer|person|head|post|video|reel|deliverable|collab\w*|"
                          r"piece)\b|\b(each|a|per|any|every|one|a single|any single|any one) "
                          r"(creator|influencer|person|talent)s?\b|"
                          r"/\s?creator\b|\beach\b", re.I)
_CEILING = re.compile(r"\b(max(imum)?|up to|no more than|not more than|at most|cap(ped)?( at)?|ceiling|limit|"
                      r"(nobody|no one|none|no creator) (over|above|more than)|"
                      r"tops|never above)\b[^.!?]{0,25}$", re.I)
_TARGET = re.compile(r"\b(ideally|target|aim( for)?|around|about|roughly|typically|usually|prefer(ably)?|"
                     r"open with|start at)\b[^.!?]{0,25}$", re.I)
_BUDGET = re.compile(r"\b(budget|spend|total|presupuesto|orcamento|budget|etat|investment|invest|we have|"
                     r"allocated?)\b", re.I)
_MONEY_CUE = re.compile(r"\b(budget|spend|per creator|max|maximum|up to|fee|pay|cap|ceiling|ideally|around|target|"
                        r"total|aim( for)?|no more than|never above|each)\b", re.I)
_FOLLOWER_UNIT = r"(?:followers?|subscribers?|subs|fans|seguidores|abonnes|abonnenten)"


def _money(sentence: str, *, cue: bool = False) -> list[Amount]:
    """The amounts in `sentence`; a bare number only after a money word (or anywhere in a budget clause, `cue`)."""
    amounts = []
    # A leading ": ": money.py reads an amount at the very start of a text as a handle ("15k budget eur").
    for found in find_amounts(": " + sentence):
        amount = replace(found, start=found.start - 2, end=found.end - 2)
        if amount.value > MAX_AMOUNT:
            continue  # no brief amount is that large: a typo or not money
        if amount.currency is None:
            before, after = sentence[: amount.start], sentence[amount.end:]
            per_creator_after = bool(_PER_CREATOR.match(after.strip()[:25]))  # "nobody over 800 per creator"
            if not (cue or per_creator_after or _MONEY_CUE.search(fold(before[-40:]))) \
                    or re.match(rf"^[^.!?]{{0,30}}{_FOLLOWER_UNIT}", fold(after)):
                continue
        amounts.append(amount)
    return amounts


def _clauses(sentence: str) -> list[str]:
    """A sentence cut at ", ", ";" and brackets: "budget USD 120k, per creator no more than 8k, target 5k" holds
    three amounts with three roles."""
    return [part for part in re.split(r",\s+|;|\||\(|\)|\s[–-]\s", sentence) if part.strip()]


def _currency_word(clause: str) -> str | None:
    """A currency code written in lower case beside a budget ("15k budget eur")."""
    match = re.search(rf"\b({'|'.join(CODES)})\b", clause, re.I)
    return match.group(1).upper() if match else None


def _read_money(text: str, update: BriefUpdate) -> None:
    """The campaign budget, and the per-creator ceiling and target, clause by clause: a clause naming the budget
    gives the budget; one naming a per-creator amount ("maximal 2.500 € pro Creator", "aim for 2k each") — or any
    other amount in a sentence that does — gives the ceiling, or the target when it says "ideally", "aim for"."""
    budget_candidates: list[Amount] = []
    plain: list[Amount] = []
    named: str | None = None
    for sentence in sentences(text):
        per_sentence = bool(_PER_CREATOR.search(sentence))
        for clause in _clauses(sentence):
            budget_cue = bool(_BUDGET.search(fold(clause)))
            amounts = _money(clause, cue=budget_cue)
            if not amounts:
                continue
            if budget_cue and not _PER_CREATOR.search(clause):
                budget_candidates.extend(amounts)
                named = named or _currency_word(clause)
                continue
            if per_sentence or _TARGET.search(clause):
                for amount in amounts:
                    before = clause[: amount.start]
                    if _TARGET.search(before) and not _CEILING.search(before[-15:]):
                        update.fee_target = amount.value
                    else:
                        update.fee_ceiling = amount.value
                continue
            plain.extend(amounts)
    chosen = budget_candidates[-1] if budget_candidates else next((a for a in plain if a.currency), None)
    if chosen is not None:
        update.budget = chosen.value
    every = budget_candidates + plain
    currency = (chosen.currency if chosen else None) or next((a.currency for a in every if a.currency), None)
    update.currency = currency or named or next(iter(currencies_named(text)), None)


# ---------------------------------------------------------------- audience size
_NUM = r"(\d{1,3}(?: \d{3})+(?:\s?(?:k|m|mio|million))?|\d+(?:[.,]\d+)*\s?(?:k|m|mio|million)?)"


def _count(raw: str) -> int | None:
    raw = raw.strip().lower().replace(" ", "")
    multiplier = 1
    for suffix, factor in (("million", 1_000_000), ("mio", 1_000_000), ("k", 1_000), ("m", 1_000_000)):
        if raw.endswith(suffix):
            raw, multiplier = raw[: -len(suffix)], factor
            break
    value = parse_number(raw) if multiplier == 1 else parse_number(raw.replace(",", "."))
    return int(round(value * multiplier)) if value is not None else None


def _read_followers(text: str, update: BriefUpdate) -> None:
    folded = fold(text)
    low: int | None = None
    high: int | None = None
    tiers = [name for name in TIERS if re.search(rf"\b{name}(-| )?(tier|size|sized)?(-| )?(influencers?|creators?|"
                                                 rf"accounts?|level)?\b", folded)
             and (name != "mid" or re.search(r"\bmid(-| )?(tier|size|sized)\b", folded))]
    if tiers:
        low = min(TIERS[t][0] for t in tiers)
        highs = [TIERS[t][1] for t in tiers]
        high = None if None in highs else max(h for h in highs if h is not None)
    unit = rf"\s*\+?\s*{_FOLLOWER_UNIT}"
    for m in re.finditer(rf"(?:between|from)?\s*{_NUM}\s*(?:-|–|to|and)\s*{_NUM}{unit}", folded):
        low, high = _count(m.group(1)), _count(m.group(2))
        suffix = re.search(r"[a-z]+$", m.group(2).strip())
        if low is not None and high is not None and suffix and m.group(1).strip().isdigit() and low * 1000 <= high:
            low = _count(m.group(1).strip() + suffix.group(0))  # "10-50k followers": 10k to 50k
    for m in re.finditer(rf"(?:over|more than|above|at least|min(?:imum)?(?: of)?|bigger than|larger than|>=?)\s*"
                         rf"{_NUM}(?:{unit}|\s*\+)",
                         folded):
        if not re.search(r"\b(no|nothing|not)\s*$", folded[: m.start()]):  # "nothing bigger than 50k" is a max
            low = _count(m.group(1))
    for m in re.finditer(rf"{_NUM}\s*\+(?:\s*{_FOLLOWER_UNIT})?", folded):
        low = _count(m.group(1))
    for m in re.finditer(rf"(?:under|less than|below|up to|max(?:imum)?(?: of)?|at most|(?:no|nothing|not) "
                         rf"(?:more|bigger|larger) than|smaller than|<=?)\s*{_NUM}{unit}", folded):
        high = _count(m.group(1))
    if low is None or high is None:
        clause_low, clause_high = _followers_in_clause(folded)  # fills only the bound still unknown
        if low is None and (high is None or clause_low is None or clause_low < high):
            low = clause_low
        if high is None and (low is None or clause_high is None or clause_high > low):
            high = clause_high
    update.min_followers, update.max_followers = low, high


def _audience_size(raw: str) -> int | None:
    """A count that can be an audience bound: written with k/m, or at least 1,000 ("1 to 15" is not)."""
    value = _count(raw)
    return value if value is not None and (re.search(r"[a-z]", raw) or value >= 1000) else None


def _followers_in_clause(folded: str) -> tuple[int | None, int | None]:
    """Bounds in a clause that names followers anywhere, not right after the number: "followers between 50K and
    250K", "at least 10k but no more than 60k followers"."""
    low: int | None = None
    high: int | None = None
    for clause in re.split(r"[.;!?\n|]|,\s", folded):
        if not re.search(rf"{_FOLLOWER_UNIT}|\b(size|audience|reach|tier)\b", clause):
            continue
        for m in re.finditer(rf"{_NUM}\s*(?:-|–|to|and)\s*{_NUM}", clause):
            first, second = _audience_size(m.group(1)), _audience_size(m.group(2))
            if first is not None and second is not None and first < second:
                return first, second
        for m in re.finditer(rf"(?:over|more than|above|at least|min(?:imum)?(?: of)?)\s*{_NUM}", clause):
            if not re.search(r"\b(no|nothing|not)\s*$", clause[: m.start()]):
                low = _audience_size(m.group(1)) or low
        for m in re.finditer(rf"(?:under|less than|below|up to|max(?:imum)?(?: of)?|at most|(?:no|not) more than)"
                             rf"\s*{_NUM}", clause):
            high = _audience_size(m.group(1)) or high
    return low, high


# ---------------------------------------------------------------- dates
_END_CUE = re.compile(r"\b(by|until|till|deadline|end(s|ing|e)?|no later than|before|finish(es|ing)?|through|fin|"
                      r"hasta|ate|até|fino|entro|tot|uiterlijk|kadar|sampai|selesai|termine|einde)\b"
                      r"[^.!?\d]{0,25}$", re.I)


_START_CUE = re.compile(r"\b(start(s|ing)?|from|beginning|as of|kick(ing)? off|lancement|desde|a partir de|"
                        r"vanaf|mulai|ab|inizio|início|inicio|beginn)\b[^.!?\d]{0,15}$", re.I)


_MID = re.compile(r"\b(mid|middle of|medio|mediados de|meados de|mitte|mi-|meta|half|po[lł]owa|ortas[ıi])\W*$")
_FIRST_PART = re.compile(r"\b(first (two|2) weeks|first half|erste[nr]? (halfte|zwei wochen)|primera quincena|"
                         r"primeira quinzena|premiere quinzaine|prima quindicina|eerste helft|pierwsza po[lł]owa)"
                         r"( of| de| des| di| van| von)?\W*$")
_DURATION = re.compile(r"^[^.!?\d]{0,20}\b(?:for|durant|durante|fur|voor|przez|boyunca|selama)\s+(\d{1,2}|one|two|"
                       r"three|four|five|six|eight|ten|twelve)\s+(weeks?|days?|months?|semanas?|wochen|semaines|"
                       r"settimane|weken|tygodni|hafta|minggu)\b", re.I)
_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10, "twelve": 12}


def _after_duration(after: str, start: dt.date) -> dt.date | None:
    """The end of "for 6 weeks" / "for 10 days" right after a start date (None when no duration follows)."""
    found = _DURATION.search(after)
    if not found:
        return None
    count = int(found.group(1)) if found.group(1).isdigit() else _SMALL[found.group(1).lower()]
    unit = found.group(2).lower()
    if unit.startswith("month"):
        month = start.month - 1 + count
        year = start.year + month // 12
        return start.replace(year=year, month=month % 12 + 1, day=min(start.day, 28)) - dt.timedelta(days=1)
    days = count if unit.startswith("day") else count * 7
    return start + dt.timedelta(days=days)


def _read_dates(text: str, today: dt.date, update: BriefUpdate) -> None:
    dates = find_dates(text, today)
    if len(dates) >= 2:
        first, last = dates[0], dates[-1]
        start, end = first.value, last.value
        if not first.has_year and last.has_year:
            start = start.replace(year=end.year - (1 if (start.month, start.day) > (end.month, end.day) else 0))
        update.start_date, update.end_date = start, end
        return
    if len(dates) == 1:
        found = dates[0]
        if _END_CUE.search(text[: found.start][-30:]):
            update.end_date = found.value
        else:
            update.start_date = found.value
            update.end_date = _after_duration(text[found.end:], found.value)  # "starting 1 June for 6 weeks"
        return
    quarters = find_quarters(text, today)
    if quarters:
        update.start_date, update.end_date = quarters[0][0], quarters[-1][1]
        return
    months = find_months(text, today)
    if not months:
        return
    if len(months) == 1 and _END_CUE.search(text[: months[0].start][-30:]):
        update.end_date = months[0].last
        return
    if len(months) == 1 and _START_CUE.search(text[: months[0].start][-30:]):
        update.start_date = months[0].first
        return
    first_month, last_month = months[0], months[-1]
    update.start_date, update.end_date = first_month.first, last_month.last
    before_first, before_last = fold(text[: first_month.start])[-30:], fold(text[: last_month.start])[-30:]
    if _MID.search(before_first):
        update.start_date = first_month.first.replace(day=15)  # "mid-March": the 15th
    if len(months) > 1 and _MID.search(before_last):
        update.end_date = last_month.first.replace(day=15)  # "October through mid-November"
    first_part = _FIRST_PART.search(before_last)
    if first_part:  # "first two weeks of Feb", "first half of May"
        update.end_date = last_month.first.replace(day=14 if "week" in first_part.group(0) else 15)
    if update.end_date < update.start_date:
        end = update.end_date
        update.end_date = end.replace(year=end.year + 1, day=min(end.day, 28) if end.month == 2 else end.day)


# ---------------------------------------------------------------- deliverables, goal, product, approvals
_QUANTITIES = {"a": 1, "an": 1, "one": 1, "single": 1, "dedicated": 1, "two": 2, "three": 3, "four": 4, "five": 5,
               "six": 6, "ten": 10}
_KINDS = {"reel": ("reel", "instagram"), "post": ("post", None), "story": ("story", "instagram"),
          "stories": ("story", "instagram"), "video": ("video", None), "short": ("short", "youtube"),
          "tiktok": ("video", "tiktok"), "live": ("live", None), "stream": ("live", None),
          "integration": ("integration", "youtube"), "carousel": ("carousel", "instagram")}
_DELIVERABLE = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|ten|single|dedicated)\s+(?:dedicated\s+)?(?:(instagram|ig|insta|tiktok|"
    r"youtube|yt)\s+)?(reels?|posts?|stories|story|videos?|shorts?|tiktoks?|lives?|streams?|integrations?|"
    r"carousels?)\b")
_PLATFORM_WORD = {"ig": "instagram", "insta": "instagram", "yt": "youtube"}


_DUE_CUE = re.compile(r"\b(by|due|before|until|till|deadline|no later than|live on|posted on|on)\b")


def _read_deliverables(text: str, today: dt.date, update: BriefUpdate) -> None:
    """Deliverables with their due dates: "1 reel by April 10 and 3 stories by April 20" pairs them in order;
    one date in the sentence ("a reel and 3 stories by April 10") is every deliverable's due date."""
    found = []
    for sentence in sentences(text):
        in_sentence = []
        for m in _DELIVERABLE.finditer(fold(sentence)):
            quantity = int(m.group(1)) if m.group(1).isdigit() else _QUANTITIES[m.group(1)]
            word = m.group(3).rstrip("s") if m.group(3) != "stories" else "stories"
            kind, implied = _KINDS.get(word, (word, None))
            platform = _PLATFORM_WORD.get(m.group(2) or "", m.group(2)) or implied
            in_sentence.append(Deliverable(platform=platform, kind=kind, quantity=quantity))
        dates = [found_date.value for found_date in find_dates(sentence, today)] if in_sentence else []
        if dates and _DUE_CUE.search(fold(sentence)):
            due = dates if len(dates) == len(in_sentence) else [dates[-1]] * len(in_sentence)
            in_sentence = [item.model_copy(update={"due_date": date}) for item, date in zip(in_sentence, due,
                                                                                           strict=True)]
        found += in_sentence
    if found:
        update.deliverables = found


_GOAL = re.compile(r"\b(?:goal|objective|aim|kpi)s?\s*(?:is|are|:)\s*(?:to\s+)?([^.;\n]{3,80})", re.I)
_GOAL_VERB = re.compile(r"\b((?:drive|boost|increase|generate|build|raise|grow|get)\s+(?:\w+\s+){0,2}"
                        r"(?:awareness|sales|conversions|installs|sign-?ups|downloads|traffic|engagement|leads))\b",
                        re.I)
_STOP = r"(?=\s+(?:with|in|on|to|for|across|using|via|through|and|among|from|by)\b|[.,;:!?()]|$)"
_PRODUCT = [
    re.compile(rf"\b(?:launch(?:ing)?|promot(?:e|ing)|introduc(?:e|ing)|advertis(?:e|ing))\s+(?:our|a|an|the|my)\s+"
               rf"(?:new\s+)?([\w'&-]+(?:\s[\w'&-]+){{0,4}}?){_STOP}", re.I),
    re.compile(r"\b(?:product|brand)\s*(?:is|:)\s*([^.,;\n]{2,40})", re.I),
    re.compile(rf"\bwe sell\s+([\w'&-]+(?:\s[\w'&-]+){{0,3}}?){_STOP}", re.I),
    re.compile(rf"\bcampaign for (?:our|a|an|the)\s+(?:new\s+)?([\w'&-]+(?:\s[\w'&-]+){{0,4}}?){_STOP}", re.I),
    re.compile(rf"\bfor our (?:new\s+)?([\w'&-]+(?:\s[\w'&-]+){{0,3}}?){_STOP}", re.I),
]
_AUTO_NO = re.compile(r"\b(approve|check|see|review) (everything|every (single )?message|all (the )?messages|each "
                      r"message|all outreach)\b|\balways ask me\b|\bnothing (goes )?out without\b|"
                      r"\bno auto-?send\w*\b", re.I)
_AUTO_YES = re.compile(r"\bauto-?send\b|\bsend (them |it |those |these )?automatically\b|\bautomatically send\b|"
                       r"\bwithout (asking|my approval|approval|checking with me|asking me)\b|"
                       r"\bno need to (approve|ask)"
                       r"\b|\b(don't|do not) need to approve\b|\bskip (the )?approval\b", re.I)


def _read_goal_product(text: str, update: BriefUpdate) -> None:
    goal = _GOAL.search(text) or _GOAL_VERB.search(text)
    if goal:
        update.goal = goal.group(1).strip()
    for pattern in _PRODUCT:
        m = pattern.search(text)
        if m and m.group(1).strip().lower() not in {"campaign", "brand", "client", "product"}:
            update.product = m.group(1).strip()
            break


def read_auto_send(text: str) -> list[str] | None:
    """Approval kinds the manager lets go out unasked (only `AUTO_SEND_KINDS`), [] for "approve everything",
    None when the message says nothing about it."""
    if _AUTO_NO.search(text):
        return []
    if not _AUTO_YES.search(text):
        return None
    folded = fold(text)
    kinds = []
    if re.search(r"\b(outreach|first (message|contact|e-?mail)s?|intro\w*|initial)\b", folded):
        kinds.append("outreach")
    if re.search(r"\b(follow-?ups?|reminders?)\b", folded):
        kinds.append("follow_up")
    return kinds or list(AUTO_SEND_KINDS)


_BOTH_CHANNELS = re.compile(r"\b(both (channels|e-?mail and whats ?app|whats ?app and e-?mail)|"
                            r"(e-?mail|mail) and (on |via |by )?whats ?app|whats ?app and (by |via )?e-?mail|"
                            r"every channel|all channels)\b")
_ONE_CHANNEL = re.compile(r"\b(one channel|single channel|only (one|their preferred) channel|preferred channel|"
                          r"(just|only) (by |via )?(e-?mail|whats ?app))\b")


def read_outreach_channels(text: str) -> Literal["preferred", "all"] | None:
    """"Reach them on both email and WhatsApp" → all; "only their preferred channel" → preferred; else None."""
    folded = fold(text)
    if _ONE_CHANNEL.search(folded):
        return "preferred"
    if _BOTH_CHANNELS.search(folded) and re.search(r"\b(contact|reach|outreach|message|write|send|pitch)\w*",
                                                   folded):
        return "all"
    return None


def read_message(text: str, today: dt.date, deliverables: list[Deliverable] | None = None) -> BriefUpdate:
    """What one manager message states, by the offline rules. `deliverables` (the brief's so far) name the
    milestones of a payment schedule when the message itself lists none."""
    stated = sanitize(text)
    own = normalize(stated)  # the cue words of every language we sell in, in English
    update = BriefUpdate()
    _read_money(own, update)
    update.platforms = match_platforms(own) or None
    update.categories = match_categories(own) or None
    update.countries = match_countries(own) or None
    update.languages = match_languages(own) or None
    _read_followers(own, update)
    _read_dates(own, today, update)
    _read_deliverables(own, today, update)
    _read_goal_product(stated, update)
    update.usage_rights, update.exclusivity = read_terms(own)
    update.payment_schedule = read_payment_schedule(own, update.deliverables or deliverables or [])
    update.terms_later = True if read_terms_later(own) else None
    update.auto_send = read_auto_send(own)
    update.outreach_channels = read_outreach_channels(own)
    return update


def wants_merge(text: str) -> bool:
    """"Also add TikTok" extends a list; otherwise a restated list replaces the old one."""
    return bool(re.search(r"\b(also|add|adding|as well|plus|additionally|in addition)\b", fold(text)))


# ---------------------------------------------------------------- support checks for a model's answer
def _percentages(folded: str) -> set[str]:
    """Every percentage the text states ("30%", "50/50", "in full" = 100)."""
    stated = set(re.findall(r"(\d{1,3}(?:\.\d{1,2})?)\s?(?:%|percent)", folded))
    stated |= {part for pair in re.findall(r"\b(\d{2})\s?/\s?(\d{2})\b", folded) for part in pair}
    return stated | ({"100"} if re.search(r"\b(in full|full payment|the (whole|full) fee)\b", folded) else set())
def _numbers(text: str) -> set[Decimal]:
    values = {a.value for a in find_amounts(text)}
    values |= {Decimal(c) for c in (_count(m.group(1)) for m in re.finditer(_NUM, fold(text))) if c is not None}
    return values


def supported(field: str, value: object, text: str, today: dt.date) -> bool:
    """Whether the sanitized manager text backs `value` for `field` (used to reject model output it does not)."""
    own = normalize(sanitize(text))
    folded = fold(own)
    if value is None:
        return True
    if field in ("budget", "fee_ceiling", "fee_target", "min_followers", "max_followers"):
        stated = Decimal(str(value)) in _numbers(own)
        if field.endswith("_followers"):
            tier_bounds = {b for low_high in TIERS.values() for b in low_high if b is not None}
            stated = stated or (any(re.search(rf"\b{name}", folded) for name in TIERS) and value in tier_bounds)
        return stated
    if field in ("usage_rights", "exclusivity"):
        return supported_terms(field, value, own)
    if field == "currency":
        named = set(currencies_named(own)) | {a.currency for a in find_amounts(own) if a.currency}
        return str(value).upper() in named
    matchers = {"platforms": match_platforms, "categories": match_categories, "countries": match_countries,
                "languages": match_languages}
    if field in matchers:
        allowed = set(matchers[field](own))
        return all(item in allowed or (field == "countries" and re.search(rf"\b{item}\b", own))
                   for item in value)  # type: ignore[attr-defined]
    if field in ("start_date", "end_date"):
        found = {d.value for d in find_dates(own, today)}
        for month in find_months(own, today):
            found |= {month.first, month.last}
        return value in found
    if field in ("goal", "product"):
        words = [w for w in re.findall(r"\w{3,}", fold(str(value)))]
        return bool(words) and sum(w in folded for w in words) / len(words) >= 0.6
    if field == "deliverables":
        dates = {d.value for d in find_dates(own, today)}
        return all(re.search(rf"\b{d.kind[:4]}", folded) and (d.due_date is None or d.due_date in dates)
                   for d in value)  # type: ignore[attr-defined]
    if field == "payment_schedule":
        percentages = _percentages(folded)
        return all(f"{(item.percent or Decimal(0)).normalize():f}" in percentages
                   for item in value)  # type: ignore[attr-defined]
    if field == "terms_later":
        return value == read_terms_later(own)
    if field == "auto_send":
        return value == read_auto_send(own)
    if field == "outreach_channels":
        return value == read_outreach_channels(own)
    return False
