"""Conditions a creator attaches to a deal, read as structured terms: usage rights, exclusivity, whitelisting /
paid usage, deliverable changes and gifting (product instead of a fee), in our ten market languages.

`extract_terms()` reads them from a reply's own words; `term_conflicts()` compares them with the brief. Any
condition the brief does not already grant is a conflict: the policy escalates it to the manager and never drafts
an acceptance over it (`agents/policy/negotiation.py`).
"""

from __future__ import annotations

import re

from agents.tasks.text import fold, sentences
from agents.tasks.types import CampaignBrief, CreatorTerm, TermKind

_KINDS: dict[TermKind, re.Pattern[str]] = {
    "usage": re.compile(
        r"\busage\b|\bperpetu\w*|\bforever\b|\bnutzungsrecht\w*|\bnutzung\b|\bderechos de (uso|imagen)\b|"
        r"\bdroits? d'(utilisation|exploitation|usage)\b|\bdiritti( d'uso)?\b|\bdireitos( de (uso|imagem))?\b|"
        r"\bgebruiksrecht\w*|\bprawa do\b|\bkullan[ıi]m hakk\w*|\bhak (guna|pakai)\b"),
    "whitelisting": re.compile(
        r"\bwhite-?list\w*|\bpaid (ads?|usage|media|social|promotion|partnership)\b|\bads\b|\bspark ads\b|"
        r"\bboost\w*|\b(werbe)?anzeigen\b|\bpublicidad\b|\banuncios?\b|\bpublicite\b|\bsponsoris\w*|"
        r"\binserzioni\b|\bsponsorizzat\w*|\badvertenties\b|\breklam\w*|\biklan\b|\borganic(ally)?\b|"
        r"\borganic[oa]s?\b|\borganique\b|\borganisch\b"),
    "exclusivity": re.compile(r"exclusiv|exklusiv|esclusiv|exclusief|wy[łl][aą]czn|m[üu]nhas[ıi]r|eksklusif"),
    "gifting": re.compile(
        r"\bfor free\b|\bgifted\b|\bgifting\b|\bjust send (me )?(the )?products?\b|\bin exchange for (the )?"
        r"products?\b|\bno fee\b|\bgratis\b|\bgratuit\w*|\bkostenlos\b|\bumsonst\b|\bde graca\b|\bza darmo\b|"
        r"\b[üu]cretsiz\b|\bbedava\b|\bcuma-cuma\b|\bbarter\b|\bproduct only\b|\bonly (the )?product\b|"
        r"\bsolo (el )?producto\b"),
    "deliverables": re.compile(
        r"\b(instead|rather do|en (lugar|vez) de|statt|anstatt|anstelle|au lieu d\w*|invece d\w*|em vez d\w*|"
        r"in plaats van|zamiast|yerine|daripada|ganti)\b[^.!?]{0,60}|"
        r"\b(reels?|stor(y|ies)|posts?|tiktoks?|videos?|shorts?|feeds?|carousels?|historias)\b[^.!?]{0,30}"
        r"\b(instead|statt|au lieu|invece|em vez|en lugar|in plaats|zamiast|yerine)\b"),
}
_DELIVERABLE_WORD = re.compile(r"\b(reels?|stor(y|ies)|posts?|tiktoks?|videos?|shorts?|feeds?|carousels?|"
                               r"historias|storie|rolk\w*|g[öo]nderi\w*)\b")
_MONTHS = re.compile(r"(\d+)\s*-?\s*(months?|meses|monate?n?|mois|mesi|maanden|miesi\w*|ay|bulan)\b|"
                     r"\b(1|one|a|un|una|ein|einem|jeden|bir|satu)\s+(year|ano|ano|jahr|an|anno|jaar|rok|y[ıi]l|tahun)\b")
_NEGATION = re.compile(r"\b(no|not|without|sin|ohne|sans|senza|sem|geen|zonder|bez|yok|tanpa|nicht|non|nao|"
                       r"c'est non|only organic\w*|organically|kein\w*|nie)\b")


_CONDITION_WORDS = re.compile("|".join(f"(?:{_KINDS[kind].pattern})" for kind in ("usage", "exclusivity",
                                                                                  "whitelisting")))


def names_a_condition(folded: str) -> bool:
    """Whether accent-folded text names usage rights, exclusivity or paid usage ("no exclusivity", "keine
    Nutzungsrechte"): a "no" aimed at one of them refuses a condition, not the collaboration."""
    return bool(_CONDITION_WORDS.search(folded))


def _months(sentence: str) -> int | None:
    found = _MONTHS.search(sentence)
    if not found:
        return None
    return int(found.group(1)) if found.group(1) else 12


def extract_terms(own_words: str) -> list[CreatorTerm]:
    """The conditions in a reply's own words (quoted history already removed), one per kind, in order."""
    terms: dict[TermKind, CreatorTerm] = {}
    for sentence in sentences(own_words):
        folded = fold(sentence)
        for kind, pattern in _KINDS.items():
            if kind in terms or not pattern.search(folded):
                continue
            if kind == "deliverables" and not _DELIVERABLE_WORD.search(folded):
                continue  # "could you do 1200 EUR instead?" changes the price, not the deliverables
            terms[kind] = CreatorTerm(kind=kind, text=sentence[:200], months=_months(folded),
                                      refused=bool(_NEGATION.search(folded)),
                                      perpetual=bool(re.search(r"perpetu|forever|unlimited", folded)))
    return list(terms.values())


def term_conflicts(terms: list[CreatorTerm], brief: CampaignBrief) -> list[str]:
    """Why each term goes beyond what the brief grants (empty: every condition is already in the brief)."""
    reasons = []
    for term in terms:
        if term.kind == "usage":
            granted = brief.usage_rights.months if brief.usage_rights else None
            if term.perpetual or term.refused or term.months is None or term.months != granted:
                reasons.append(f"usage rights on other terms than the brief's ({term.text!r})")
        elif term.kind == "exclusivity":
            brief_exclusive = brief.exclusivity is not None and brief.exclusivity.exclusive
            if not (term.refused and not brief_exclusive):
                reasons.append(f"exclusivity condition ({term.text!r})")
        elif term.kind == "whitelisting":
            reasons.append(f"paid usage / whitelisting condition ({term.text!r})")
        elif term.kind == "deliverables":
            reasons.append(f"different deliverables ({term.text!r})")
        elif term.kind == "gifting":
            reasons.append(f"offers to work for product only, no fee ({term.text!r})")
    return reasons
