"""`negotiation.turn` (payload `{"run_id", "turn"}`, outbox key `turn:<run>:<turn id>`): one negotiation turn
on the conversation's thread (`agents/negotiation/runner.py`), queued by an inbound reply or a due follow-up.
Idempotent: a turn id the thread has already started does nothing, so redeliveries and retries are safe."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from agents.negotiation.runner import run_turn
from store.jobs import NEGOTIATION_TURN, NegotiationTurn
from workers.jobs import job_actor

log = logging.getLogger(__name__)


async def negotiation_turn(run_id: str, turn: dict[str, Any]) -> str:
    outcome = await run_turn(uuid.UUID(run_id), turn)
    log.info("negotiation run %s, turn %s: %s", run_id, turn.get("id"), outcome)
    return outcome


@job_actor(NEGOTIATION_TURN)
async def turn(job: NegotiationTurn) -> str:
    return await negotiation_turn(str(job.run_id), job.turn.model_dump(mode="json", exclude_none=True))
