"""Which channels reach a creator: an address, their consent, and not on the do-not-contact list.

Email: an address and no opt-out (`email_opt_in` None = never asked, which a business address allows for first
contact). WhatsApp: a phone number and an explicit opt-in (Meta's policy). Used by the agents (whom to draft
for) and the domain services that message creators (contract signing links).
"""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from store.contacts.service import DoNotContactService
from store.models import Creator

ChannelName = Literal["email", "whatsapp"]
CHANNELS: tuple[ChannelName, ...] = ("email", "whatsapp")


def email_reachable(creator: Creator) -> bool:
    return bool(creator.email) and creator.email_opt_in is not False


def channel_address(creator: Creator, channel: ChannelName) -> str | None:
    """Where `channel` reaches this creator, or None (no address, or no consent)."""
    if channel == "email":
        return creator.email if email_reachable(creator) else None
    return creator.whatsapp_phone if creator.whatsapp_phone and creator.whatsapp_opt_in is True else None


def reachable_channels(creator: Creator) -> list[ChannelName]:
    return [channel for channel in CHANNELS if channel_address(creator, channel)]


def outreach_channels(creator: Creator, open_channels: list[ChannelName], *,
                      all_channels: bool = False) -> list[ChannelName]:
    """Where first contact goes: one channel by default — the creator's preferred one when it is open, else email,
    else WhatsApp; every open channel when the brief asks for all of them."""
    if all_channels or len(open_channels) <= 1:
        return list(open_channels)
    preferred = creator.preferred_channel
    if preferred in open_channels:
        return [preferred]  # type: ignore[list-item]
    return ["email" if "email" in open_channels else open_channels[0]]


async def contactable_channels(session: AsyncSession, creator: Creator,
                               organization_id: uuid.UUID) -> list[ChannelName]:
    """`reachable_channels` minus addresses on the do-not-contact list (global or this organization's)."""
    do_not_contact = DoNotContactService(session)
    channels: list[ChannelName] = []
    for channel in reachable_channels(creator):
        try:
            blocked = await do_not_contact.is_blocked(channel, channel_address(creator, channel) or "",
                                                      organization_id)
        except DomainError:  # an address that does not even parse cannot be contacted
            continue
        if not blocked:
            channels.append(channel)
    return channels
