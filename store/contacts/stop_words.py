"""Does a reply ask us to stop contacting the creator? Decided in code, before any model sees the text: a
creator who says STOP is never contacted again, whatever a model would have said (`store.inbound.service`
blocks them; the negotiation classifier uses the same words as its floor).

Deterministic on purpose, and errs towards opting out (a false positive costs one lead; a false negative breaks
the law in most markets):
- `is_stop_request`: a message that is essentially a keyword ("stop", "STOP please", "unsubscribe me", "baja");
  "stop by tomorrow?" is not;
- `is_opt_out_phrase`: "please remove me from your list", "don't contact me again", ... in the languages we
  know, anywhere in the reply's own words (quoted history and signatures already removed).
"""

from __future__ import annotations

import re
import unicodedata

_KEYWORDS = {
    "stop", "stopall", "stop all", "unsubscribe", "opt out", "optout", "remove me", "stop messages",
    "stopp", "abmelden", "abbestellen",  # de
    "arret", "arreter", "desabonner", "desinscrire", "se desabonner",  # fr
    "baja", "darme de baja", "dar de baja", "parar", "cancelar suscripcion", "no mas mensajes",  # es/pt
    "descadastrar", "sair", "cancelar",  # pt
    "basta", "disiscrivimi", "cancellami",  # it
    "afmelden", "uitschrijven",  # nl
}
_POLITE = re.compile(r"^(please |pls |por favor |bitte |s il vous plait )?(.+?)"
                     r"( please| pls| now| me| thanks| thank you| por favor| bitte| merci| grazie| obrigado"
                     r"| gracias)*$")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", ascii_text)).strip()


def is_stop_request(text: str | None) -> bool:
    if not text:
        return False
    folded = _fold(text)
    if len(folded) > 60:
        return False
    if folded in _KEYWORDS:
        return True
    match = _POLITE.match(folded)
    return bool(match and match.group(2) in _KEYWORDS)


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
    r"\bnicht mehr (kontaktieren|anschreiben|schreiben)\b|\babmelden\b|"
    # "keine E-Mails mehr", not an away reply's "ich lese keine E-Mails" / "beantworte keine Nachrichten"
    r"(?<!lese )(?<!lesen )(?<!beantworte )(?<!checke )(?<!prufe )(?<!abrufen )"
    r"\bkeine (weiteren )?(e-?mails|nachrichten)\b|"
    r"\b(cancelar|descadastrar|remover)( a)? (inscricao|meu (e-?mail|numero))\b|\bdescadastr\w+\b|"
    r"\bnao (me )?(contate|mande|envie)\w*\b|\bdisiscri\w+\b|\bnon (contattatemi|scrivetemi)( piu)?\b",
    re.I)


def _fold_phrase(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain (punctuation kept for the phrases)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def is_opt_out_phrase(own_words: str) -> bool:
    """True when the reply's own words ask to stop being contacted (STOP, unsubscribe, remove me, ...)."""
    own = _fold_phrase(own_words).strip()
    bare = re.sub(r"[^\w\s-]", " ", own).strip()
    if re.sub(r"\s+", " ", bare) in STOP_KEYWORDS:
        return True
    return bool(OPT_OUT.search(own))


def asks_to_stop(own_words: str | None) -> bool:
    """The rule the inbound service applies to every reply, on every channel."""
    return bool(own_words) and (is_stop_request(own_words) or is_opt_out_phrase(own_words or ""))
