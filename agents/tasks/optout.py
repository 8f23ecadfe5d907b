"""Opt-out detection for the reply rules and the classifier: the words are the do-not-contact rule's
(`store/contacts/stop_words.py`, which the inbound service applies before any turn starts); here they run on
a reply's own words after HTML, quoted history and signatures are removed.
"""

from __future__ import annotations

from agents.tasks.text import clean_inbound
from store.contacts.stop_words import is_opt_out_phrase


def is_opt_out(text: str) -> bool:
    """True when the reply asks to stop being contacted (STOP, unsubscribe, remove me, ...), in any language we
    know."""
    return is_opt_out_phrase(clean_inbound(text))
