"""Rules every outbound draft must pass, checked in code: used by drafting (to reject a model's draft) and by the
drafts eval (its rubric). A problem is a short string naming the rule and what broke it."""

from __future__ import annotations

import json
import re

from agents.tasks.facts import PLATFORM_NAMES, creator_name
from agents.tasks.money import find_amounts
from agents.tasks.types import CampaignBrief, CreatorProfile, Draft

WHATSAPP_MAX_CHARS = 1024  # WhatsApp template body limit: a first contact goes out as a template message
EMAIL_SUBJECT_MAX = 90
EMAIL_OPT_OUT = re.compile(r"unsubscribe", re.I)
# "reply STOP" in the creator's language (the keyword itself stays STOP: the opt-out rules read it everywhere)
WHATSAPP_OPT_OUT = re.compile(r"\b(reply|responde|responda|antworte|r[ée]pondez|rispondi|antwoord|odpisz|balas)\s+\W?"
                              r"stop\b|\bstop\W? yaz\b", re.I)
_NUMBER = re.compile(r"(?<![\w@#])(\d+(?:[.,]\d+)?)\s?([KkMm])?\b")


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
