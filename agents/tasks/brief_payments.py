"""The payment schedule and "decide later" in a manager's brief message (offline rules, English).

"50% upfront, 50% after posting" → advance 50 + final 50; "30% on signature, 40% when the reel is approved, 30%
at the end" → advance 30 + milestone 40 on the brief's reel + final 30; "paid in full on completion" → final 100;
"net 30" sets the days to pay after each trigger. A schedule is stated only when its percentages add up to 100
(anything else is not read as a schedule: the brief agent asks again). "Decide the terms later" sets
`terms_later`: the contract agent asks for whatever is still missing when a creator agrees.
"""

from __future__ import annotations

import re
from decimal import Decimal

from agents.tasks.text import fold, sentences
from store.campaigns.brief import Deliverable
from store.contracts.agreed_terms import deliverable_keys
from store.contracts.terms import Installment, InstallmentKind

_PERCENT = re.compile(r"\b(\d{1,3}(?:[.,]\d{1,2})?)\s?(?:%|percent\b|pct\b)")
_SPLIT = re.compile(r"\b(\d{2})\s?/\s?(\d{2})\b")  # "50/50 upfront and on completion"
_ADVANCE = re.compile(r"\b(up ?front|up-front|in advance|advance|deposit|on sign\w*|at sign\w*|upon sign\w*|"
                      r"on booking|before (?:production|posting|starting|we start))\b")
_FINAL = re.compile(r"\b(on completion|upon completion|at the end|final|balance|remainder|the rest|"
                    r"after (?:posting|publication|publishing|delivery|go-?live|the campaign|it goes live)|"
                    r"on (?:delivery|posting|publication)|once (?:live|posted|published|delivered)|"
                    r"when (?:everything|all (?:the )?(?:content|deliverables|posts)) (?:is|are) \w+)\b")
_MILESTONE = re.compile(r"\b(?:when|once|after|on|upon) (?:the |each |every )?([a-z]+?)s? (?:is |are |has been |"
                        r"have been )?(?:approved|posted|live|delivered|published|accepted)\b")
_IN_FULL = re.compile(r"\b(?:in full|full payment|100 ?%|the whole fee|the full fee)\b")
_NET = re.compile(r"\b(?:net|within)\s?(\d{1,3})(?: days?)?\b")
_PAYMENT_CUE = re.compile(r"\b(pay\w*|fee|installments?|instal\w*|split|advance|up ?front|deposit|net \d+|"
                          r"balance|on signing|on completion)\b|%")
_LATER = re.compile(r"\b(?:decide|settle|sort out|figure out|agree(?: on)?|fix|work out|discuss)\b[^.!?\n]{0,50}?"
                    r"\b(?:later|at agreement|when (?:we|they|a creator) agrees?|with each creator|per creator)\b|"
                    r"\bterms later\b|\b(?:decide|settle) (?:it|them|that|those) later\b")


def _kind_for(after: str, before: str, kinds: list[str]) -> tuple[InstallmentKind, str | None] | None:
    """What the words right after (or, failing that, just before) a percentage say it pays for."""
    for window in (after[:60], before[-40:]):
        milestone = _MILESTONE.search(window)
        named = milestone.group(1) if milestone else ""
        named = "story" if named == "storie" else named
        if named in kinds:
            return InstallmentKind.milestone, named
        advance, final = _ADVANCE.search(window), _FINAL.search(window)
        if advance and (not final or advance.start() < final.start()):
            return InstallmentKind.advance, None
        if final:
            return InstallmentKind.final, None
    return None


def read_payment_schedule(text: str, deliverables: list[Deliverable]) -> list[Installment] | None:
    """The schedule `text` states (percent installments adding up to 100), else None. `deliverables` (this
    message's, else the brief's) name the milestones: "when the reel is approved" pays on the first reel."""
    kinds = [item.kind for item in deliverables]
    keys = dict(zip(reversed(kinds), reversed(deliverable_keys(kinds)), strict=True))  # first of each kind wins
    for sentence in sentences(fold(text)):
        if not _PAYMENT_CUE.search(sentence):
            continue
        net = _NET.search(sentence)
        net_days = min(int(net.group(1)), 120) if net else 0
        parts: list[tuple[InstallmentKind, Decimal, str | None]] = []
        split = _SPLIT.search(sentence)
        if split and int(split.group(1)) + int(split.group(2)) == 100:
            parts = [(InstallmentKind.advance, Decimal(split.group(1)), None),
                     (InstallmentKind.final, Decimal(split.group(2)), None)]
        else:
            matches = list(_PERCENT.finditer(sentence))
            for index, match in enumerate(matches):
                after_end = matches[index + 1].start() if index + 1 < len(matches) else len(sentence)
                before_start = matches[index - 1].end() if index else 0
                found = _kind_for(sentence[match.end():after_end], sentence[before_start:match.start()], kinds)
                if found is None:
                    parts = []
                    break
                parts.append((found[0], Decimal(match.group(1).replace(",", ".")), found[1]))
        if not parts and _IN_FULL.search(sentence):
            kind = InstallmentKind.advance if _ADVANCE.search(sentence) else (
                InstallmentKind.final if _FINAL.search(sentence) else None)
            parts = [(kind, Decimal(100), None)] if kind else []
        if not parts or sum(percent for _, percent, _ in parts) != 100:
            continue
        try:
            return [Installment(kind=kind, percent=percent, net_days=net_days,
                                deliverable_key=keys[kind_name] if kind_name else None)
                    for kind, percent, kind_name in parts]
        except ValueError:
            continue
    return None


def read_terms_later(text: str) -> bool:
    """Whether the manager says the contract terms are to be decided later (at agreement time)."""
    return bool(_LATER.search(fold(text)))
