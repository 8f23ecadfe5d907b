"""What agents know about a creator: the `CreatorProfile` drafting may use. Which channels reach them is a domain
rule shared with the contract services: `store/contacts/reachability.py`."""

from __future__ import annotations

from typing import Any

from agents.tasks.types import CreatorProfile
from store.models import Creator


def creator_profile(creator: Creator) -> CreatorProfile:
    platforms = {name: dict(figures) for name, figures in (creator.audience or {}).items()
                 if isinstance(figures, dict)}
    display_name = creator.display_name or "there"
    return CreatorProfile(
        creator_id=str(creator.id), display_name=display_name, first_name=display_name.split()[0],
        bio=creator.bio or "", categories=list(creator.categories or []), country=creator.country,
        city=creator.city, languages=list(creator.languages or []), platforms=platforms, email=creator.email,
        whatsapp_opt_in=bool(creator.whatsapp_opt_in),
    )


def followers(creator_platforms: dict[str, Any], platforms: list[str]) -> int | None:
    """The largest audience among `platforms` (all platforms when none is named)."""
    counts = [int(figures.get("followers") or 0) for name, figures in creator_platforms.items()
              if isinstance(figures, dict) and (not platforms or name in platforms)]
    return max(counts) if counts else None
