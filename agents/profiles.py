"""What agents know about a creator: the `CreatorProfile` drafting may use, and the channels that reach them.

Built from the `Creator` row with `getattr` defaults, because the creator model is being extended
(`whatsapp_phone`, `whatsapp_opt_in`, `email_opt_in`, richer per-platform audience) in parallel.
"""

from __future__ import annotations

from typing import Any

from agents.tasks.types import Channel, CreatorProfile
from store.campaigns.service import email_reachable
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


def followers(creator_platforms: dict[str, Any], platforms: list[str]) -> int | None:
    """The largest audience among `platforms` (all platforms when none is named)."""
    counts = [int(figures.get("followers") or 0) for name, figures in creator_platforms.items()
              if isinstance(figures, dict) and (not platforms or name in platforms)]
    return max(counts) if counts else None
