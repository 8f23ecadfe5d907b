"""/do-not-contact: a manager's list for their organization (an admin's: the global list), and a check
that also reports global blocks (unsubscribes, STOP replies, bounces) for one address."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from api.deps import ManagerDep, SessionDep
from api.pagination import PageDep
from api.schemas.do_not_contact import BlockCheck, BlockIn, BlockList, BlockOut, ChannelName
from store.contacts.normalize import normalize_address
from store.contacts.service import DoNotContactService
from store.models import BlockSource, Channel, DoNotContact

router = APIRouter(prefix="/do-not-contact", tags=["do-not-contact"])


def _out(entry: DoNotContact) -> BlockOut:
    return BlockOut(id=entry.id, channel=entry.channel.value, address=entry.address, source=entry.source.value,
                    reason=entry.reason, creator_id=entry.creator_id, created_at=entry.created_at,
                    scope="global" if entry.organization_id is None else "organization")


@router.get("", response_model=BlockList)
async def list_entries(principal: ManagerDep, session: SessionDep, page: PageDep,
                       channel: ChannelName | None = None) -> Any:
    limit, offset = page.limit, page.offset
    entries, total = await DoNotContactService(session).list_scope(
        principal.organization_id, Channel(channel) if channel else None, limit, offset)
    return BlockList(items=[_out(entry) for entry in entries], total=total)


@router.get("/check", response_model=BlockCheck, summary="Is this address blocked for my organization?")
async def check(principal: ManagerDep, session: SessionDep, channel: ChannelName,
                address: Annotated[str, Query(min_length=3, max_length=320)]) -> Any:
    entries = await DoNotContactService(session).blocking_entries(channel, address, principal.organization_id)
    return BlockCheck(blocked=bool(entries), address=normalize_address(channel, address),
                      entries=[_out(entry) for entry in entries])


@router.post("", response_model=BlockOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"description": "already blocked in this scope: the existing entry"}})
async def block(body: BlockIn, principal: ManagerDep, session: SessionDep, response: Response) -> Any:
    outcome = await DoNotContactService(session).block(
        body.channel, body.address, source=BlockSource.manager, organization_id=principal.organization_id,
        creator_id=body.creator_id, reason=body.reason, created_by_user_id=principal.id)
    if not outcome.created:
        response.status_code = status.HTTP_200_OK
    return _out(outcome.entry)


# `:uuid`: /do-not-contact/check is another route (DELETE /do-not-contact/check is a 405, not a 422)
@router.delete("/{entry_id:uuid}", status_code=status.HTTP_204_NO_CONTENT)
async def unblock(entry_id: uuid.UUID, principal: ManagerDep, session: SessionDep) -> None:
    await DoNotContactService(session).unblock(entry_id, principal.organization_id)
