"""JSON responses for data the server itself stored and shaped, serialized once by orjson.

A hot endpoint that returns its pydantic `response_model` pays twice per item: building the models validates
every field, and FastAPI validates the result again before serializing (~1 ms for a page of 50 approvals; orjson
writes the same page in ~0.06 ms). Endpoints whose items come straight from our own rows may build plain dicts
shaped exactly like their response model and return `trusted_json(...)`; they keep `response_model=` for the
OpenAPI schema, and a test compares their output with the model's (`tests/test_approvals_fast_json.py`).
Never for request data or anything not shaped by our code.

orjson writes what pydantic writes for these types: UUIDs and str-enums as strings, UTC datetimes in ISO 8601
with a `Z` (`OPT_UTC_Z`), microseconds only when non-zero.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import orjson
from fastapi import Response
from fastapi.encoders import jsonable_encoder


def _uuid_subclass(value: Any) -> str:
    """asyncpg hands out its own `uuid.UUID` subclass, which orjson does not take as a UUID."""
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def trusted_json(content: Any, status_code: int = 200) -> Response:
    try:
        body = orjson.dumps(content, default=_uuid_subclass, option=orjson.OPT_UTC_Z)
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits inside stored JSON: FastAPI's encoder takes it
        body = json.dumps(jsonable_encoder(content), ensure_ascii=False, separators=(",", ":")).encode()
    return Response(body, status_code=status_code, media_type="application/json")
