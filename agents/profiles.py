"""What agents know about a creator: the `CreatorProfile` drafting may use, and the channels that reach them
(an address, consent, and not on the do-not-contact list for this organization).

Built from the `Creator` row with `getattr` defaults, because the creator model is being extended
(`whatsapp_phone`, `whatsapp_opt_in`, `email_opt_in`, richer per-platform audience) in parallel.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agents.tasks.types import Channel, CreatorProfile
from core.errors import DomainError
from store.campaigns.service import email_reachable
from store.contacts.service import DoNotContactService
from store.models import Creator


def creator_profile(creator: Creator) -> CreatorProfile:
    audience: dict[str, Any] = getattr(creator, "audience", None) or {}
    platforms = {name: dict(figures) for name, figures in audience.items() if isinstance(figures, dict)}
    display_name = creator.display_name or "there"
    return CreatorProfile(
        creator_id=str(creator.id), display_name=display_name,
        first_name=getattr(creator, "first_name", None) or display_name.split()[0],
        bio=getattr(creator, "bio", "") or "", categories=list(getattr(creator, "categories", None) or []),
        country=getattr(creator, "country", None), city=getattr(creator, "city", None),
        languages=list(getattr(creator, "languages", None) or []), platforms=platforms,
        email=getattr(creator, "email", None), whatsapp_opt_in=bool(getattr(creator, "whatsapp_opt_in", False)),
    )


def channel_address(creator: Creator, channel: Channel) -> str | None:
    """Where `channel` reaches this creator, or None (no address, or no consent)."""
    if channel == "email":
        return creator.email if email_reachable(creator) else None
    phone = getattr(creator, "whatsapp_phone", None)
    return phone if phone and getattr(creator, "whatsapp_opt_in", False) is True else None


def reachable_channels(creator: Creator) -> list[Channel]:
    channels: list[Channel] = ["email", "whatsapp"]
    return [channel for channel in channels if channel_address(creator, channel)]


def outreach_channels(creator: Creator, open_channels: list[Channel], *, all_channels: bool = False) -> list[Channel]:
    """Where first contact goes: one channel by default — the creator's preferred one when it is open, else email,
    else WhatsApp; every open channel when the brief asks for all of them."""
    if all_channels or len(open_channels) <= 1:
        return list(open_channels)
    preferred = creator.preferred_channel
    return [preferred] if preferred in open_channels else ["email" if "email" in open_channels else open_channels[0]]


async def contactable_channels(session: AsyncSession, creator: Creator,
                               organization_id: uuid.UUID) -> list[Channel]:
    """`reachable_channels` minus addresses on the do-not-contact list (global or this organization's)."""
    do_not_contact = DoNotContactService(session)
    channels: list[Channel] = []
    for channel in reachable_channels(creator):
        try:
            blocked = await do_not_contact.is_blocked(channel, channel_address(creator, channel) or "",
                                                      organization_id)
        except DomainError:  # an address that does not even parse cannot be contacted
            continue
        if not blocked:
            channels.append(channel)
    return channels


def followers(creator_platforms: dict[str, Any], platforms: list[str]) -> int | None:
    """The largest audience among `platforms` (all platforms when none is named)."""
    counts = [int(figures.get("followers") or 0) for name, figures in creator_platforms.items()
              if isinstance(figures, dict) and (not platforms or name in platforms)]
    return max(counts) if counts else None
