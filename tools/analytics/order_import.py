"""Importing an agency's order history (a shop export, CSV or JSON, in the generic conversion format) in one go:
every row is validated first (a row-level report; any error stops the import and nothing is written), then orders
are attributed and stored set-wise in batches — the same rules and statement as the conversion webhooks, so a
backfill of 100,000 orders takes seconds, not the hours one webhook call per order would.

Columns: order_id, amount, currency, occurred_at (ISO 8601), promo_code, click_id (an `ic_click` value); `source`
defaults to `generic` (use `shopify` for Shopify order ids, so later Shopify webhooks replay them).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from store.analytics.conversions import OrderReport, record_orders_batch
from store.analytics.metrics_import import RowError
from tools.analytics.conversion_formats import GenericConversion, generic_order

BATCH = 5_000
Source = Literal["generic", "shopify"]


@dataclass
class OrderImportReport:
    total_rows: int
    recorded: int = 0
    duplicates: int = 0
    attributed: dict[str, int] = field(default_factory=dict)  # promo_code | click | none → orders recorded
    errors: list[RowError] = field(default_factory=list)


def validate_orders(records: list[dict[str, Any]], source: Source) -> tuple[list[OrderReport], list[RowError]]:
    reports, errors = [], []
    for number, record in enumerate(records, start=2):  # row 1 is the header
        values = {key: value for key, value in record.items() if value not in ("", None)}
        try:
            row = GenericConversion.model_validate({"type": "order", **values})
        except ValidationError as exc:
            errors += [RowError(number, ".".join(str(part) for part in error["loc"]) or None, error["msg"])
                       for error in exc.errors()]
            continue
        if row.type != "order":
            errors.append(RowError(number, "type", "only orders are imported: send refunds to the webhook"))
            continue
        reports.append(generic_order(row, source))
    return reports, errors


async def import_orders(session: AsyncSession, organization_id: uuid.UUID, records: list[dict[str, Any]],
                        source: Source = "generic") -> OrderImportReport:
    report = OrderImportReport(total_rows=len(records))
    reports, report.errors = validate_orders(records, source)
    if report.errors:
        return report
    attributed: Counter[str] = Counter()
    for start in range(0, len(reports), BATCH):
        for recorded in await record_orders_batch(session, organization_id, reports[start:start + BATCH]):
            if recorded.status == "recorded":
                report.recorded += 1
                attributed[recorded.attributed_by or "none"] += 1
            else:
                report.duplicates += 1
    report.attributed = dict(attributed)
    return report
