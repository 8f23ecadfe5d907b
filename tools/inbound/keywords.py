"""Opt-out keywords: a reply that is only "STOP" (or a translation / close variant) means do not contact.

Deterministic on purpose: it is the floor under the reply classifier. Only a message that is essentially the
keyword counts ("stop", "STOP please", "unsubscribe me", "baja"); "stop by tomorrow?" does not.
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
