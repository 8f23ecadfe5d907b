"""What a negotiation turn starts from, read in one short transaction: the conversation (only this tenant's), its
campaign brief, the creator's profile, the text of this turn's reply, and where an answer goes.

The answer goes back on the channel the creator wrote on (WhatsApp to the number that wrote; email to the
address we have been writing to, else the sender); an in-app message or a follow-up uses the channel of our last
message. A turn stops early (`stop_reason`) when the campaign is not active, the creator is unreachable or on the
do-not-contact list, or a follow-up is no longer due (the creator answered meanwhile).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from agents.context import AgentContext
from agents.negotiation.state import Turn
from agents.profiles import creator_profile
from core.errors import DomainError
from store.contacts.service import DoNotContactService
from store.conversations.repository import ConversationRepository
from store.messages.repository import MessageRepository
from store.models import (
    CampaignStatus,
    ConversationStatus,
    Creator,
    Message,
    MessageChannel,
    MessageDirection,
    MessageStatus,
)


@dataclass
class Loaded:
    stop_reason: str | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    brief: dict[str, Any] = field(default_factory=dict)
    organization_name: str = ""
    channel: str = "email"
    to_address: str = ""
    follow_up_limit: int = 0
    reply_text: str = ""
    reply_subject: str | None = None
    previous_text: str = ""
    previous_subject: str | None = None


def _answer_route(thread: list[Message], inbound: Message | None, creator: Creator) -> tuple[str, str | None]:
    outbound = [m for m in thread if m.direction == MessageDirection.outbound and m.to_address]
    if inbound is not None and inbound.channel == MessageChannel.whatsapp:
        return "whatsapp", inbound.from_address
    if inbound is not None and inbound.channel == MessageChannel.email:
        ours = [m.to_address for m in outbound if m.channel == MessageChannel.email]
        return "email", ours[-1] if ours else inbound.from_address
    if outbound:
        return str(outbound[-1].channel), outbound[-1].to_address
    return "email", creator.email


async def load_conversation(context: AgentContext, conversation_id: uuid.UUID, turn: Turn) -> Loaded:
    async with context.unit_of_work() as session:
        parties = await ConversationRepository(session).with_parties(conversation_id)
        if parties is None or str(parties[0].organization_id) != context.organization_id:
            return Loaded("gone")
        conversation, campaign, creator, organization = parties
        thread = await MessageRepository(session).thread(conversation.id)
        inbound = next((m for m in thread if str(m.id) == turn.get("message_id")
                        and m.direction == MessageDirection.inbound), None)
        if campaign is None or campaign.deleted_at is not None or campaign.status != CampaignStatus.active:
            return Loaded("campaign_inactive")
        if creator is None:
            return Loaded("gone")
        channel, address = _answer_route(thread, inbound, creator)
        try:
            blocked = bool(address) and await DoNotContactService(session).is_blocked(
                channel, address or "", conversation.organization_id)
        except DomainError:
            return Loaded("unreachable")
        if not address:
            return Loaded("unreachable")
        if blocked:
            return Loaded("do_not_contact")
        real = [m for m in thread if m.status not in (MessageStatus.draft, MessageStatus.discarded)]
        if turn.get("kind") == "follow_up" and (conversation.status != ConversationStatus.open or (
                real and real[-1].direction == MessageDirection.inbound)):
            return Loaded("follow_up_not_due")
        if turn.get("kind") != "follow_up" and inbound is None:
            return Loaded("missing_message")
        last_ours = next((m for m in reversed(real) if m.direction == MessageDirection.outbound), None)
        return Loaded(
            profile=creator_profile(creator).model_dump(mode="json"), brief=dict(campaign.brief or {}),
            organization_name=organization.name if organization else "", channel=channel, to_address=address,
            follow_up_limit=campaign.follow_up_max, reply_text=inbound.body_text if inbound else "",
            reply_subject=inbound.subject if inbound else None,
            previous_text=last_ours.body_text if last_ours else "",
            previous_subject=last_ours.subject if last_ours else None)
