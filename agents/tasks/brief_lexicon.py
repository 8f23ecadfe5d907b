"""Brief words in the languages we sell in, rewritten to the English cues the brief rules read.

Managers write briefs in Spanish, Portuguese, German, French, Italian, Dutch, Polish, Turkish and Indonesian as
often as in English. Rather than one table per reader, `normalize()` rewrites the cue words a brief uses for
money, audience size and date ranges — "maximal 2.500 € pro Creator", "entre 50k y 300k seguidores",
"Rp 250 juta", "50 bin takipçi", "10rb" — into the English phrasing ("max 2.500 € per creator", "between 50k to
300k followers", "IDR 250 million", "50k followers", "10k") the rules already understand. Month names come from
CLDR through babel (`agents/tasks/dates.py`); country names too (`agents/tasks/vocab.py`).

Only cue words change, never numbers or names, so a value read from the normalized text is one the manager wrote.
"""

from __future__ import annotations

import re

_I = re.I
_NUM = r"\d(?:[\d.,\u00a0 ]*\d)?"
_RULES: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern, _I), repl) for pattern, repl in [
    # currencies money.py does not know by these names
    (r"\bTL\b|\bt[üu]rk liras[ıi]\b", "TRY"),
    (r"\bRp\.?\s?(?=\d)", "IDR "),
    # "budget 300 juta": an amount in juta is rupiah even when the manager names no currency
    (rf"(?<!IDR )(?<![\d.,])({_NUM})\s*(?:juta|jt)\b", r"IDR \1 juta"),
    (r"\$\s*CAD\b|\bCAD\s*\$", "CAD"),
    (r"\bz[łl]otych\b|\bz[łl]\b(?!\w)", "PLN"),
    (r"\bdólares\b|\bdolares\b|\bdólar\b", "USD"),
    # number words after a figure: "250 juta", "1 milhão", "50 bin", "10 tys.", "10rb", "20 mil"
    (rf"({_NUM})\s*(?:juta|jt|milh[aã]o|milh[oõ]es|mill[oó]n|millones|milion[iy]?|milione|mln|miljoen|milyon)\b",
     r"\1 million"),
    (rf"({_NUM})\s*(?:rb|ribu|bin|tys\.?|tysi[eę]cy|duizend|mila|mille|mil)(?!\w)", r"\1k"),
    # per creator
    (r"\b(?:pro|je|por|par|per|na|tiap|setiap|cada|pour chaque|a)\s+(?:creator(?:in(?:nen)?)?|creador[a]?|criador[a]?|"
     r"cr[ée]at(?:eur|rice)|influencer(?:in)?|influenceu?r|influenceuse|kreator|tw[óo]rc[ęe]|perfil|persoon|"
     r"person|criadora|creatore)\b", "per creator"),
    (r"\bki[şs]i ba[şs][ıi]\b|\bper testa\b|\bciascuno\b|\bpro kopf\b", "per creator"),
    # ceilings and targets (before a figure or a currency)
    (r"\b(?:como\s+)?m[áa]ximo\b|\bmaximal\b|\bmaximaal\b|\bmaksymalnie\b|\bmaks\.?(?=\s)|\bmaksimal\b|"
     r"\bmaksimum\b|\bmassimo\b|\bh[öo]chstens\b|\ben fazla\b|\bpaling banyak\b|\bmax\.(?=\s)", "max"),
    (r"\bnicht mehr als\b|\bpas plus de\b|\bno m[áa]s de\b|\bn[ãa]o mais (?:de|que)\b|\bnon pi[uù] di\b|"
     r"\bniet meer dan\b|\bnie wi[ęe]cej ni[żz]\b|\bjusqu'?\s?[àa]\b|\bhasta\b|\bfino a\b", "no more than"),
    (r"\bidealmente\b|\bidealerweise\b|\bid[ée]alement\b|\bidealnie\b|\bideal olarak\b|\bidealnya\b|"
     r"\bongeveer\b|\bcerca de\b|\balrededor de\b|\benviron\b|\bungef[äa]hr\b|\bsekitar\b|\boko[łl]o\b|"
     r"\byakla[şs][ıi]k\b|\betwa\b|\bcirca\b|\bca\.(?=\s)|\brund\b", "ideally"),
    (r"\bzielwert\b|\brichtwert\b|\bvalor objetivo\b|\bobjectif\b|\bobiettivo\b|\bstreefbedrag\b|\bdoelbedrag\b|"
     r"\bhedef\b", "target"),
    # the campaign budget
    (r"\bpresupuesto\b|\bor[çc]amento\b|\bbud[żz]et\w*\b|\bb[üu]t[çc]e\w*\b|\banggaran\b|\bgesamtbudget\b|"
     r"\bbudget (?:total|global|complessivo|globale|totale)\b|\btotaal ?budget\b|\bbudget totaal\b", "budget"),
    # audience size
    (r"\bseguidor[ae]s\b|\babonn[ée]s\b|\babonnenten\b|\bfollowern\b|\bfollower\b|\bvolgers\b|\bobserwuj\w+|"
     r"\bobserwator\w*|\btakip[çc]i\w*|\bpengikut\b|\binscritos\b|\bsuscriptores\b|\biscritti\b|"
     r"\bsubskrybent\w*", "followers"),
    (r"\b(?:de|di|van) followers\b", "followers"),
    (rf"({_NUM}\s*(?:k|million)?)\s+followers\s+(?:[üu]st[üu]|[üu]zeri|ve [üu]zeri|ke atas)", r"over \1 followers"),
    (rf"({_NUM}\s*(?:k|million)?)\s+(?:ve\s+)?(?:[üu]st[üu]|[üu]zeri|ke atas)\s+followers", r"over \1 followers"),
    (r"\bentre\b|\bzwischen\b|\btussen\b|\btra\b|\bmi[ęe]dzy\b|\bantara\b", "between"),
    (r"\b(?:pelo|por lo|al) menos\b|\bm[íi]nimo\b|\bminimaal\b|\bminimal\b|\bmindestens\b|\bau moins\b|"
     r"\balmeno\b|\bco najmniej\b|\ben az\b|\bab(?=\s+\d)|\bvanaf(?=\s+\d)", "at least"),
    # "50k y 300k", "10 tys. do 100 tys.", "1 t/m 30", "50 bin ile 500 bin": a range between two figures
    (rf"({_NUM}\s*(?:k|million)?\.?)\s+(?:y|e|et|und|en|do|ile|dan|sampai|hingga|bis|tot|t/m|a|à|al|au|ad)\s+"
     rf"(?=\d)", r"\1 to "),
]]


def normalize(text: str) -> str:
    """`text` with the brief cue words of our languages in English (numbers, names and case kept)."""
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text
