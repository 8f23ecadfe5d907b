"""Where every inbound reply enters the negotiation: webhooks (through `workers/inbound.py`) and the creator's
in-app endpoint call `handle_reply` inside their own transaction.

Opt-outs are decided here, in code, before any model sees the text (`tools.inbound.keywords.is_stop_request`:
a bare STOP or a translation; `agents.tasks.optout.is_opt_out`: "unsubscribe me", "remove me from your list",
...): the creator is blocked on every address we have for them, their pending drafts are cancelled and no turn
starts. Anything else is stored once on its conversation and one negotiation turn is queued.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from agents.tasks.optout import is_opt_out
from store.messages.repository import MessageRepository
from store.models import Channel, Conversation, Creator, Message, MessageChannel
from store.negotiations.routing import InboundRouter, InboundText
from store.negotiations.service import NegotiationService
from tools.inbound.keywords import is_stop_request


def asks_to_stop(text: str | None) -> bool:
    return bool(text) and (is_stop_request(text) or is_opt_out(text or ""))


async def handle_reply(session: AsyncSession, conversation: Conversation | None, inbound: InboundText) -> str:
    """Route one inbound reply; returns a short outcome for operators (`inbound_events.outcome`)."""
    router = InboundRouter(session)
    if asks_to_stop(inbound.text) and not inbound.auto_reply:
        if conversation is not None:
            await router.receive(conversation, inbound, start_turn=False)
        contact_channel = (Channel(inbound.channel.value)
                           if inbound.channel in (MessageChannel.email, MessageChannel.whatsapp) else None)
        blocked = await router.opt_out(creator_id=conversation.creator_id if conversation else None,
                                       channel=contact_channel, address=inbound.sender,
                                       reason=f"replied {inbound.text[:80]!r}")
        return f"STOP: blocked {', '.join(blocked) or 'nothing'}; no further sends"
    if conversation is None:
        return "no conversation matched"
    if not inbound.text.strip():
        await router.receive(conversation, inbound, start_turn=False)
        return "stored (no text to answer)"
    _, outcome = await router.receive(conversation, inbound)
    return outcome


async def creator_message(session: AsyncSession, user_id: uuid.UUID, campaign_id: uuid.UUID,
                          text: str) -> tuple[Conversation, Message | None, str]:
    """A registered creator writes in the app: one more inbound channel into the same thread."""
    conversation = await NegotiationService(session).creator_conversation(user_id, campaign_id)
    creator = await session.get(Creator, conversation.creator_id)
    inbound = InboundText(channel=MessageChannel.app, text=text, provider_id=uuid.uuid4().hex,
                          sender=creator.email if creator else None)
    outcome = await handle_reply(session, conversation, inbound)
    message = await MessageRepository(session).by_key(f"inbound:app:{inbound.provider_id}")
    return conversation, message, outcome
