"""/whatsapp: a manager sends a WhatsApp message (recorded as a message and queued; the `messages.send_whatsapp`
actor delivers it, like every other message), follows its status, and lists the approved templates. Sending is
the manager's explicit decision, made through this API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from fastapi import APIRouter, Response, status

from api.deps import ManagerDep, SessionDep
from api.schemas.errors import errors
from api.schemas.whatsapp import SendIn, SendOut, TemplateList, TemplateOut
from core.errors import ServiceUnavailable
from store.messages.whatsapp import DirectWhatsApp, DirectWhatsAppService
from tools.integrations.whatsapp import WhatsAppClient

router = APIRouter(prefix="/whatsapp", tags=["whatsapp"])


@router.post("/send", response_model=SendOut, status_code=status.HTTP_202_ACCEPTED,
             responses={200: {"description": "this idempotency key was sent before: that send"},
                        409: {"description": "do-not-contact, or outside the 24-hour window without a template"}})
async def send(body: SendIn, principal: ManagerDep, session: SessionDep, response: Response) -> Any:
    queued, created = await DirectWhatsAppService(session).queue(DirectWhatsApp(
        to_phone=body.to, text=body.text, template=body.template.model_dump() if body.template else None,
        idempotency_key=f"manual:{principal.organization_id}:{body.idempotency_key or uuid.uuid4()}",
        organization_id=principal.organization_id, created_by_user_id=principal.id))
    if not created:
        response.status_code = status.HTTP_200_OK
    return SendOut.of(queued)


@router.get("/status/{message_id}", response_model=SendOut)
async def send_status(message_id: str, principal: ManagerDep, session: SessionDep) -> Any:
    """By our send id or the provider's wamid; other organizations' sends are 404."""
    return SendOut.of(await DirectWhatsAppService(session).get_in_organization(message_id,
                                                                                principal.organization_id))


@router.get("/templates", response_model=TemplateList, responses=errors(503))
async def templates(principal: ManagerDep) -> Any:
    client = WhatsAppClient()
    try:
        items = await client.list_templates()
    except httpx.HTTPError as exc:
        raise ServiceUnavailable(f"WhatsApp templates unavailable: {exc}", code="whatsapp_unavailable") from exc
    finally:
        await client.aclose()
    return TemplateList(items=[TemplateOut.model_validate(item | {"language": item.get("language", "")})
                               for item in items])
