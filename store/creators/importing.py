"""Reading agency creator lists (CSV or JSON) into validated profiles, with a report per row.

Accepted shapes: CSV with a header row (comma, semicolon or tab separated; UTF-8, BOM tolerated), or JSON — a list
of objects or {"creators": [...]}. Columns/keys are matched loosely ("Full Name", "full-name" → display_name;
"IG", "instagram" → instagram_handle; "YouTube Subscribers" → youtube_followers; "rate_instagram_reel" or
"instagram_reel_rate" → rates). JSON objects may also carry nested `audience` and `rates`. Rows are numbered from 1
(the first record; for CSV, line = row + 1).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from store.creators.profile import PLATFORMS
from store.creators.validation import CreatorProfileData

_ALIASES = {
    "name": "display_name", "full_name": "display_name", "creator": "display_name", "creator_name": "display_name",
    "niche": "categories", "niches": "categories", "category": "categories", "tags": "categories",
    "language": "languages", "lang": "languages", "country_code": "country", "location": "city",
    "phone": "whatsapp_phone", "whatsapp": "whatsapp_phone", "whatsapp_number": "whatsapp_phone",
    "mobile": "whatsapp_phone", "e_mail": "email", "email_address": "email",
    "email_consent": "email_opt_in", "whatsapp_consent": "whatsapp_opt_in", "description": "bio", "about": "bio",
}
_PLATFORM_ALIASES = {"ig": "instagram", "insta": "instagram", "yt": "youtube", "tt": "tiktok", "x": "twitter"}
_METRICS = {"handle": "handle", "username": "handle", "followers": "followers", "subscribers": "followers",
            "avg_views": "avg_views", "average_views": "avg_views", "views": "avg_views",
            "engagement_rate": "engagement_rate", "engagement": "engagement_rate", "er": "engagement_rate"}
_TOP_LEVEL = set(CreatorProfileData.model_fields)


class ImportFileError(ValueError):
    """The file cannot be read at all (not a row problem)."""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str | None
    message: str


@dataclass
class ParsedRows:
    valid: list[tuple[int, CreatorProfileData]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def read_records(path: Path) -> list[dict[str, Any]]:
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"cannot read {path}: {exc}") from exc
    if path.suffix.lower() == ".json" or content.lstrip()[:1] in ("[", "{"):
        try:
            document = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{path.name} is not valid JSON: {exc}") from exc
        records = document.get("creators") if isinstance(document, dict) else document
        if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
            raise ImportFileError("JSON must be a list of creator objects or {\"creators\": [...]}")
        return records
    try:
        dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.DictReader(io.StringIO(content), dialect=dialect)
    if not reader.fieldnames:
        raise ImportFileError(f"{path.name} has no header row")
    return [dict(row) for row in reader]


def normalise_record(record: dict[str, Any]) -> dict[str, Any]:
    """Flat spreadsheet columns → the nested shape `CreatorProfileData` validates. Unknown columns are kept so
    validation names them."""
    result: dict[str, Any] = {}
    audience: dict[str, dict[str, Any]] = {}
    rates: dict[str, Any] = {}
    for raw_key, value in record.items():
        if raw_key is None:  # a CSV row with more cells than headers
            result["_extra_cells"] = value
            continue
        key = _key(raw_key)
        key = _ALIASES.get(key, key)
        if key == "audience" and isinstance(value, dict):
            for name, stats in value.items():
                platform = _PLATFORM_ALIASES.get(str(name), str(name))
                audience.setdefault(platform, {}).update(stats or {})
            continue
        if key == "rates" and isinstance(value, dict):
            rates.update(value)
            continue
        if key in _TOP_LEVEL:
            result[key] = value
            continue
        platform, _, metric = key.partition("_")
        platform = _PLATFORM_ALIASES.get(platform, platform)
        if platform in PLATFORMS and (metric in _METRICS or metric == ""):
            audience.setdefault(platform, {})[_METRICS.get(metric, "handle")] = value
            continue
        rate = re.fullmatch(r"rate_(.+)|(.+)_rate", key)
        if rate:
            if value not in (None, ""):
                rates[rate.group(1) or rate.group(2)] = value
            continue
        result[key] = value
    if audience:
        result["audience"] = audience
    if rates:
        result["rates"] = rates
    return result


def validate_records(records: list[dict[str, Any]]) -> ParsedRows:
    parsed = ParsedRows(total=len(records))
    for number, record in enumerate(records, start=1):
        try:
            parsed.valid.append((number, CreatorProfileData.model_validate(normalise_record(record))))
        except ValidationError as exc:
            for error in exc.errors():
                location = ".".join(str(part) for part in error["loc"]) or None
                message = error["msg"].removeprefix("Value error, ")
                if error["type"] == "extra_forbidden":
                    message = "unknown column"
                parsed.errors.append(RowError(number, location, message))
    return parsed
