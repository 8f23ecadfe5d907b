"""How much a query agrees with its filters, read from its unfiltered neighbourhood.

A filtered HNSW walk is fast and accurate when the creators the filter keeps are common near the query ("US
skincare" with a skincare query) and poor when they are not (a cooking query filtered to gaming creators): the
walk then starts far from the filtered creators, finds `fetch` of them (so it looks complete) but not the
nearest ones, or visits thousands of tuples to find them. The row estimate cannot tell the two apart; the
query's nearest creators regardless of the filter can, cheaply (one short walk of the main index): a filter tag
that is rarer among them than in the whole table (`lift` < 1) contradicts the query. Search uses the lifts to
predict how many tuples the filtered walk needs (→ exact scan when too many) and to widen the walk's candidate
list when the query is far from the graph it walks (a segment index of another niche).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

# Unfiltered nearest creators read (ef_search = this): a plain walk of the main graph, at 1M creators 2.6 ms on
# one machine, 5-7 ms on a slower one (about as long as the filtered walk that follows).
PROBE_SIZE = 64


def tag_lifts(seen: Mapping[str, int], size: int, tags: Sequence[str],
              frequencies: Mapping[str, float]) -> dict[str, float]:
    """Per filter tag: how much more common it is among the query's `size` neighbours (`seen`: how many of them
    carry each tag) than in the table, smoothed by one observation each way so that a tag too rare to be seen in
    the neighbourhood (expected count ≪ 1) reads as neutral (≈ 1), not as a contradiction. `frequencies`: each
    tag's share of the table (0..1)."""
    return {tag: (seen.get(tag, 0) + 1.0) / (size * frequencies.get(tag, 0.0) + 1.0) for tag in tags}


def combined_lift(lifts: Mapping[str, float], tags: Iterable[str]) -> float:
    """The lifts of several tags multiplied (as if independent given the query), capped at 1 below 1e-6."""
    return max(1e-6, math.prod(lifts.get(tag, 1.0) for tag in tags))


def widened_ef(ef_search: int, graph_lift: float, ceiling: int = 1000) -> int:
    """The candidate list for a walk of a segment graph whose creators are `graph_lift` times as common near the
    query as overall: unchanged when at least as common, up to five times wider (pgvector's ceiling of 1,000)
    when the query is far from them. Measured at 1M creators, queries from other niches than the niche segment
    walked: recall@10 0.80 at ef_search 200, 0.88 at 400, 0.93 at 800."""
    if graph_lift >= 1.0:
        return ef_search
    return min(ceiling, int(ef_search * min(5.0, 1.0 / graph_lift)))
