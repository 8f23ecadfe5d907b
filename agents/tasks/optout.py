"""Opt-out detection, in code, before any model sees a reply: a creator who says STOP is never contacted again,
whatever a model would have said. Errs towards opting out (a false positive costs one lead; a false negative
breaks the law in most markets).
"""

from __future__ import annotations

import re

from agents.tasks.text import clean_inbound, fold

# The whole message is one of these (WhatsApp / SMS keywords, any case, punctuation ignored).
STOP_KEYWORDS = {"stop", "stopp", "stop all", "stopall", "unsubscribe", "cancel", "end", "quit", "opt out",
                 "optout", "opt-out", "remove", "remove me", "arret", "arreter", "parar", "sair", "baja", "alto",
                 "basta", "desuscribir", "abmelden", "halt", "cancelar"}

OPT_OUT = re.compile(
    r"\b(unsubscribe|unsub) (me|us)\b|\b(please|pls|plz|kindly|i want to|i'd like to|how (do|can) i) unsubscribe\b|"
    r"^\s*unsubscribe\b|\bopt(ing)?[- ]?out\b|"
    r"\b(remove|delete|take) (me|us|my (e-?mail|number|address|details|contact))\b.{0,30}\b(list|lists|database|"
    r"mailing|contacts?|system|records?)\b|\b(remove|take) me off\b|"
    r"\b(do not|don't|dont|never|stop|quit) (contact|e-?mail|message|messaging|text|texting|whatsapp|call|calling|"
    r"write|writing|spam|spamming|bother|bothering|emailing|contacting)(ing)?( me| us| this number| again)\b|"
    r"\bstop (sending|writing|contacting|texting|messaging|emailing) (me|us)\b|\bno more (emails|messages|texts)\b|"
    r"\b(darme|dame|darse) de baja\b|\bno me (contacten|escriban|envien)\b|\bdesuscribirme\b|"
    r"\b(me )?desinscrire\b|\bme desabonner\b|\bdesabonnez\b|\bne (me )?contactez plus\b|"
    r"\bnicht mehr (kontaktieren|anschreiben|schreiben)\b|\babmelden\b|\bkeine (weiteren )?(e-?mails|nachrichten)\b|"
    r"\b(cancelar|descadastrar|remover)( a)? (inscricao|meu (e-?mail|numero))\b|\bdescadastr\w+\b|"
    r"\bnao (me )?(contate|mande|envie)\w*\b|\bdisiscri\w+\b|\bnon (contattatemi|scrivetemi)( piu)?\b",
    re.I)


def is_opt_out(text: str) -> bool:
    """True when the reply asks to stop being contacted (STOP, unsubscribe, remove me, ...), in any language we
    know. Runs on the reply's own words (quoted history and signatures removed)."""
    own = fold(clean_inbound(text))
    bare = re.sub(r"[^\w\s-]", " ", own).strip()
    if re.sub(r"\s+", " ", bare) in STOP_KEYWORDS:
        return True
    return bool(OPT_OUT.search(own))
