"""The error body every failure leaves with (`api/errors.py`), and `responses=` entries documenting it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorOut(BaseModel):
    code: str
    message: str
    details: Any = None


ERROR_DESCRIPTIONS = {
    400: "the body could not be parsed", 401: "not authenticated (or a bad token or signature)",
    403: "wrong role, or not allowed", 404: "not found (or another organization's)",
    405: "method not allowed (see the Allow header)", 409: "conflict with the current state",
    413: "body too large", 415: "unsupported media type", 422: "invalid input: the message says what to fix",
    429: "too many attempts (see Retry-After)", 502: "the provider (payments, e-signature) refused or failed",
    503: "not configured, not ready, or a provider is unreachable",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the documented error statuses."""
    return {status: {"model": ErrorOut, "description": ERROR_DESCRIPTIONS[status]} for status in statuses}
