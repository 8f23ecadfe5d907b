"""Pure functions over a creator's profile: the denormalised filter columns and the text that gets embedded.

One place computes them for every writer: the ORM flush hook (`store/creators/events.py`) for single rows, the
bulk loaders (import, seed) for COPY/INSERT batches. Filters then run on plain columns — `followers_<platform>`,
`engagement_<platform>`, `followers_max`, `engagement_max`, `min_rate_usd` — prefiltered through the GIN-indexed
`filter_tags`; `handles` ("platform:handle", lower case) and `keywords` (names, handles, niches) serve the
keyword search.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from store.creators.iso_codes import COUNTRIES, LANGUAGES
from store.creators.money import USD_PER_UNIT

PLATFORMS = ("instagram", "youtube", "tiktok", "twitter")

# Bucket thresholds of the filter tags (see `filter_tags`): cumulative, so one tag answers ">= threshold".
FOLLOWER_STEPS = (1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000, 10_000_000)
ENGAGEMENT_STEPS = (1.0, 2.0, 3.0, 5.0, 8.0, 12.0)
RATE_STEPS_USD = (50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000)
# Follower floors of the market tags (`market_tags`): 0 is the country ∧ niche pair itself.
MARKET_STEPS = (0, *FOLLOWER_STEPS)


def clean_handle(handle: str | None) -> str | None:
    if handle is None:
        return None
    cleaned = handle.strip().lstrip("@").strip()
    return cleaned or None


def platforms_of(audience: Mapping[str, Any]) -> list[str]:
    """Platforms the creator is present on: a handle or a positive audience there."""
    return [p for p in PLATFORMS if isinstance(audience.get(p), Mapping)
            and (audience[p].get("handle") or (audience[p].get("followers") or 0) > 0)]


def derived_columns(*, display_name: str, categories: Sequence[str], audience: Mapping[str, Any],
                    rates: Mapping[str, Any], currency: str | None, country: str | None,
                    languages: Sequence[str]) -> dict[str, Any]:
    """The denormalised columns, as a dict of column name → value."""
    present = platforms_of(audience)
    values: dict[str, Any] = {"platforms": present}
    handles: list[str] = []
    for platform in PLATFORMS:
        stats = audience.get(platform) if platform in present else None
        followers = stats.get("followers") if stats else None
        engagement = stats.get("engagement_rate") if stats else None
        # 0, not NULL, for a platform with a handle but no figure: `followers_<platform> IS NOT NULL` is the
        # platform filter, served by the same b-tree as the follower range.
        values[f"followers_{platform}"] = int(followers or 0) if stats else None
        values[f"engagement_{platform}"] = float(engagement) if engagement is not None else None
        handle = clean_handle(stats.get("handle")) if stats else None
        if handle:
            handles.append(f"{platform}:{handle.lower()}")
    followers_values = [values[f"followers_{p}"] for p in PLATFORMS if values[f"followers_{p}"] is not None]
    engagement_values = [values[f"engagement_{p}"] for p in PLATFORMS if values[f"engagement_{p}"] is not None]
    values["followers_max"] = max(followers_values, default=0)
    values["engagement_max"] = max(engagement_values, default=None)
    amounts = [float(amount) for amount in rates.values() if amount is not None]
    known_currency = (currency or "").upper() in USD_PER_UNIT
    values["min_rate_usd"] = (round(min(amounts) * USD_PER_UNIT[(currency or "").upper()], 2)
                              if amounts and known_currency else None)
    values["handles"] = handles
    values["filter_tags"] = filter_tags(values, categories=categories, country=country, languages=languages)
    handle_words = " ".join(f"{h.split(':', 1)[1]} @{h.split(':', 1)[1]}" for h in handles)
    values["keywords"] = " ".join(part for part in (display_name, handle_words, " ".join(categories)) if part)
    return values


def filter_tags(values: Mapping[str, Any], *, categories: Sequence[str], country: str | None,
                languages: Sequence[str]) -> list[str]:
    """One GIN-indexed array answering every hard filter at once (exact predicates re-check on the row).

    Why: a conjunction of broad filters (country ∧ niche ∧ followers) costs a b-tree/GIN bitmap per predicate,
    each as large as the rows that predicate alone keeps (tens of ms at 1M rows); a single GIN `@>` over several
    tags intersects the posting lists inside one scan, skipping through the long lists by the rarest. Tags:
    `c:` country, `cat:` niche, `l:` language, `p:` platform, `f:<platform|*>:<n>` followers ≥ n,
    `e:<platform|*>:<n>` engagement ≥ n %, `r:<n>` cheapest rate ≤ n USD.
    """
    tags = [f"cat:{category}" for category in categories]
    for scope in (*PLATFORMS, "*"):
        followers = values["followers_max" if scope == "*" else f"followers_{scope}"]
        engagement = values["engagement_max" if scope == "*" else f"engagement_{scope}"]
        if followers is None:
            continue
        if scope != "*":
            tags.append(f"p:{scope}")
        tags += [f"f:{scope}:{step}" for step in FOLLOWER_STEPS if followers >= step]
        if engagement is not None:
            tags += [f"e:{scope}:{step:g}" for step in ENGAGEMENT_STEPS if engagement >= step]
    if values["min_rate_usd"] is not None:
        tags += [f"r:{step}" for step in RATE_STEPS_USD if values["min_rate_usd"] <= step]
    if country:
        tags.append(f"c:{country}")
    tags += [f"l:{language}" for language in languages]
    return tags


def market_tags(country: str | None, categories: Sequence[str], followers_max: int | None) -> list[str]:
    """`country/niche/floor` for each niche and each follower floor the creator's largest audience reaches:
    what the GIN expression index `ix_creators_market_tags` holds, computed in SQL by `creator_market_tags`
    (migration 0027, which spells the same floors; a test keeps the two equal).

    Why: the commonest brief ("US skincare creators with 20k+ followers") keeps ~0.1% of a large directory, and
    finding those rows through `filter_tags` walks the posting lists of `c:US`, `cat:skincare` and
    `f:*:10000` (hundreds of thousands of entries at 1M creators, ~15 ms) to intersect them. One tag of the
    combination lists about the rows wanted, so the exact scan reads little more than its matches."""
    if not country:
        return []
    followers = followers_max or 0
    return [f"{country}/{category}/{step}" for category in categories for step in MARKET_STEPS if followers >= step]


def market_tag(country: str, category: str, min_followers: int | None) -> str:
    """The one market tag that finds every creator of `country` ∧ `category` with ≥ `min_followers` (rounded
    down to a floor: the exact bound is re-checked on the rows)."""
    floor = max(step for step in MARKET_STEPS if step <= (min_followers or 0))
    return f"{country}/{category}/{floor}"


def embedding_text(*, bio: str, categories: Sequence[str], platforms: Sequence[str], city: str | None,
                   country: str | None, languages: Sequence[str]) -> str:
    """What the semantic index knows about a creator: bio, niches, platforms and location."""
    parts = []
    if categories:
        parts.append("Niches: " + ", ".join(categories) + ".")
    if platforms:
        parts.append("Creates on " + ", ".join(platforms) + ".")
    place = ", ".join(p for p in (city, COUNTRIES.get((country or "").upper())) if p)
    if place:
        parts.append(f"Based in {place}.")
    spoken = [LANGUAGES.get(code, code) for code in languages]
    if spoken:
        parts.append("Speaks " + ", ".join(spoken) + ".")
    if bio.strip():
        parts.append(bio.strip())
    return " ".join(parts)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def creator_embedding_text(creator: Any) -> str:
    """`embedding_text` for anything with the creator's attributes (ORM object or row)."""
    return embedding_text(bio=creator.bio or "", categories=creator.categories or [],
                          platforms=platforms_of(creator.audience or {}), city=creator.city,
                          country=creator.country, languages=creator.languages or [])
