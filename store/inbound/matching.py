"""Which conversation an inbound reply belongs to (the first rule that finds one wins):

- email: the conversation's reply token in a `reply+<token>@` recipient; then `In-Reply-To` / `References`
  against the Message-IDs of our messages; then the sender's address against the addresses we wrote to;
- WhatsApp: the wamid the creator replied to (`context.id`); then the sender's number against the numbers we
  wrote to;
- by address: the most recently active open conversation we wrote to, else the most recent one;
- in the app: the creator's own conversation for the campaign (`NegotiationService.creator_conversation`).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.conversations.repository import ConversationRepository
from store.inbound.items import InboundReply
from store.messages.repository import MessageRepository
from store.models import Conversation, MessageChannel
from store.negotiations.repository import NegotiationRepository


class ConversationMatcher:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.messages = MessageRepository(session)
        self.negotiations = NegotiationRepository(session)

    async def match(self, channel: MessageChannel, reply: InboundReply, sender: str | None) -> Conversation | None:
        if reply.reply_token:
            found = await ConversationRepository(self.session).by_reply_token(reply.reply_token)
            if found is not None:
                return found
        conversation_id = await self.messages.conversation_for_provider_ids(reply.reply_to_ids)
        if conversation_id is not None:
            return await self.session.get(Conversation, conversation_id)
        return await self._by_address(channel, sender)

    async def _by_address(self, channel: MessageChannel, address: str | None) -> Conversation | None:
        if not address:
            return None
        ids = await self.messages.conversations_written_to(channel, address)
        candidates = await self.negotiations.open_conversations(ids) or await self.negotiations.conversations_by_ids(
            ids[:1])
        return candidates[0] if candidates else None
