"""Provider webhooks: WhatsApp (`GET/POST /webhooks/whatsapp`) and inbound email (`POST /webhooks/email/inbound`).

Both authenticate before reading the payload (WhatsApp: `X-Hub-Signature-256` over the raw body; email: the
INBOUND_EMAIL_SECRET as `X-Inbound-Secret` or the basic-auth password) and answer 401 storing nothing
otherwise. Accepted items are stored once each (`store.inbound.service.InboundService`) with their
`inbound.process` job. `whatsapp_webhook_router(path)` is mounted here and, at `/webhook`, by the WhatsApp
Business service, so either process can receive Meta's callbacks.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse

from api.deps import SessionDep
from api.schemas.webhooks import WebhookReceipt
from core.errors import Forbidden, InvalidInput, ServiceUnavailable, Unauthorized
from core.settings import ConfigurationError, get_settings
from store.inbound.service import InboundService
from tools.inbound.email import parse_inbound_email
from tools.inbound.whatsapp import SIGNATURE_HEADER, parse_webhook, signature_valid


def _configured(secret: Any) -> str:
    try:
        return str(secret())
    except ConfigurationError as exc:
        raise ServiceUnavailable(f"webhook not configured: {exc}", code="webhook_not_configured") from exc


async def verified_whatsapp_body(request: Request) -> bytes:
    """The raw body, once its signature checks out; nothing is parsed before that."""
    body = await request.body()
    app_secret = _configured(get_settings().whatsapp_app_secret)
    if not signature_valid(body, request.headers.get(SIGNATURE_HEADER), app_secret):
        raise Unauthorized("Missing or invalid X-Hub-Signature-256", code="invalid_signature",
                           headers={"WWW-Authenticate": "X-Hub-Signature-256"})
    return body


def whatsapp_webhook_router(path: str) -> APIRouter:
    router = APIRouter(tags=["webhooks"])

    @router.get(path, response_class=PlainTextResponse, summary="WhatsApp webhook verification handshake")
    async def verify(mode: Annotated[str | None, Query(alias="hub.mode")] = None,
                     token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
                     challenge: Annotated[str, Query(alias="hub.challenge", max_length=512)] = "") -> str:
        expected = _configured(get_settings().whatsapp_verify_token)
        if mode != "subscribe" or token is None or not hmac.compare_digest(token, expected):
            raise Forbidden("Verification failed: hub.mode must be 'subscribe' and hub.verify_token must match",
                            code="webhook_verification_failed")
        return challenge

    @router.post(path, response_model=WebhookReceipt, summary="WhatsApp notifications (messages, statuses)")
    async def receive(body: Annotated[bytes, Depends(verified_whatsapp_body)], session: SessionDep) -> Any:
        try:
            document = json.loads(body)
        except ValueError as exc:
            raise InvalidInput("body is not JSON", code="invalid_webhook") from exc
        max_age = timedelta(seconds=get_settings().WHATSAPP_WEBHOOK_MAX_AGE_SECONDS)
        summary = await InboundService(session).record(parse_webhook(document), max_age=max_age)
        return WebhookReceipt.model_validate(summary, from_attributes=True)

    return router


def _basic_auth_password(header: str | None) -> str | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        return base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")[2]
    except (binascii.Error, UnicodeDecodeError):
        return None


async def inbound_email_authenticated(request: Request) -> None:
    expected = _configured(get_settings().inbound_email_secret)
    presented = request.headers.get("x-inbound-secret") or _basic_auth_password(request.headers.get("authorization"))
    if presented is None or not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Unauthorized("Send the inbound secret as X-Inbound-Secret or as the basic-auth password",
                           code="invalid_inbound_secret", headers={"WWW-Authenticate": 'Basic realm="inbound"'})


async def _inbound_fields(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            document = await request.json()
        except ValueError as exc:
            raise InvalidInput("body is not JSON", code="invalid_inbound_email") from exc
        if not isinstance(document, dict):
            raise InvalidInput("expected a JSON object", code="invalid_inbound_email")
        return document
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        return {key: value for key, value in form.items() if isinstance(value, str)}  # attachments are not kept
    raise InvalidInput("send application/json or an inbound-parse form (multipart/form-data)",
                       code="unsupported_media_type")


router = APIRouter(prefix="/webhooks")
router.include_router(whatsapp_webhook_router("/whatsapp"))


@router.post("/email/inbound", response_model=WebhookReceipt, tags=["webhooks"],
             dependencies=[Depends(inbound_email_authenticated)], summary="An inbound email (reply)")
async def inbound_email(request: Request, session: SessionDep) -> Any:
    email = parse_inbound_email(await _inbound_fields(request))
    summary = await InboundService(session).record([email.to_item()])
    return WebhookReceipt.model_validate(summary, from_attributes=True)
