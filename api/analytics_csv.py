"""CSV export of analytics tables: `Accept: text/csv` or `?format=csv` turns a table response into CSV.

Figures flatten to one column per figure (`roi`, `roi_unit`... would be noise: the value only, money in the row's
currency column); nested maps are left out. Values that look like formulas are prefixed with `'` so a spreadsheet
never evaluates text that came from outside (creator and campaign names)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

CSV = "text/csv"
Format = Literal["json", "csv"]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: {}}, "description": "JSON, or CSV with Accept: text/csv or ?format=csv"}}


def wants_csv(request: Request, format: Format | None) -> bool:
    if format is not None:
        return format == "csv"
    return CSV in request.headers.get("accept", "")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def flatten(item: BaseModel) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for key, value in item.model_dump().items():
        if key == "figures":
            row.update({name: figure["value"] for name, figure in value.items()})
        elif isinstance(value, dict) and set(value) == {"amount", "currency"}:
            row[key] = value["amount"]
        elif not isinstance(value, (dict, list)):
            row[key] = value
    return row


def csv_response(items: Iterable[BaseModel], filename: str) -> Response:
    rows = [flatten(item) for item in items]
    buffer = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return Response(buffer.getvalue(), media_type=f"{CSV}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})
