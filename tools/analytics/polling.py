"""Polling post metrics (filled in with the platform clients)."""

from __future__ import annotations

import uuid


async def poll_due(limit: int = 200) -> int:
    return 0


async def poll_one(post_id: uuid.UUID) -> str:
    return "nothing to do"
