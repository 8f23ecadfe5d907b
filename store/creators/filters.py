"""Search filters: validation (422 with a message saying what to fix) and their SQL form.

The SQL uses only the denormalised columns of `creators`, prefiltered by one GIN scan over `filter_tags`:
followers/engagement on the chosen platform (`followers_<platform>`, `engagement_<platform>`) or, without a
platform, on the creator's largest platform (`followers_max`, `engagement_max`); `max_rate` compares the
cheapest quoted rate converted to USD (`min_rate_usd`). Prospects imported by an organization are visible only
to that organization.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from core.errors import InvalidInput
from store.creators.iso_codes import COUNTRIES, LANGUAGES
from store.creators.money import CURRENCIES, to_usd
from store.creators.profile import ENGAGEMENT_STEPS, FOLLOWER_STEPS, PLATFORMS, RATE_STEPS_USD, market_tag
from store.creators.segment_indexes import Segment, Segments
from store.creators.visibility import visible_sql

MAX_LIMIT = 100
MAX_OFFSET = 1000


@dataclass(frozen=True)
class SearchFilters:
    platform: str | None = None
    min_followers: int | None = None
    max_followers: int | None = None
    min_engagement: float | None = None  # percent
    country: str | None = None  # ISO 3166-1 alpha-2
    category: str | None = None
    language: str | None = None  # ISO 639-1
    max_rate: float | None = None  # the creator's cheapest deliverable, in `currency`
    currency: str | None = None  # of `max_rate`; USD when unset

    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in self.__dataclass_fields__ if name != "currency")


def normalise_filters(filters: SearchFilters, limit: int, offset: int) -> SearchFilters:
    """Validated, canonical filters (lower/upper case, stripped); raises InvalidInput listing every problem."""
    problems: list[dict[str, str]] = []

    def bad(name: str, message: str) -> None:
        problems.append({"field": name, "message": message})

    def text(value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    platform = (text(filters.platform) or "").lower() or None
    country = (text(filters.country) or "").upper() or None
    category = (text(filters.category) or "").lower() or None
    language = (text(filters.language) or "").lower() or None
    currency = (text(filters.currency) or "").upper() or None
    if platform is not None and platform not in PLATFORMS:
        bad("platform", f"unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}")
    for name in ("min_followers", "max_followers", "min_engagement", "max_rate"):
        value = getattr(filters, name)
        if value is not None and value < 0:
            bad(name, "must be zero or more")
    if (filters.min_followers is not None and filters.max_followers is not None
            and filters.min_followers > filters.max_followers):
        bad("min_followers", "must not exceed max_followers")
    if filters.min_engagement is not None and filters.min_engagement > 100:
        bad("min_engagement", "is a percentage: use 0-100")
    if country is not None and country not in COUNTRIES:
        bad("country", "use an ISO 3166-1 alpha-2 code such as US, GB or BR")
    if language is not None and language not in LANGUAGES:
        bad("language", "use an ISO 639-1 code such as en, es or pt")
    if currency is not None and currency not in CURRENCIES:
        bad("currency", f"unsupported currency; use one of {', '.join(sorted(CURRENCIES))}")
    if not 1 <= limit <= MAX_LIMIT:
        bad("limit", f"must be between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        bad("offset", f"must be between 0 and {MAX_OFFSET}")
    if problems:
        summary = "; ".join(f"{item['field']}: {item['message']}" for item in problems)
        raise InvalidInput(summary, code="invalid_search", details=problems)
    return replace(filters, platform=platform, country=country, category=category, language=language,
                   currency=currency)


@dataclass(frozen=True)
class FilterSQL:
    """A WHERE clause over `creators` (alias-free) and its bind parameters.

    `estimate_where` selects the same rows, spelled for the planner's row estimate: plain column bounds (which
    have statistics; `column + 0` gets a default guess) and every tag once (twice would be counted twice).
    `exact_where` selects them too, spelled for an exact scan: with a country and a niche, through the market
    tag (`store.creators.profile.market_tags`), which lists about the rows wanted, instead of intersecting the
    long posting lists of its parts; else `where`.
    """

    where: str
    params: dict[str, Any] = field(default_factory=dict)
    estimate_where: str = ""
    segment: Segment | None = None  # the segment index (niche, country, pair, language) serving this filter, if any
    exact_where: str = ""
    market: str | None = None  # the market tag `exact_where` finds rows by, if any
    lists: Segment | None = None  # the IVFFlat index beside a niche `segment`, for queries far from the niche

    @property
    def scan_where(self) -> str:
        return self.exact_where or self.where


def followers_column(filters: SearchFilters) -> str:
    return f"followers_{filters.platform}" if filters.platform else "followers_max"


def engagement_column(filters: SearchFilters) -> str:
    return f"engagement_{filters.platform}" if filters.platform else "engagement_max"


def filter_sql(filters: SearchFilters, organization_id: uuid.UUID | None,
               segments: Segments | None = None) -> FilterSQL:
    """SQL for normalised filters: one `filter_tags @>` prefilter (a single GIN scan intersecting every filter's
    posting list) plus the exact bounds the bucketed tags only approximate, plus the literal predicate of the
    smallest segment index (niche, country or both) the filters select, when there is one. Column names come from a
    fixed set, values are bound (a segment literal is spelled only for indexed segments, whose values are
    restricted to safe characters)."""
    exact: list[str] = []  # bounds on plain columns, written twice: see below
    params: dict[str, Any] = {}
    tags: list[str] = []
    scope = filters.platform or "*"
    if filters.platform:
        tags.append(f"p:{filters.platform}")
    if filters.min_followers is not None:
        tags += [f"f:{scope}:{step}" for step in FOLLOWER_STEPS if step <= filters.min_followers][-1:]
        exact.append(f"{followers_column(filters)}{{}} >= :f_min_followers")
        params["f_min_followers"] = filters.min_followers
    if filters.max_followers is not None:
        exact.append(f"{followers_column(filters)}{{}} <= :f_max_followers")
        params["f_max_followers"] = filters.max_followers
    if filters.min_engagement is not None:
        tags += [f"e:{scope}:{step:g}" for step in ENGAGEMENT_STEPS if step <= filters.min_engagement][-1:]
        exact.append(f"{engagement_column(filters)}{{}} >= :f_min_engagement")
        params["f_min_engagement"] = filters.min_engagement
    if filters.country:
        tags.append(f"c:{filters.country}")
    if filters.language:
        tags.append(f"l:{filters.language}")
    if filters.max_rate is not None:
        max_rate_usd = to_usd(filters.max_rate, filters.currency or "USD")
        tags += [f"r:{step}" for step in RATE_STEPS_USD if step >= max_rate_usd][:1]
        exact.append("min_rate_usd{} <= :f_max_rate_usd")
        params["f_max_rate_usd"] = max_rate_usd

    visibility = visible_sql(organization_id, params)
    if filters.category:
        tags.append(f"cat:{filters.category}")
    segment = _smallest_segment(filters, segments or {})
    lists = (segments or {}).get((segment.kind.lists_kind, segment.value)) if segment and segment.kind.lists_kind \
        else None

    # Executed: the segment's predicate spelled literally (then not repeated as a tag); the bounds as
    # `column + 0`, not indexable, so the planner re-checks them on the rows the tags found instead of ANDing a
    # b-tree bitmap as large as the bound alone keeps.
    run_tags = [tag for tag in tags if segment is None or tag not in segment.tags]
    where = [segment.predicate] if segment else []
    if run_tags:
        where.append("filter_tags @> CAST(:f_tags AS varchar[])")
        params["f_tags"] = run_tags
    where += [bound.format(" + 0") for bound in exact]
    # Estimated: every tag once, plain bounds.
    estimate = []
    if tags:
        estimate.append("filter_tags @> CAST(:f_all_tags AS varchar[])")
        params["f_all_tags"] = tags
    estimate += [bound.format("") for bound in exact]
    # Exact scan: the market tag stands for the country, the niche and the all-platform follower floor.
    market, exact_where = None, ""
    if filters.country and filters.category:
        market = market_tag(filters.country, filters.category, filters.min_followers)
        rest = [tag for tag in tags if tag not in (f"c:{filters.country}", f"cat:{filters.category}")
                and not tag.startswith("f:*:")]
        scan = ["creator_market_tags(country, categories, followers_max) @> CAST(:f_market AS varchar[])"]
        params["f_market"] = [market]
        if rest:
            scan.append("filter_tags @> CAST(:f_rest_tags AS varchar[])")
            params["f_rest_tags"] = rest
        exact_where = " AND ".join([*scan, *(bound.format(" + 0") for bound in exact), visibility])
    return FilterSQL(" AND ".join([*where, visibility]), params, " AND ".join([*estimate, visibility]), segment,
                     exact_where, market, lists)


def _smallest_segment(filters: SearchFilters, segments: Segments) -> Segment | None:
    """Of the indexed segments the filters select (niche, country, both, language), the one with the fewest
    creators: the smallest graph, in which the other filters keep the largest share."""
    pair = f"{filters.country}/{filters.category}" if filters.country and filters.category else None
    keys = [("niche", filters.category), ("country", filters.country), ("pair", pair), ("language", filters.language)]
    chosen = [segments[(kind, value)] for kind, value in keys if value is not None and (kind, value) in segments]
    return min(chosen, key=lambda segment: segment.rows, default=None)
