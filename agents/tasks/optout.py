"""Opt-out detection for the reply rules and the classifier: the words are the do-not-contact rule's
(`store/contacts/stop_words.py`, which the inbound service applies before any turn starts); here they run on
a reply's own words after HTML, quoted history and signatures are removed.
"""

from __future__ import annotations

from agents.tasks.reply_cues import OPT_OUT, compiled
from agents.tasks.text import clean_inbound, fold
from store.contacts.stop_words import is_opt_out_phrase

# Phrases of our ten market languages beyond the do-not-contact rule's own words ("delete it please",
# "Bitte schreiben Sie mir nicht mehr", "proszę więcej do mnie nie pisać").
_MARKET_OPT_OUT = compiled(OPT_OUT)


def is_opt_out(text: str) -> bool:
    """True when the reply asks to stop being contacted (STOP, unsubscribe, remove me, ...), in any language we
    know."""
    own = clean_inbound(text)
    return is_opt_out_phrase(own) or bool(_MARKET_OPT_OUT.search(fold(own)))
