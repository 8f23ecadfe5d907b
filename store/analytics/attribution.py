"""Set-based order attribution: a batch of orders (one webhook, or an agency's backfill of thousands) is attributed
and stored by one SQL statement, so the cost per order does not grow with round trips.

The rules are those of `store.analytics.conversions`: a promo code of the organization first (the first of the
order's codes that exists); else the latest click token within the attribution window (checked here from the
time-ordered click id) whose link belongs to the organization and whose click row, once flushed, is not a bot's
and is on that link; else unattributed. Orders are idempotent by (organization, source, external id): rows already
stored come back as `duplicate` with their stored attribution. Attributed pairs are marked dirty in the same
statement.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Integer, Numeric, String

from core.errors import InvalidInput
from core.settings import get_settings
from store.analytics.click_ids import click_time, parse_click_token
from store.analytics.links import normalize_promo_code
from store.models import Order

CLOCK_SKEW = timedelta(minutes=5)

_ATTRIBUTE_AND_STORE = text("""
WITH staged AS (
    SELECT * FROM unnest(CAST(:row_no AS int[]), CAST(:order_id AS text[]), CAST(:currency AS text[]),
                         CAST(:total AS numeric[]), CAST(:ordered_at AS timestamptz[]))
        AS s(row_no, external_order_id, currency, total, ordered_at)),
codes AS (SELECT * FROM unnest(CAST(:code_row AS int[]), CAST(:code AS text[])) WITH ORDINALITY
               AS c(row_no, code, position)),
clicks AS (SELECT * FROM unnest(CAST(:click_row AS int[]), CAST(:click_code AS text[]), CAST(:click_id AS uuid[]),
                              CAST(:click_at AS timestamptz[])) AS k(row_no, code, click_id, clicked_at)),
by_code AS (
    SELECT DISTINCT ON (c.row_no) c.row_no, p.campaign_id, p.creator_id, p.code
    FROM codes c JOIN promo_codes p ON p.organization_id = CAST(:organization_id AS uuid) AND p.code = c.code
    ORDER BY c.row_no, c.position),
by_click AS (
    SELECT DISTINCT ON (k.row_no) k.row_no, l.campaign_id, l.creator_id, k.click_id
    FROM clicks k JOIN tracked_links l ON l.code = k.code AND l.organization_id = CAST(:organization_id AS uuid)
    LEFT JOIN click_events e ON e.id = k.click_id
    WHERE e.id IS NULL OR (NOT e.is_bot AND e.link_id = l.id)
    ORDER BY k.row_no, k.clicked_at DESC),
inserted AS (
    INSERT INTO orders (id, organization_id, source, external_order_id, campaign_id, creator_id, attributed_by,
                        promo_code, click_id, currency, total_amount, refunded_amount, ordered_at)
    SELECT gen_random_uuid(), CAST(:organization_id AS uuid), CAST(:source AS text), s.external_order_id,
           coalesce(b.campaign_id, k.campaign_id), coalesce(b.creator_id, k.creator_id),
           CASE WHEN b.row_no IS NOT NULL THEN 'promo_code' WHEN k.row_no IS NOT NULL THEN 'click' ELSE 'none' END,
           b.code, CASE WHEN b.row_no IS NULL THEN k.click_id END, s.currency, s.total, 0, s.ordered_at
    FROM staged s LEFT JOIN by_code b USING (row_no) LEFT JOIN by_click k USING (row_no)
    ORDER BY s.row_no
    ON CONFLICT (organization_id, source, external_order_id) DO NOTHING
    RETURNING id, external_order_id, campaign_id, creator_id, attributed_by),
marked AS (
    INSERT INTO analytics_dirty (campaign_id, creator_id)
    SELECT DISTINCT campaign_id, creator_id FROM inserted WHERE campaign_id IS NOT NULL AND creator_id IS NOT NULL
    ON CONFLICT DO NOTHING)
SELECT id, external_order_id, campaign_id, creator_id, attributed_by FROM inserted
""").bindparams(
    bindparam("row_no", type_=ARRAY(Integer)), bindparam("order_id", type_=ARRAY(String)),
    bindparam("currency", type_=ARRAY(String)), bindparam("total", type_=ARRAY(Numeric)),
    bindparam("ordered_at", type_=ARRAY(TIMESTAMP(timezone=True))), bindparam("code_row", type_=ARRAY(Integer)),
    bindparam("code", type_=ARRAY(String)), bindparam("click_row", type_=ARRAY(Integer)),
    bindparam("click_code", type_=ARRAY(String)), bindparam("click_id", type_=ARRAY(UUID(as_uuid=True))),
    bindparam("click_at", type_=ARRAY(TIMESTAMP(timezone=True))), bindparam("organization_id", type_=UUID()),
    bindparam("source", type_=String))


def _parameters(organization_id: uuid.UUID, source: str, reports: Sequence[Any]) -> dict[str, Any]:
    window = timedelta(days=get_settings().ATTRIBUTION_WINDOW_DAYS)
    values: dict[str, list[Any]] = {name: [] for name in ("row_no", "order_id", "currency", "total", "ordered_at",
                                                          "code_row", "code", "click_row", "click_code", "click_id",
                                                          "click_at")}
    for row_no, report in enumerate(reports):
        if report.total < 0:
            raise InvalidInput(f"An order total cannot be negative (order {report.external_order_id})",
                               code="invalid_order")
        for name, value in (("row_no", row_no), ("order_id", report.external_order_id),
                            ("currency", report.currency.upper()), ("total", report.total),
                            ("ordered_at", report.ordered_at)):
            values[name].append(value)
        for code in report.promo_codes:
            if code.strip():
                values["code_row"].append(row_no)
                values["code"].append(normalize_promo_code(code))
        for code, click_id in filter(None, map(parse_click_token, report.click_tokens)):
            clicked_at = click_time(click_id)
            if report.ordered_at - window <= clicked_at <= report.ordered_at + CLOCK_SKEW:
                for name, value in (("click_row", row_no), ("click_code", code), ("click_id", click_id),
                                    ("click_at", clicked_at)):
                    values[name].append(value)
    return {**values, "organization_id": organization_id, "source": source}


async def record_orders(session: AsyncSession, organization_id: uuid.UUID, source: str,
                        reports: Sequence[Any]) -> list[tuple[str, Any]]:
    """Attribute and store `reports` (OrderReport, all of `source`); per report, in order: ("recorded" or
    "duplicate", a row with id, campaign_id, creator_id, attributed_by)."""
    if not reports:
        return []
    rows = (await session.execute(_ATTRIBUTE_AND_STORE, _parameters(organization_id, source, reports))).all()
    stored = {row.external_order_id: ("recorded", row) for row in rows}
    missing = {report.external_order_id for report in reports} - set(stored)
    if missing:  # replays: the stored row and its attribution
        for row in (await session.execute(select(Order.id, Order.external_order_id, Order.campaign_id,
                                                 Order.creator_id, Order.attributed_by).where(
                Order.organization_id == organization_id, Order.source == source,
                Order.external_order_id.in_(missing)))).all():
            stored[row.external_order_id] = ("duplicate", row)
    seen: set[str] = set()
    results = []
    for report in reports:  # an order id twice in one batch: the second is a replay of the first
        status, row = stored[report.external_order_id]
        results.append((status if report.external_order_id not in seen else "duplicate", row))
        seen.add(report.external_order_id)
    return results
