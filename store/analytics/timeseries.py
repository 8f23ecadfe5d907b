"""Time series from the daily rollups, bucketed by day or ISO week (Monday).

Flow metrics (clicks, orders, revenue, spend) are summed per bucket. Level metrics (impressions, reach, engagements:
each post's latest reading) are carried forward per creator until a newer reading, then summed across creators,
and a bucket shows its last day's level. A bucket without data for a level metric is None (unknown), not 0.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

FLOW_METRICS = ("clicks", "unique_clicks", "orders", "revenue", "spend_committed", "spend_paid")
LEVEL_METRICS = ("impressions", "reach", "engagements")
METRICS = FLOW_METRICS + LEVEL_METRICS
MONEY_METRICS = ("revenue", "spend_committed", "spend_paid")
Metric = Literal["clicks", "unique_clicks", "orders", "revenue", "spend_committed", "spend_paid", "impressions",
                 "reach", "engagements"]


@dataclass(frozen=True)
class Point:
    start: date
    value: Decimal | int | None
    data_points: int  # creator-days that contributed


def bucket_start(day: date, interval: str) -> date:
    return day - timedelta(days=day.weekday()) if interval == "week" else day


def series(rows: list[Any], metric: str, interval: str) -> list[Point]:
    """`rows`: DailyRollup rows of one campaign (any creators), in any order."""
    if not rows:
        return []
    days = sorted({row.day for row in rows})
    first, last = days[0], days[-1]
    buckets: dict[date, list[Any]] = defaultdict(list)
    for row in rows:
        buckets[bucket_start(row.day, interval)].append(row)
    starts, cursor = [], bucket_start(first, interval)
    step = timedelta(days=7 if interval == "week" else 1)
    while cursor <= last:
        starts.append(cursor)
        cursor += step
    if metric in FLOW_METRICS:
        points = []
        for start in starts:
            contributing = buckets.get(start, [])
            total = sum((getattr(row, metric) for row in contributing), Decimal(0) if metric in MONEY_METRICS else 0)
            points.append(Point(start, total, len(contributing)))
        return points
    levels: dict[uuid.UUID, int] = {}
    by_day: dict[date, list[Any]] = defaultdict(list)
    for row in rows:
        if getattr(row, metric) is not None:
            by_day[row.day].append(row)
    points, day = [], first
    for start in starts:
        end = start + step - timedelta(days=1)
        readings = 0
        while day <= min(end, last):
            for row in by_day.get(day, []):
                levels[row.creator_id] = getattr(row, metric)
                readings += 1
            day += timedelta(days=1)
        points.append(Point(start, sum(levels.values()) if levels else None, readings))
    return points
