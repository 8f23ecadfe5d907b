"""Reply subjects that never stack prefixes: "Re: Re: AW: Offer" and "RE:Offer" both answer as "Re: Offer"."""

from __future__ import annotations

import re

# Reply and forward prefixes mail clients add, in the languages we sell in (Outlook localises them), with the
# optional counters some clients append ("Re[2]:", "RE(3):").
_PREFIX = re.compile(r"^\s*(?:re|aw|sv|vs|rv|r|ref|antw|antwort|odp|ynt|yan[ıi]t|bls|balas|fw|fwd|wg|tr|rif)"
                     r"\s*(?:\[\d+\]|\(\d+\))?\s*:\s*", re.IGNORECASE)


def strip_reply_prefixes(subject: str) -> str:
    """The subject without any leading reply/forward prefixes."""
    previous = None
    while previous != subject:
        previous, subject = subject, _PREFIX.sub("", subject, count=1)
    return subject.strip()


def reply_subject(original: str | None, fallback: str | None = None) -> str | None:
    """`Re: <original without prefixes>`; the fallback (already a subject) when there is no original."""
    base = strip_reply_prefixes(original or "") or strip_reply_prefixes(fallback or "")
    return f"Re: {base}" if base else None
