"""What deciding a drafted message's approval does (kind `message`; offers build on it): approve / edit release
the draft (`queued` + its send job; an edit may change the wording only), reject / respond / expire discard it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput
from store.approvals.decision import Decision, EffectResult, inbox_args
from store.conversations.service import ConversationService
from store.models import Approval, DecisionAction, MessageChannel, MessageStatus

_EDITABLE_MESSAGE_FIELDS = ("subject", "body_text", "body_html")


def _message_edit(payload: dict[str, Any] | None, channel: MessageChannel) -> dict[str, Any]:
    fields = inbox_args(payload or {})
    fields = {key: value for key, value in fields.items() if key not in ("to", "channel")}
    unknown = sorted(set(fields) - set(_EDITABLE_MESSAGE_FIELDS))
    if not fields or unknown:
        raise InvalidInput(f"An edit changes {', '.join(_EDITABLE_MESSAGE_FIELDS)}"
                           + (f"; unknown: {', '.join(unknown)}" if unknown else ""), code="invalid_edit")
    for key, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise InvalidInput(f"{key} must be text", code="invalid_edit")
    if "body_text" in fields and not (fields["body_text"] or "").strip():
        raise InvalidInput("body_text cannot be empty", code="invalid_edit")
    if channel == MessageChannel.whatsapp and fields.get("subject"):
        raise InvalidInput("WhatsApp messages have no subject", code="invalid_edit")
    return fields


async def release_or_discard_draft(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    conversations = ConversationService(session)
    message = await conversations.message_for_approval(approval.id, for_update=True)
    if message is None or message.status != MessageStatus.draft:
        raise Conflict("The draft of this approval is no longer waiting", code="draft_not_pending")
    if decision.accepted:
        result = EffectResult()
        if decision.action == DecisionAction.edit:
            fields = _message_edit(decision.payload, MessageChannel(message.channel))
            before = {key: getattr(message, key) for key in fields}
            for key, value in fields.items():
                setattr(message, key, value)
            result = EffectResult(before=before, after=fields, payload=fields)
        await conversations.queue(message)
        return result
    await conversations.discard(message)
    return EffectResult(payload=decision.payload)
