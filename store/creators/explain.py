"""Short, human-readable reasons a creator is in a result: similarity, matched terms, and each filter that held."""

from __future__ import annotations

import re
from collections.abc import Sequence

from store.creators.filters import SearchFilters
from store.creators.money import from_usd
from store.models import Creator

_WORD = re.compile(r"[@\w][\w.'-]*")
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in into is it its me my of on or our that the their them they this "
    "to we with who you your creators creator influencer influencers someone people looking find want need".split()
)


def query_terms(query: str | None) -> list[str]:
    """Meaningful lower-case terms of a query, in order, without duplicates or stopwords."""
    if not query:
        return []
    terms = [word.strip(".'-").lower() for word in _WORD.findall(query)]
    return list(dict.fromkeys(term for term in terms if len(term) > 1 and term not in STOPWORDS))


def _stem(word: str) -> str:
    word = word.lower().lstrip("@")
    for suffix in ("ing", "ers", "er", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def matched_terms(creator: Creator, terms: Sequence[str]) -> list[str]:
    reasons: list[str] = []
    stems = {_stem(term): term for term in terms}
    handles = {handle.split(":", 1)[1]: handle.split(":", 1)[0] for handle in creator.handles or []}
    for term in terms:
        if term.lstrip("@") in handles:
            reasons.append(f"handle @{term.lstrip('@')} on {handles[term.lstrip('@')]} matches the query")
    niches = [niche for niche in creator.categories or [] if any(_stem(word) in stems for word in niche.split())]
    if niches:
        reasons.append("niche " + ", ".join(f"'{niche}'" for niche in niches) + " matches the query")
    bio_words = {_stem(word) for word in _WORD.findall(f"{creator.bio} {creator.city or ''}")}
    in_bio = [term for stem, term in stems.items() if stem in bio_words]
    if in_bio:
        reasons.append("bio mentions " + ", ".join(f"'{term}'" for term in in_bio))
    return reasons


def filter_reasons(creator: Creator, filters: SearchFilters) -> list[str]:
    reasons: list[str] = []
    platform = filters.platform
    followers = getattr(creator, f"followers_{platform}") if platform else creator.followers_max
    engagement = getattr(creator, f"engagement_{platform}") if platform else creator.engagement_max
    where = f"on {platform}" if platform else "on the largest platform"
    if platform and filters.min_followers is None and filters.max_followers is None:
        reasons.append(f"on {platform} ({followers or 0:,} followers)")
    if filters.min_followers is not None or filters.max_followers is not None:
        bounds = []
        if filters.min_followers is not None:
            bounds.append(f"≥ {filters.min_followers:,}")
        if filters.max_followers is not None:
            bounds.append(f"≤ {filters.max_followers:,}")
        reasons.append(f"{followers or 0:,} followers {where} ({' and '.join(bounds)})")
    if filters.min_engagement is not None:
        reasons.append(f"engagement {engagement or 0:.1f}% {where} (≥ {filters.min_engagement:g}%)")
    if filters.country:
        reasons.append(f"based in {filters.country}" + (f" ({creator.city})" if creator.city else ""))
    if filters.category:
        reasons.append(f"niche '{filters.category}'")
    if filters.language:
        reasons.append(f"speaks '{filters.language}'")
    if filters.max_rate is not None and creator.min_rate_usd is not None:
        currency = filters.currency or "USD"
        cheapest = min(float(amount) for amount in (creator.rates or {}).values())
        converted = ("" if creator.currency == currency
                     else f" ≈ {from_usd(creator.min_rate_usd, currency):,.0f} {currency}")
        reasons.append(f"cheapest rate {cheapest:,.0f} {creator.currency}{converted} "
                       f"(≤ {filters.max_rate:,.0f} {currency})")
    return reasons
