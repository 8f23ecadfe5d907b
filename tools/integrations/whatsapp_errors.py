"""Classifying WhatsApp Cloud API errors (HTTP responses and `errors` in failed-status webhooks).

Codes follow Meta's Cloud API error reference. Retry: throttling (4, 80007, 130429 throughput,
131048 spam rate limit, 131056 pair rate limit), transient platform trouble (1, 2, 131000, 131016, 133004),
any HTTP 429/5xx. Permanent, with the reason stored: undeliverable (131026), not an allowed test recipient
(131030), re-engagement outside the 24-hour window (131047 → `needs_template`), the user stopped marketing
messages (131050 → `opted_out`, blocked), bad parameters, templates missing/paused/disabled (132xxx),
account, permission and policy problems.
"""

from __future__ import annotations

from typing import Any

from tools.integrations.delivery import DeliveryResult

_RETRY: dict[int, tuple[str, float | None]] = {
    1: ("api_unknown", None),
    2: ("api_service_unavailable", None),
    4: ("app_rate_limited", 60.0),
    80007: ("account_rate_limited", 60.0),
    130429: ("throughput_limited", 1.0),
    131000: ("provider_error", None),
    131016: ("service_unavailable", None),
    131048: ("spam_rate_limited", 3600.0),
    131049: ("not_delivered_for_engagement", 24 * 3600.0),  # Meta: don't retry right away
    131056: ("pair_rate_limited", 6.0),
    133004: ("server_unavailable", None),
}

_PERMANENT: dict[int, str] = {
    0: "auth_failed", 3: "permission_denied", 10: "permission_denied", 33: "business_number_deleted",
    100: "invalid_parameter", 190: "access_token_expired", 368: "blocked_for_policy",
    130472: "user_in_experiment", 130497: "country_restricted",
    131008: "missing_parameter", 131009: "invalid_parameter", 131021: "recipient_is_sender",
    131026: "undeliverable", 131030: "recipient_not_allowed", 131031: "account_locked",
    131042: "payment_issue", 131045: "certificate_error", 131047: "needs_template",
    131050: "user_opted_out", 131051: "unsupported_message_type", 131052: "media_download_failed",
    131053: "media_upload_failed", 131057: "account_in_maintenance",
    132000: "template_parameter_mismatch", 132001: "template_not_found", 132005: "template_text_too_long",
    132007: "template_policy_violation", 132012: "template_parameter_format", 132015: "template_paused",
    132016: "template_disabled", 133010: "business_number_not_registered",
}


def classify_whatsapp_error(code: int | None, http_status: int | None = None,
                            detail: str | None = None) -> DeliveryResult:
    """A failed `DeliveryResult` for Meta error `code` (None when the body had none) and the HTTP status."""
    reason_code = f"whatsapp_{code}" if code is not None else f"http_{http_status}"
    if code in _RETRY:
        reason, retry_after = _RETRY[code]
        return DeliveryResult.failed(reason, retryable=True, detail=detail, error_code=code,
                                     retry_after_seconds=retry_after)
    if code in _PERMANENT or (code is not None and 200 <= code <= 299):
        reason = _PERMANENT.get(code, "permission_denied")
        return DeliveryResult.failed(reason, retryable=False, detail=detail, error_code=code,
                                     needs_template=code == 131047, opted_out=code == 131050)
    if http_status is not None and (http_status == 429 or http_status >= 500):
        return DeliveryResult.failed(reason_code, retryable=True, detail=detail, error_code=code)
    return DeliveryResult.failed(reason_code, retryable=False, detail=detail, error_code=code)


def error_from_body(body: Any) -> tuple[int | None, str | None]:
    """(code, details) from a Graph API error body `{"error": {...}}` or a webhook `errors[0]` item."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    if not isinstance(body, dict):
        return None, None
    code = body.get("code")
    data = body.get("error_data")
    data = data if isinstance(data, dict) else {}
    detail = data.get("details") or body.get("message") or body.get("title")
    return (int(code) if isinstance(code, int | str) and str(code).isdigit() else None), detail
