"""Facts a message may state about a creator and a campaign, taken from the profile and the brief only, and the
phrases built from them (platform, audience size, deliverables, dates). Drafts quote these, never invent."""

from __future__ import annotations

import re

from agents.tasks.types import CampaignBrief, CreatorProfile, Deliverable

PLATFORM_NAMES = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube", "twitter": "X (Twitter)",
                  "twitch": "Twitch", "pinterest": "Pinterest", "linkedin": "LinkedIn", "facebook": "Facebook",
                  "snapchat": "Snapchat"}
_KIND_PLURALS = {"story": "stories", "short": "Shorts", "live": "live sessions"}


def creator_name(profile: CreatorProfile) -> str:
    return (profile.first_name or profile.display_name).strip()


def _followers(stats: dict[str, object]) -> int | None:
    value = stats.get("followers", stats.get("subscribers"))
    return int(value) if isinstance(value, int | float) else None


def main_platform(profile: CreatorProfile, brief: CampaignBrief, prefer: str | None = None) -> str | None:
    """The platform to talk about: `prefer` if they are on it, else the first campaign platform they are on, else
    their largest."""
    on = list(profile.platforms)
    for candidate in ([prefer] if prefer else []) + brief.platforms:
        if candidate in on:
            return candidate
    return max(on, key=lambda name: _followers(profile.platforms[name]) or 0) if on else None


def platform_name(platform: str | None) -> str:
    return PLATFORM_NAMES.get(platform or "", (platform or "channel").title())


def handle(profile: CreatorProfile, platform: str | None) -> str | None:
    value = profile.platforms.get(platform or "", {}).get("handle")
    return str(value) if value else None


def compact_count(value: int) -> str:
    """52000 → "52K", 1200000 → "1.2M", 950 → "950"."""
    for limit, suffix in ((1_000_000, "M"), (1_000, "K")):
        if value >= limit:
            number = f"{value / limit:.1f}".rstrip("0").rstrip(".")
            return f"{number}{suffix}"
    return str(value)


def audience(profile: CreatorProfile, platform: str | None) -> str | None:
    count = _followers(profile.platforms.get(platform or "", {}))
    return compact_count(count) if count else None


def category(profile: CreatorProfile, brief: CampaignBrief) -> str:
    shared = [c for c in profile.categories if c in brief.categories]
    return (shared or profile.categories or brief.categories or ["creative"])[0]


def quotable_bio(profile: CreatorProfile, limit: int = 90) -> str | None:
    """The bio when it can be quoted safely: short, and with no amount of money in it (a first contact names no
    money at all)."""
    bio = profile.bio.strip().rstrip(".")
    if not bio or len(bio) > limit or re.search(r"[$€£¥₹]|\d", bio):
        return None
    return bio


def deliverables_phrase(deliverables: list[Deliverable]) -> str:
    parts = []
    for item in deliverables:
        kind = item.kind if item.quantity == 1 else _KIND_PLURALS.get(item.kind, f"{item.kind}s")
        where = f" on {platform_name(item.platform)}" if item.platform and item.kind not in ("reel", "story") else ""
        count = "one" if item.quantity == 1 else str(item.quantity)
        parts.append(f"{count} {kind}{where}")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] if parts else ""


def dates_phrase(brief: CampaignBrief) -> str:
    if brief.start_date and brief.end_date:
        return f"{brief.start_date:%-d %B} to {brief.end_date:%-d %B %Y}"
    if brief.start_date:
        return f"from {brief.start_date:%-d %B %Y}"
    if brief.end_date:
        return f"until {brief.end_date:%-d %B %Y}"
    return ""


def product_name(brief: CampaignBrief) -> str:
    return brief.product or "our brand"


def signature(company: str | None, brief: CampaignBrief) -> str:
    """Who signs a draft: the manager's company; the product's team when the company is unknown."""
    return f"The {company.strip()} team" if company and company.strip() else f"The {product_name(brief)} team"
