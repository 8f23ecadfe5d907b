"""What a decision does besides recording itself, per approval kind, inside the decision's transaction.

A message decision releases or discards its draft (approve/edit → `queued` + the send job; reject/respond →
`discarded`). A shortlist edit is validated and normalised to the final `creator_ids`; the agent run acts on it
after resuming. Kinds without an entry (offer, contract, payment until their modules register one) only record
the decision. Register more with `register_effect(kind, effect)`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput
from store.campaigns.repository import CampaignRepository
from store.conversations.service import ConversationService
from store.models import Approval, ApprovalKind, DecisionAction, MessageChannel, MessageStatus


@dataclass(frozen=True)
class Decision:
    action: DecisionAction | str  # DecisionAction, or "expire" from the sweeper
    payload: dict[str, Any] | None = None
    feedback: str | None = None


@dataclass(frozen=True)
class EffectResult:
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None  # the normalised payload the agent receives


DecisionEffect = Callable[[AsyncSession, Approval, Decision], Awaitable[EffectResult]]
_EFFECTS: dict[ApprovalKind, DecisionEffect] = {}


def register_effect(kind: ApprovalKind, effect: DecisionEffect) -> None:
    _EFFECTS[kind] = effect


async def apply_effect(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    effect = _EFFECTS.get(ApprovalKind(approval.kind))
    if effect is None:
        return EffectResult(payload=decision.payload)
    return await effect(session, approval, decision)


def _inbox_args(payload: dict[str, Any]) -> dict[str, Any]:
    """Accept Agent Inbox's edit shape (`{"action": ..., "args": {...}}`) as well as plain fields."""
    args = payload.get("args")
    return args if isinstance(args, dict) and set(payload) <= {"action", "args"} else payload


# ---------------------------------------------------------------------------------------------- messages
_EDITABLE_MESSAGE_FIELDS = ("subject", "body_text", "body_html")


def _message_edit(payload: dict[str, Any] | None, channel: MessageChannel) -> dict[str, Any]:
    fields = _inbox_args(payload or {})
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


async def _message_effect(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    conversations = ConversationService(session)
    message = await conversations.message_for_approval(approval.id, for_update=True)
    if message is None or message.status != MessageStatus.draft:
        raise Conflict("The draft of this approval is no longer waiting", code="draft_not_pending")
    if decision.action in (DecisionAction.approve, DecisionAction.edit):
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


# ---------------------------------------------------------------------------------------------- shortlists
def _proposed_ids(approval: Approval) -> list[str]:
    creators = approval.request.get("action_request", {}).get("args", {}).get("creators", [])
    return [str(entry["creator_id"]) for entry in creators]


def _as_ids(values: Any, name: str) -> list[str]:
    if not isinstance(values, list):
        raise InvalidInput(f"{name} must be a list of creator ids", code="invalid_edit")
    try:
        return [str(uuid.UUID(str(value.get("creator_id") if isinstance(value, dict) else value)))
                for value in values]
    except (ValueError, AttributeError) as exc:
        raise InvalidInput(f"{name} must hold creator ids (UUIDs)", code="invalid_edit") from exc


async def _shortlist_effect(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    if decision.action != DecisionAction.edit:
        return EffectResult(payload=decision.payload)
    fields = _inbox_args(decision.payload or {})
    proposed = _proposed_ids(approval)
    if "creator_ids" in fields or "creators" in fields:
        key = "creator_ids" if "creator_ids" in fields else "creators"
        final = _as_ids(fields[key], key)
    elif "add" in fields or "remove" in fields:
        removed = set(_as_ids(fields.get("remove", []), "remove"))
        final = [cid for cid in proposed if cid not in removed] + _as_ids(fields.get("add", []), "add")
    else:
        raise InvalidInput("A shortlist edit sends {add, remove} or {creator_ids}", code="invalid_edit")
    final = list(dict.fromkeys(final))
    known = await CampaignRepository(session).creators_by_ids([uuid.UUID(cid) for cid in final])
    unknown = [cid for cid in final if uuid.UUID(cid) not in known]
    if unknown:
        raise InvalidInput(f"Unknown creators: {', '.join(unknown)}", code="unknown_creators",
                           details={"creator_ids": unknown})
    if not final:
        raise InvalidInput("The edited shortlist is empty; reject it instead", code="invalid_edit")
    return EffectResult(before={"creator_ids": proposed}, after={"creator_ids": final},
                        payload={"creator_ids": final})


register_effect(ApprovalKind.message, _message_effect)
register_effect(ApprovalKind.shortlist, _shortlist_effect)
