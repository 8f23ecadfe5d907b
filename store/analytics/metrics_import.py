"""Importing post metrics from an agency's export (CSV or JSON), with a row-level validation report like creator
import: every row is checked first; any error stops the import and nothing is written.

Columns (case and spacing ignored): `post_url` (required), `creator_id` (needed when the URL is not yet a post of the
campaign), `captured_at` (ISO 8601; default now), `platform_post_id`, and any of the metrics (impressions, reach,
views, likes, comments, shares, saves, link_clicks, story_taps). Empty cells are "not reported", never 0.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import InvalidInput
from store.analytics.links import LinkService
from store.analytics.posts import PostService, Reading
from store.models import Campaign
from store.models.metric_snapshot import METRIC_FIELDS

MAX_ROWS = 50_000


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None
    message: str


@dataclass
class ImportReport:
    total_rows: int
    imported: int = 0
    posts_created: int = 0
    errors: list[RowError] = field(default_factory=list)


class MetricRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    post_url: AnyHttpUrl
    creator_id: uuid.UUID | None = None
    captured_at: datetime | None = None
    platform_post_id: str | None = Field(default=None, max_length=200)
    impressions: int | None = Field(default=None, ge=0, le=10**15)
    reach: int | None = Field(default=None, ge=0, le=10**15)
    views: int | None = Field(default=None, ge=0, le=10**15)
    likes: int | None = Field(default=None, ge=0, le=10**15)
    comments: int | None = Field(default=None, ge=0, le=10**15)
    shares: int | None = Field(default=None, ge=0, le=10**15)
    saves: int | None = Field(default=None, ge=0, le=10**15)
    link_clicks: int | None = Field(default=None, ge=0, le=10**15)
    story_taps: int | None = Field(default=None, ge=0, le=10**15)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", "") if value.strip().replace(",", "").isdigit() else value.strip()
        return None if value == "" else value


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def read_rows(content: bytes, filename: str = "", key: str = "metrics") -> list[dict[str, Any]]:
    """The rows of a CSV or JSON upload (a list, or `{key: [...]}`), with normalized column names."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("The file is not UTF-8 text", code="invalid_import_file") from exc
    if filename.lower().endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"Not valid JSON: {exc}", code="invalid_import_file") from exc
        except RecursionError as exc:
            raise InvalidInput("The JSON is nested too deeply", code="invalid_import_file") from exc
        records = document.get(key) if isinstance(document, dict) else document
        if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
            raise InvalidInput(f'JSON must be a list of rows or {{"{key}": [...]}}', code="invalid_import_file")
    else:
        reader = csv.DictReader(io.StringIO(text))
        try:
            if not reader.fieldnames:
                raise InvalidInput("The CSV has no header row", code="invalid_import_file")
            records = [dict(row) for row in reader]
        except csv.Error as exc:  # e.g. a field over the csv module's limit, a NUL byte
            raise InvalidInput(f"Not a readable CSV (line {reader.line_num}): {exc}",
                               code="invalid_import_file") from exc
    if len(records) > MAX_ROWS:
        raise InvalidInput(f"At most {MAX_ROWS} rows per import", code="import_too_large")
    return [{_key(key): value for key, value in record.items() if key is not None} for record in records]


async def import_metrics(service: PostService, campaign: Campaign, records: list[dict[str, Any]],
                         entered_by_id: uuid.UUID) -> ImportReport:
    report = ImportReport(total_rows=len(records))
    known = {post.url: post for post in await service.posts(campaign_id=campaign.id)}
    links = LinkService(service.session)
    valid: list[tuple[MetricRow, str]] = []
    introduced: dict[str, uuid.UUID] = {}
    for number, record in enumerate(records, start=2):  # row 1 is the header
        try:
            row = MetricRow.model_validate(record)
        except ValidationError as exc:
            report.errors += [RowError(number, ".".join(str(part) for part in error["loc"]) or None, error["msg"])
                              for error in exc.errors()]
            continue
        url = str(row.post_url)
        if url not in known and row.creator_id is None and url in introduced:
            row.creator_id = introduced[url]  # an earlier row of this file registers the post
        if all(getattr(row, name) is None for name in METRIC_FIELDS):
            report.errors.append(RowError(number, None, "no metric value in this row"))
        elif url not in known and row.creator_id is None:
            report.errors.append(RowError(number, "creator_id", "unknown post: give the creator_id to register it"))
        elif url not in known and row.creator_id is not None:
            try:
                await links.ensure_participant(campaign, row.creator_id)
            except InvalidInput as exc:
                report.errors.append(RowError(number, "creator_id", exc.message))
                continue
            introduced.setdefault(url, row.creator_id)
            valid.append((row, url))
        else:
            valid.append((row, url))
    if report.errors:
        return report
    for row, url in valid:
        post = known.get(url)
        if post is None:
            assert row.creator_id is not None
            post = await service.register(campaign.organization_id, campaign.id, row.creator_id, url,
                                          external_id=row.platform_post_id)
            known[url] = post
            report.posts_created += 1
        captured = row.captured_at or datetime.now(UTC)
        await service.record(post, Reading({name: getattr(row, name) for name in METRIC_FIELDS},
                                           captured if captured.tzinfo else captured.replace(tzinfo=UTC)),
                             source="import", entered_by_id=entered_by_id)
        report.imported += 1
    return report
