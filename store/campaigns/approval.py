"""What deciding a `shortlist` approval does: an edit is validated and normalised to the final `creator_ids`
(`{add, remove}` or `{creator_ids}`; every id a creator the organization may contact — else the 404 of
an unknown id —, the list not empty); the discovery run acts on it
after resuming. Other answers only record the decision."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from store.approvals.decision import Decision, EffectResult, inbox_args
from store.creators.visibility import visible_creators
from store.models import Approval, DecisionAction


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


async def shortlist_effect(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    if decision.action != DecisionAction.edit:
        return EffectResult(payload=decision.payload)
    fields = inbox_args(decision.payload or {})
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
    # Another organization's prospect is as unknown as a random id: same answer, nothing revealed.
    known = await visible_creators(session, approval.organization_id, [uuid.UUID(cid) for cid in final])
    unknown = [cid for cid in final if uuid.UUID(cid) not in known]
    if unknown:
        raise NotFound(f"Creator not found: {', '.join(unknown)}", code="creator_not_found",
                       details={"creator_ids": unknown})
    if not final:
        raise InvalidInput("The edited shortlist is empty; reject it instead", code="invalid_edit")
    return EffectResult(before={"creator_ids": proposed}, after={"creator_ids": final},
                        payload={"creator_ids": final})
