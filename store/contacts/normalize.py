"""Canonical forms of contact addresses, so one person is one key in the do-not-contact list.

Email: trimmed and lower-cased (the local part is case-insensitive in practice; plus-tags and dots are kept:
`a+x@` and `a@` are different mailboxes to us, erring towards sending less is the manager's call).
Phone: `+` and 8–15 digits (E.164). `00` international prefixes become `+`; WhatsApp's `wa_id`
(digits without `+`) normalizes to the same key.
"""

from __future__ import annotations

import re

from core.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_PHONE_NOISE = re.compile(r"[\s().\-/]")


def normalize_email(address: str) -> str:
    value = address.strip().strip("<>").strip().lower()
    if not _EMAIL.match(value):
        raise InvalidInput(f"not an email address: {address!r}", code="invalid_address")
    return value


def normalize_phone(number: str) -> str:
    value = _PHONE_NOISE.sub("", number.strip())
    if value.startswith("00"):
        value = "+" + value[2:]
    digits = value[1:] if value.startswith("+") else value
    if not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise InvalidInput(f"not an international phone number (E.164, e.g. +447700900123): {number!r}",
                           code="invalid_address")
    return "+" + digits


def normalize_address(channel: str, address: str) -> str:
    """The canonical key of `address` on `channel` ("email" or "whatsapp"); 422 when it is not one."""
    return normalize_email(address) if channel == "email" else normalize_phone(address)
