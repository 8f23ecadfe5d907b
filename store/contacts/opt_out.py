"""A creator asked us to stop (a STOP reply, an opt-out phrase, or the classifier heard one): every address we
have for them goes on the global do-not-contact list, their open conversations close and every draft still
waiting for approval is cancelled. Messages already queued are refused by the send pipeline's own check.
Set operations only, so a redelivered reply or a re-run graph node does the same thing again harmlessly.
Flushes only; the caller's unit of work commits.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from store.approvals.service import ApprovalService
from store.contacts.service import DoNotContactService
from store.followups.service import FollowUpService
from store.messages.repository import MessageRepository
from store.models import Channel, Conversation, ConversationStatus, Creator, MessageChannel, MessageDirection
from store.negotiations.repository import NegotiationRepository
from store.negotiations.service import NegotiationService


class OptOutService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.messages = MessageRepository(session)

    async def opt_out(self, *, creator_id: uuid.UUID | None, channel: Channel | None, address: str | None,
                      reason: str) -> list[str]:
        """Block the creator (or, unknown, the address that wrote) everywhere; returns the addresses blocked."""
        contacts = DoNotContactService(self.session)
        targets: set[tuple[Channel, str]] = {(channel, address)} if channel and address else set()
        creator = await self.session.get(Creator, creator_id) if creator_id else None
        conversations = (await NegotiationRepository(self.session).conversations_of_creator(creator.id)
                         if creator else [])
        if creator is not None:
            targets |= await self._addresses_of(creator, conversations)
        blocked = []
        for target_channel, target in sorted(targets):
            try:
                await contacts.handle_stop(target_channel, target, creator_id=creator.id if creator else None,
                                           reason=reason)
            except DomainError:  # an address that does not parse cannot be written to either
                continue
            blocked.append(f"{target_channel.value}:{target}")
        if creator is not None:
            for conversation in conversations:
                FollowUpService.stop(conversation)
                if conversation.status == ConversationStatus.open:
                    await NegotiationService(self.session).close(conversation, reason=reason)
            await ApprovalService(self.session).cancel_pending_for_creator(creator.id, f"opted out: {reason}")
        await self.session.flush()
        return blocked

    async def _addresses_of(self, creator: Creator, conversations: list[Conversation]) -> set[tuple[Channel, str]]:
        addresses: set[tuple[Channel, str]] = set()
        if creator.email:
            addresses.add((Channel.email, creator.email))
        if creator.whatsapp_phone:
            addresses.add((Channel.whatsapp, creator.whatsapp_phone))
        for conversation in conversations:
            for message in await self.messages.thread(conversation.id):
                if message.direction == MessageDirection.outbound and message.to_address and message.channel in (
                        MessageChannel.email, MessageChannel.whatsapp):
                    addresses.add((Channel(message.channel.value), message.to_address))
        return addresses
