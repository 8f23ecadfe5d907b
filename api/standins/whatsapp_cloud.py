"""A local WhatsApp Cloud API stand-in: the endpoints our client uses, and Meta's signed webhooks back.

- `POST /{version}/{phone_number_id}/messages` (Bearer token required) → `{"messages": [{"id": "wamid..."}]}`,
  then webhooks for that message: `sent`, `delivered`, `read`, each WHATSAPP_STANDIN_STATUS_DELAY_SECONDS apart.
- `GET /{version}/{waba_id}/message_templates` → the approved templates below.
- `POST /_standin/inbound` `{"from", "text", "name"?, "context_message_id"?}` → a creator's message webhook
  (also opens that number's 24-hour window here, as on WhatsApp).
- `GET /_standin/messages` → what was sent, with the statuses reported.

Webhooks go to WHATSAPP_STANDIN_WEBHOOK_URL (default: the API's /webhooks/whatsapp), signed with
`X-Hub-Signature-256` using WHATSAPP_APP_SECRET (generated into DATA_DIR when unset, so both sides agree).
Failures are retried a few times, as Meta does. Behaviours to exercise error handling, by recipient:
free text outside the window → `failed` webhook with 131047; numbers ending in 1026 → `failed` 131026;
ending in 9429 → HTTP 429 error 130429; ending in 9500 → HTTP 500 error 131000.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from core.settings import get_settings
from tools.inbound.whatsapp import SIGNATURE_HEADER, sign_body

log = logging.getLogger(__name__)
DISPLAY_NUMBER = "15550001234"
WINDOW_SECONDS = 24 * 3600

TEMPLATES: list[dict[str, Any]] = [
    {"id": "1001", "name": "creator_outreach", "language": "en", "status": "APPROVED", "category": "MARKETING",
     "components": [{"type": "BODY", "text": "Hi {{1}}, {{2}} would love to work with you on a campaign. "
                                             "Interested? Reply here to hear more."}]},
    {"id": "1002", "name": "creator_follow_up", "language": "en", "status": "APPROVED", "category": "MARKETING",
     "components": [{"type": "BODY", "text": "Hi {{1}}, just checking in about {{2}}'s campaign. "
                                             "Reply here if you'd like the details."}]},
    {"id": "1003", "name": "contract_ready", "language": "en", "status": "APPROVED", "category": "UTILITY",
     "components": [{"type": "BODY", "text": "Hi {{1}}, your contract for {{2}} is ready to review."}]},
    {"id": "1004", "name": "creator_outreach_es", "language": "es", "status": "APPROVED", "category": "MARKETING",
     "components": [{"type": "BODY", "text": "Hola {{1}}, a {{2}} le encantaría colaborar contigo."}]},
]


def _error(status_code: int, code: int, message: str, details: str) -> JSONResponse:
    return JSONResponse(status_code=status_code, content={"error": {
        "message": f"(#{code}) {message}", "type": "OAuthException", "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details}, "fbtrace_id": secrets.token_hex(8)}})


@dataclass
class StandinState:
    webhook_url: str
    app_secret: str
    status_delay: float
    http: httpx.AsyncClient | None = None
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # wamid → {to, type, body, statuses}
    last_inbound: dict[str, float] = field(default_factory=dict)  # wa_id → epoch seconds
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def client(self) -> httpx.AsyncClient:
        if self.http is None:
            self.http = httpx.AsyncClient(timeout=10)
        return self.http

    async def post_webhook(self, value: dict[str, Any]) -> int:
        """Sign and deliver one notification; a few retries with backoff. The last HTTP status (0: unreachable)."""
        document = {"object": "whatsapp_business_account", "entry": [{
            "id": get_settings().whatsapp_business_account_id,
            "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": DISPLAY_NUMBER,
                             "phone_number_id": get_settings().whatsapp_phone_number_id},
                **value}}]}]}
        body = json.dumps(document).encode()
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign_body(body, self.app_secret)}
        status = 0
        for attempt in range(4):
            try:
                status = (await self.client().post(self.webhook_url, content=body, headers=headers)).status_code
                if status < 500:
                    return status
            except httpx.HTTPError as exc:
                log.warning("stand-in webhook to %s failed: %s", self.webhook_url, exc)
            await asyncio.sleep(0.2 * 2 ** attempt)
        return status

    def status_value(self, wamid: str, word: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        record = self.sent[wamid]
        record["statuses"].append(word)
        status: dict[str, Any] = {"id": wamid, "status": word, "timestamp": str(int(time.time())),
                                  "recipient_id": record["to"]}
        if word != "failed":
            status["conversation"] = {"id": secrets.token_hex(16), "origin": {"type": "marketing"}}
            status["pricing"] = {"billable": True, "pricing_model": "PMP", "category": "marketing"}
        if errors:
            status["errors"] = errors
        return {"statuses": [status]}

    async def report(self, wamid: str, failure: tuple[int, str, str] | None) -> None:
        words = ["failed"] if failure else ["sent", "delivered", "read"]
        for word in words:
            await asyncio.sleep(self.status_delay)
            errors = None
            if failure:
                code, title, details = failure
                errors = [{"code": code, "title": title, "message": title, "error_data": {"details": details}}]
            await self.post_webhook(self.status_value(wamid, word, errors))

    def schedule(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def window_open(self, wa_id: str) -> bool:
        return time.time() - self.last_inbound.get(wa_id, 0) < WINDOW_SECONDS


def _failure_for(state: StandinState, to: str, kind: str) -> tuple[int, str, str] | None:
    if to.endswith("1026"):
        return 131026, "Message undeliverable", "Unable to deliver message (stand-in: number ends in 1026)"
    if kind == "text" and not state.window_open(to):
        return 131047, "Re-engagement message", ("Message failed to send because more than 24 hours have passed "
                                                 "since the customer last replied to this number.")
    return None


def create_standin_app(*, webhook_url: str | None = None, app_secret: str | None = None,
                       status_delay: float | None = None, http: httpx.AsyncClient | None = None) -> FastAPI:
    settings = get_settings()
    state = StandinState(
        webhook_url=webhook_url or settings.whatsapp_standin_webhook_url,
        app_secret=app_secret or settings.whatsapp_app_secret(),
        status_delay=settings.WHATSAPP_STANDIN_STATUS_DELAY_SECONDS if status_delay is None else status_delay,
        http=http,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        for task in list(state.tasks):
            task.cancel()
        if state.http is not None and http is None:
            await state.http.aclose()

    app = FastAPI(title="WhatsApp Cloud API stand-in", version="0.1.0", lifespan=lifespan)
    app.state.standin = state

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/{version}/{phone_number_id}/messages")
    async def send_message(version: str, phone_number_id: str, request: Request) -> Any:
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return _error(401, 190, "Access token required", "Send Authorization: Bearer <token>")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, 100, "Invalid parameter", "Body is not JSON")
        to, kind = str(body.get("to", "")).lstrip("+"), body.get("type", "text")
        if body.get("messaging_product") != "whatsapp" or not to.isdigit() or kind not in ("text", "template"):
            return _error(400, 100, "Invalid parameter",
                          "Need messaging_product=whatsapp, digits in 'to', type text or template")
        if to.endswith("9429"):
            return _error(429, 130429, "Rate limit hit", "Cloud API message throughput has been reached.")
        if to.endswith("9500"):
            return _error(500, 131000, "Something went wrong", "Stand-in: simulated server error")
        if kind == "template":
            template = body.get("template") or {}
            language = (template.get("language") or {}).get("code")
            if not any(t["name"] == template.get("name") and t["language"] == language for t in TEMPLATES):
                return _error(404, 132001, "Template name does not exist in the translation",
                              f"template {template.get('name')!r} ({language}) does not exist")
        elif not (body.get("text") or {}).get("body"):
            return _error(400, 131008, "Required parameter is missing", "text.body is required")
        wamid = "wamid." + secrets.token_urlsafe(24)
        state.sent[wamid] = {"id": wamid, "to": to, "type": kind, "body": body, "statuses": []}
        state.schedule(state.report(wamid, _failure_for(state, to, kind)))
        return {"messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": to}],
                "messages": [{"id": wamid}]}

    @app.get("/{version}/{waba_id}/message_templates")
    async def message_templates(version: str, waba_id: str) -> dict[str, Any]:
        return {"data": TEMPLATES, "paging": {"cursors": {"before": "", "after": ""}}}

    @app.post("/_standin/inbound")
    async def simulate_inbound(request: Request) -> dict[str, Any]:
        body = await request.json()
        wa_id = str(body["from"]).lstrip("+")
        state.last_inbound[wa_id] = time.time()
        wamid = "wamid." + secrets.token_urlsafe(24)
        message: dict[str, Any] = {"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": "text",
                                   "text": {"body": str(body.get("text", ""))}}
        if body.get("context_message_id"):
            message["context"] = {"from": DISPLAY_NUMBER, "id": body["context_message_id"]}
        status = await state.post_webhook({
            "contacts": [{"profile": {"name": body.get("name") or "Creator"}, "wa_id": wa_id}],
            "messages": [message]})
        return {"id": wamid, "webhook_status": status}

    @app.get("/_standin/messages")
    async def sent_messages() -> dict[str, Any]:
        return {"data": list(state.sent.values())}

    return app
