"""`negotiation.turn` (payload `{"run_id", "turn"}`, outbox key `turn:<run>:<turn id>`): one negotiation turn
on the conversation's thread (`agents/negotiation/runner.py`), queued by an inbound reply or a due follow-up.
Idempotent: a turn id the thread has already started does nothing, so redeliveries and retries are safe."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import dramatiq

from agents.negotiation.runner import run_turn
from core.settings import get_settings
from workers import broker as _broker  # noqa: F401  (installs the broker)

log = logging.getLogger(__name__)


async def negotiation_turn(run_id: str, turn: dict[str, Any]) -> str:
    outcome = await run_turn(uuid.UUID(run_id), turn)
    log.info("negotiation run %s, turn %s: %s", run_id, turn.get("id"), outcome)
    return outcome


turn = dramatiq.actor(actor_name="negotiation.turn", max_retries=5, min_backoff=1_000, max_backoff=60_000,
                      time_limit=get_settings().AGENT_RUN_TIME_LIMIT_SECONDS * 1000)(negotiation_turn)
