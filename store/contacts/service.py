"""Do-not-contact rules. Flushes only; the caller's unit of work commits.

Send actors call `is_blocked` themselves right before every send (a block added after the decision to send
must still win). Scope (see `store/models/do_not_contact.py`): unsubscribes, STOP replies and bounces are
global; manager entries belong to the manager's organization (an admin, who has none, manages global ones).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, NotFound
from store.contacts.normalize import normalize_address
from store.contacts.repository import DoNotContactRepository
from store.contacts.tokens import read_unsubscribe_token
from store.creators.visibility import creator_not_found, visible_creator
from store.models import BlockSource, Channel, Creator, DoNotContact


@dataclass(frozen=True)
class BlockOutcome:
    entry: DoNotContact
    created: bool  # False: the address was already blocked in this scope


class DoNotContactService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.entries = DoNotContactRepository(session)

    async def is_blocked(self, channel: Channel | str, address: str, organization_id: uuid.UUID | None) -> bool:
        return bool(await self.blocking_entries(channel, address, organization_id))

    async def blocking_entries(self, channel: Channel | str, address: str,
                               organization_id: uuid.UUID | None) -> list[DoNotContact]:
        channel = Channel(channel)
        return await self.entries.blocking(channel, normalize_address(channel, address), organization_id)

    async def blocked_among(self, sends: Sequence[tuple[Channel | str, str, uuid.UUID | None]]) -> list[bool | None]:
        """`is_blocked` for a batch of (channel, address, organization) in one query; None for an address that is
        not one (an invalid address is never sent to either)."""
        keys: list[tuple[Channel, str] | None] = []
        for channel, address, _ in sends:
            try:
                keys.append((Channel(channel), normalize_address(Channel(channel), address)))
            except DomainError:
                keys.append(None)
        scopes = await self.entries.blocking_scopes([key for key in keys if key is not None])
        return [None if key is None else bool(scopes.get(key, set()) & {None, organization_id})
                for key, (_, _, organization_id) in zip(keys, sends, strict=True)]

    async def block(self, channel: Channel | str, address: str, *, source: BlockSource,
                    organization_id: uuid.UUID | None = None, creator_id: uuid.UUID | None = None,
                    reason: str = "", created_by_user_id: uuid.UUID | None = None) -> BlockOutcome:
        """Add `address` to the list in this scope (None: global). Idempotent: blocking twice keeps the first."""
        channel = Channel(channel)
        normalized = normalize_address(channel, address)
        if creator_id is not None:  # an organization's entry names only a creator it may see (same 404 otherwise)
            if organization_id is not None:
                await visible_creator(self.session, organization_id, creator_id)
            elif await self.session.get(Creator, creator_id) is None:
                raise creator_not_found()
        entry = await self.entries.insert(channel=channel, address=normalized, source=source, reason=reason,
                                          organization_id=organization_id, creator_id=creator_id,
                                          created_by_user_id=created_by_user_id)
        if entry is not None:
            return BlockOutcome(entry, created=True)
        existing = await self.entries.in_scope(channel, normalized, organization_id)
        assert existing is not None  # the conflicting row; entries are only deleted by their owner
        return BlockOutcome(existing, created=False)

    async def unblock(self, entry_id: uuid.UUID, organization_id: uuid.UUID | None) -> None:
        """Remove an entry of this scope; 404 for other organizations' and (for managers) global entries."""
        entry = await self.entries.get(entry_id)
        if entry is None or entry.organization_id != organization_id:
            raise NotFound("No such do-not-contact entry", code="not_found")
        await self.entries.delete(entry_id)

    async def list_scope(self, organization_id: uuid.UUID | None, channel: Channel | None = None,
                         limit: int = 50, offset: int = 0) -> tuple[list[DoNotContact], int]:
        return await self.entries.list_scope(organization_id, channel, limit, offset)

    async def unsubscribe(self, token: str) -> BlockOutcome:
        """One-click unsubscribe behind the List-Unsubscribe link: a global block of the link's address."""
        claim = read_unsubscribe_token(token)
        creator_id = claim.creator_id
        if creator_id is not None and await self.session.get(Creator, creator_id) is None:
            creator_id = None  # the creator was deleted since; the address still must not be mailed
        return await self.block(claim.channel, claim.address, source=BlockSource.unsubscribe,
                                creator_id=creator_id, reason="unsubscribe link")

    async def handle_stop(self, channel: Channel | str, address: str, *, creator_id: uuid.UUID | None = None,
                          reason: str = "STOP reply") -> BlockOutcome:
        """A creator asked us to stop (a STOP reply, a provider opt-out): block the address globally."""
        return await self.block(channel, address, source=BlockSource.stop, creator_id=creator_id, reason=reason)
