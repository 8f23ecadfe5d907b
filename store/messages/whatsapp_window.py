"""WhatsApp's 24-hour rule, in one place: a business message more than 24 hours after the creator's last
message (or to someone who never wrote) must be an approved template; inside the window free text is allowed.

Called by the API before queueing a manager's message (fast 409 feedback) and by the send pipeline when it
chooses the payload (`tools.integrations.whatsapp.choose_whatsapp_payload`): the window may have closed meanwhile.
A safety margin keeps a message queued at 23:58 from arriving after the window closed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict
from store.contacts.normalize import normalize_phone
from store.inbound.repository import InboundEventRepository
from store.models import Channel

SERVICE_WINDOW = timedelta(hours=24)
WINDOW_SAFETY_MARGIN = timedelta(minutes=5)


class TemplateRequired(Conflict):
    code = "whatsapp_template_required"


async def window_opened_at(session: AsyncSession, phone: str) -> datetime | None:
    """When the number last wrote to us (the start of its 24-hour window); None if it never did."""
    return await InboundEventRepository(session).last_message_at(Channel.whatsapp, normalize_phone(phone))


def within_service_window(last_inbound_at: datetime | None, now: datetime,
                          window: timedelta = SERVICE_WINDOW, margin: timedelta = WINDOW_SAFETY_MARGIN) -> bool:
    return last_inbound_at is not None and now - last_inbound_at < window - margin


def whatsapp_form(last_inbound_at: datetime | None, now: datetime, *, has_text: bool, has_template: bool,
                  window: timedelta = SERVICE_WINDOW,
                  margin: timedelta = WINDOW_SAFETY_MARGIN) -> Literal["text", "template"]:
    """Free text inside the window, else the template; `TemplateRequired` (409) when the window is closed and
    there is no template. A template alone is always allowed."""
    if has_text and within_service_window(last_inbound_at, now, window, margin):
        return "text"
    if has_template:
        return "template"
    if not has_text:
        raise TemplateRequired("A WhatsApp message needs a text or a template", code="whatsapp_empty_message")
    raise TemplateRequired("Outside the 24-hour customer-service window WhatsApp only allows an approved "
                           "template: choose one (GET /whatsapp/templates)")
