"""Rules every outbound draft must pass, checked in code: used by drafting (to reject a model's draft) and by the
drafts eval (its rubric). A problem is a short string naming the rule and what broke it.

`promise_problems()` is the amount guard for every draft that goes to a creator (outreach, negotiation replies,
follow-ups): money other than the agreed amount — in digits or in words ("plus two thousand euros"), and bonus /
commission promises — and usage rights, exclusivity or paid usage / whitelisting beyond what the brief grants
("perpetual usage"). Term promises are read with the reply-terms detector (`reply_terms.extract_terms`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from decimal import Decimal

from agents.tasks.facts import PLATFORM_NAMES, creator_name
from agents.tasks.model_checks import digit_versions
from agents.tasks.money import find_amounts, format_amount
from agents.tasks.reply_terms import extract_terms
from agents.tasks.text import fold
from agents.tasks.types import CampaignBrief, CreatorProfile, CreatorTerm, Draft

WHATSAPP_MAX_CHARS = 1024  # WhatsApp template body limit: a first contact goes out as a template message
EMAIL_SUBJECT_MAX = 90
EMAIL_OPT_OUT = re.compile(r"unsubscribe", re.I)
# "reply STOP" in the creator's language (the keyword itself stays STOP: the opt-out rules read it everywhere)
WHATSAPP_OPT_OUT = re.compile(r"\b(reply|responde|responda|antworte|r[ée]pondez|rispondi|antwoord|odpisz|balas)\s+\W?"
                              r"stop\b|\bstop\W? yaz\b", re.I)
_NUMBER = re.compile(r"(?<![\w@#])(\d+(?:[.,]\d+)?)\s?([KkMm])?\b")
# Money beyond a fee, promised without an amount (market languages, folded).
# "commission" and German "Provision" only as the noun of money ("a commission on sales", "10 % Provision"), not
# "we'd love to commission a reel" or a contract's "provisions".
_EXTRA_MONEY = re.compile(r"\b(bonus\w*|royalt\w*|comision\w*|comissao|comissoes|prowizj\w*|komisyon\w*|komisi|"
                          r"(a|an|the|your|our|plus|and|with|sales|affiliate) commissions?|"
                          r"commissions? (on|of|per|rate|for each|for every)|"
                          r"provision (auf|von|pro|fur|in hohe)|"
                          r"extra (fee|payment|pay|money)|on top of (the|your) fee)\b|\d\s?% ?(commission|provision)")
_PAID_MEDIA = re.compile(r"paid|\bads?\b|white-?list|boost|spark|anzeige|werbe|anuncio|publicidad|publicite|"
                         r"sponsor|inserzion|advertent|reklam|iklan")


def _allowed_numbers(profile: CreatorProfile, brief: CampaignBrief) -> set[float]:
    facts = json.dumps(profile.model_dump(mode="json")) + json.dumps(brief.model_dump(mode="json"))
    return {float(run) for run in re.findall(r"\d+", facts)}


def invented_numbers(text: str, profile: CreatorProfile, brief: CampaignBrief) -> list[str]:
    """Numbers in `text` that neither the profile nor the brief contains (52K counts as 52000)."""
    allowed = _allowed_numbers(profile, brief)
    invented = []
    for match in _NUMBER.finditer(text):
        raw, suffix = match.group(1), match.group(2)
        value = float(raw.replace(",", ""))
        if suffix:
            value *= 1_000 if suffix.lower() == "k" else 1_000_000
        if value not in allowed and float(raw.replace(",", "").split(".")[0]) not in allowed:
            invented.append(match.group(0))
    return invented


def check_draft(draft: Draft, profile: CreatorProfile, brief: CampaignBrief) -> list[str]:
    """Problems with a first-contact draft (empty list: it passes)."""
    problems = []
    text = f"{draft.subject or ''}\n{draft.body_text}"
    name = creator_name(profile)
    if name.lower() not in text.lower():
        problems.append(f"name: {name!r} not in the draft")
    named = [PLATFORM_NAMES.get(p, p) for p in profile.platforms]
    if named and not any(n.lower().split(" ")[0] in text.lower() for n in named):
        problems.append("platform: none of the creator's platforms is named")
    money = [a.text for a in find_amounts(text, bare=False)]
    if money:
        problems.append(f"money: mentions {', '.join(money)} (a first contact names no fee or budget)")
    problems += [problem for problem in promise_problems(text, brief, language=draft.language)
                 if not (money and problem.startswith("promise: names"))]
    invented = invented_numbers(text, profile, brief)
    if invented:
        problems.append(f"facts: numbers not in the profile or brief: {', '.join(invented)}")
    if draft.channel == "email":
        if not EMAIL_OPT_OUT.search(draft.body_text):
            problems.append("opt-out: email has no unsubscribe line")
        if not draft.subject:
            problems.append("subject: email has no subject")
        elif len(draft.subject) > EMAIL_SUBJECT_MAX:
            problems.append(f"subject: {len(draft.subject)} characters (max {EMAIL_SUBJECT_MAX})")
    else:
        if not WHATSAPP_OPT_OUT.search(draft.body_text):
            problems.append("opt-out: WhatsApp message has no 'reply STOP' line")
        if len(draft.body_text) > WHATSAPP_MAX_CHARS:
            problems.append(f"length: {len(draft.body_text)} characters (max {WHATSAPP_MAX_CHARS})")
        if draft.subject:
            problems.append("subject: WhatsApp messages have no subject")
    return problems


def _money_problems(text: str, allowed: Collection[Decimal], language: str | None, bare: bool) -> list[str]:
    """Amounts that are not an allowed one: in digits (with a currency, or with `bare` a bare number from 50 up),
    and in words next to a currency ("plus two thousand euros"; bare words are not money: "mil gracias")."""
    languages = tuple(dict.fromkeys(code for code in (language, "en") if code))
    named: dict[Decimal, str] = {}
    for index, version in enumerate(digit_versions(text, languages)):
        for amount in find_amounts(version, bare=bare and index == 0):
            if amount.currency or amount.value >= 50:
                named.setdefault(amount.value, format_amount(amount.value, amount.currency))
    problems = [f"promise: names {shown}, not the agreed amount" for value, shown in named.items()
                if value not in set(allowed)]
    extra = _EXTRA_MONEY.search(fold(text))
    if extra:
        problems.append(f"promise: offers money beyond the fee ({extra.group(0)!r})")
    return problems


def _term_problem(term: CreatorTerm, brief: CampaignBrief) -> str | None:
    """Why promising `term` goes beyond the brief (None: the brief grants it, or the draft rules it out)."""
    if term.refused or term.kind in ("gifting", "deliverables"):
        return None
    if term.kind == "usage":
        granted = brief.usage_rights
        if term.perpetual or granted is None or (term.months is not None and term.months != granted.months):
            return f"usage rights beyond the brief ({term.text!r})"
    elif term.kind == "exclusivity":
        granted_ex = brief.exclusivity
        if granted_ex is None or not granted_ex.exclusive or (term.months is not None
                                                              and term.months != granted_ex.months):
            return f"exclusivity beyond the brief ({term.text!r})"
    elif term.kind == "whitelisting":
        channels = fold(" ".join(brief.usage_rights.channels)) if brief.usage_rights else ""
        if _PAID_MEDIA.search(fold(term.text)) and not _PAID_MEDIA.search(channels):
            return f"paid usage / whitelisting beyond the brief ({term.text!r})"
    return None


def promise_problems(text: str, brief: CampaignBrief, allowed: Collection[Decimal] = (),
                     language: str | None = None, *, bare_numbers: bool = False) -> list[str]:
    """What `text` promises beyond the agreed amount (`allowed`: the decided fee, or none) and the brief's terms;
    `language` is the draft's (for numbers in words). `bare_numbers`: a number without a currency from 50 up
    counts as money too (a negotiation reply; a first contact may name follower counts). Empty: it promises
    nothing more."""
    problems = _money_problems(text, allowed, language, bare_numbers)
    problems += [f"promise: {reason}" for term in extract_terms(text)
                 if (reason := _term_problem(term, brief)) is not None]
    return problems
