"""WhatsApp Cloud API: choosing text vs template, the HTTP client, and `deliver_whatsapp`.

Business-initiated messages outside the 24-hour customer-service window (measured from the creator's last
inbound message) must be an approved template; inside it, free text is allowed. The rule lives in
`store/messages/whatsapp_window.py`; `choose_whatsapp_payload` builds the payload it allows.

`deliver_whatsapp(OutboundWhatsApp)` chooses the payload, takes a slot from the shared Redis limiter (per
business number and per recipient), posts to `/{version}/{phone_number_id}/messages` and returns a
`DeliveryResult` (never raises for provider trouble). WHATSAPP_API_BASE_URL points it at Meta or the local
stand-in (`api/standins/whatsapp_cloud.py`), which speaks the same endpoints.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import httpx

from core.loops import LoopLocal
from core.settings import Settings, get_settings
from store.contacts.normalize import normalize_phone
from store.messages.whatsapp_window import (
    SERVICE_WINDOW,
    WINDOW_SAFETY_MARGIN,
    TemplateRequired,
    whatsapp_form,
)
from tools.integrations.delivery import DeliveryResult
from tools.integrations.rate_limit import SendRateLimiter
from tools.integrations.whatsapp_errors import classify_whatsapp_error, error_from_body

log = logging.getLogger(__name__)

MAX_SENDER_WAIT_SECONDS = 2.0  # wait this long for a per-number slot; longer waits go back to the queue


@dataclass(frozen=True)
class TemplateRef:
    """An approved template and the values of its body placeholders ({{1}}, {{2}}, ...)."""

    name: str
    language: str = "en"
    body_parameters: list[str] = field(default_factory=list)

    def as_payload(self) -> dict[str, Any]:
        template: dict[str, Any] = {"name": self.name, "language": {"code": self.language}}
        if self.body_parameters:
            template["components"] = [{"type": "body", "parameters": [
                {"type": "text", "text": value} for value in self.body_parameters]}]
        return template


@dataclass(frozen=True)
class WhatsAppPayload:
    kind: Literal["text", "template"]
    content: dict[str, Any]  # the Cloud API object for `kind`: {"body": ...} or {"name", "language", ...}


def choose_whatsapp_payload(last_inbound_at: datetime | None, now: datetime, *, text: str | None = None,
                            template: TemplateRef | None = None, window: timedelta = SERVICE_WINDOW,
                            margin: timedelta = WINDOW_SAFETY_MARGIN) -> WhatsAppPayload:
    """The Cloud API payload the 24-hour rule (`store/messages/whatsapp_window.py`) allows: free text inside
    the window, else the template; `TemplateRequired` (409) when neither may be sent."""
    form = whatsapp_form(last_inbound_at, now, has_text=bool(text), has_template=template is not None,
                         window=window, margin=margin)
    if form == "text":
        return WhatsAppPayload("text", {"body": text, "preview_url": False})
    assert template is not None
    return WhatsAppPayload("template", template.as_payload())


@dataclass(frozen=True)
class OutboundWhatsApp:
    """Everything a send needs, as plain data (`workers/messages.py` builds it from a message's `SendJob`)."""

    to_phone: str
    idempotency_key: str
    text: str | None = None
    template: TemplateRef | None = None
    last_inbound_at: datetime | None = None  # the creator's last message: opens the 24-hour window
    context_message_id: str | None = None  # the wamid being replied to (quoted in the chat)


class WhatsAppClient:
    """A thin Cloud API client. Pass `http` (e.g. an ASGI transport to the stand-in) in tests."""

    def __init__(self, settings: Settings | None = None, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings or get_settings()
        token = self.settings.WHATSAPP_ACCESS_TOKEN
        self._http = http or httpx.AsyncClient(timeout=self.settings.WHATSAPP_HTTP_TIMEOUT_SECONDS)
        self._owns_http = http is None
        self._headers = {"Authorization": f"Bearer {token.get_secret_value() if token else 'local-dev-token'}"}

    def _url(self, node: str, edge: str) -> str:
        return f"{self.settings.whatsapp_api_base_url}/{self.settings.WHATSAPP_GRAPH_VERSION}/{node}/{edge}"

    @property
    def phone_number_id(self) -> str:
        return self.settings.whatsapp_phone_number_id

    async def send(self, to_phone: str, payload: WhatsAppPayload,
                   context_message_id: str | None = None) -> DeliveryResult:
        body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual",
                                "to": normalize_phone(to_phone).lstrip("+"), "type": payload.kind,
                                payload.kind: payload.content}
        if context_message_id:
            body["context"] = {"message_id": context_message_id}
        sent = {"type": payload.kind, payload.kind: payload.content}
        try:
            response = await self._http.post(self._url(self.phone_number_id, "messages"), json=body,
                                             headers=self._headers)
        except httpx.TransportError as exc:
            return DeliveryResult.failed("connection_error", retryable=True, detail=f"{type(exc).__name__}: {exc}",
                                         content=sent)
        data = _json_or_none(response)
        if response.is_success and isinstance(data, dict) and data.get("messages"):
            return DeliveryResult.sent(str(data["messages"][0]["id"]), content=sent)
        code, detail = error_from_body(data)
        result = classify_whatsapp_error(code, response.status_code, detail or response.text[:500])
        return DeliveryResult.failed(result.reason or "whatsapp_error", retryable=result.retryable,
                                     detail=result.detail, error_code=result.error_code,
                                     retry_after_seconds=_retry_after(response) or result.retry_after_seconds,
                                     needs_template=result.needs_template, opted_out=result.opted_out, content=sent)

    async def list_templates(self) -> list[dict[str, Any]]:
        """The business account's message templates (name, language, status, category, components)."""
        response = await self._http.get(self._url(self.settings.whatsapp_business_account_id, "message_templates"),
                                        headers=self._headers, params={"limit": 100})
        response.raise_for_status()
        return list(response.json().get("data", []))

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()


# One HTTP client per event loop for the sends (core/loops.py): a client per send built a TLS context each time
# (loading the CA store: ~15 % of a worker's CPU in bench/sending.py) and opened a new connection.
_http: LoopLocal[httpx.AsyncClient] = LoopLocal(
    "WhatsApp HTTP client", lambda: httpx.AsyncClient(timeout=get_settings().WHATSAPP_HTTP_TIMEOUT_SECONDS),
    httpx.AsyncClient.aclose)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return float(value) if value.replace(".", "", 1).isdigit() else None


async def deliver_whatsapp(outbound: OutboundWhatsApp, client: WhatsAppClient | None = None,
                           limiter: SendRateLimiter | None = None, now: datetime | None = None) -> DeliveryResult:
    """Choose the payload, respect the rate limits, send. The caller checks do-not-contact and idempotency."""
    try:
        payload = choose_whatsapp_payload(outbound.last_inbound_at, now or datetime.now(UTC), text=outbound.text,
                                          template=outbound.template)
    except TemplateRequired as exc:
        return DeliveryResult.failed("needs_template", retryable=False, detail=exc.message, needs_template=True)
    client = client or WhatsAppClient(http=_http.get())  # the loop's client: nothing to close per send
    limiter = limiter or SendRateLimiter()
    recipient = normalize_phone(outbound.to_phone)
    waited = 0.0
    while True:
        decision = await limiter.acquire(client.phone_number_id, recipient)
        if decision.allowed:
            break
        if decision.limited_by == "recipient" or waited + decision.wait_seconds > MAX_SENDER_WAIT_SECONDS:
            return DeliveryResult.failed(f"{decision.limited_by}_rate_limited", retryable=True,
                                         retry_after_seconds=decision.wait_seconds,
                                         detail="local send rate limit")
        await asyncio.sleep(decision.wait_seconds)
        waited += decision.wait_seconds
    return await client.send(recipient, payload, outbound.context_message_id)
