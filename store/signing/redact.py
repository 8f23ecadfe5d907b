"""Personal links are for their recipient only: `token=` query values are redacted from message bodies that
someone else reads (a manager's thread view, the development mailbox). A signing link grants signing a contract
as the creator; whoever reads the manager's inbox must not be able to."""

from __future__ import annotations

import re

# `token=<value>` in a query string (also HTML-escaped `&amp;token=`); the value ends at a delimiter.
_TOKEN_PARAM = re.compile(r"(?P<key>[?&](?:amp;)?token=)[^&\s\"'<>)\]]+", re.IGNORECASE)
REDACTED = "[redacted]"


def redact_tokens(text: str | None) -> str | None:
    """`text` with every link token replaced by "[redacted]" (None stays None)."""
    if not text:
        return text
    return _TOKEN_PARAM.sub(lambda match: match.group("key") + REDACTED, text)
