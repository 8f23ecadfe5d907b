"""`inbound.process` (payload `{"event_id"}`, outbox key `inbound:<id>`): one stored inbound event through the
inbound service (`store/inbound/service.py`: a reply reaches its conversation and starts a negotiation turn, or
blocks the creator; a WhatsApp delivery report advances our message). Retries while a delivery report is
waiting for its send to record the wamid (`StatusBeforeSend`)."""

from __future__ import annotations

import logging
import uuid

import dramatiq

from store.db import unit_of_work
from store.inbound.service import InboundService
from workers import broker as _broker  # noqa: F401

log = logging.getLogger(__name__)


async def process_inbound_event(event_id: str) -> str:
    async with unit_of_work() as session:
        outcome = await InboundService(session).process(uuid.UUID(event_id))
    log.info("inbound event %s: %s", event_id, outcome)
    return outcome


@dramatiq.actor(actor_name="inbound.process", max_retries=8, min_backoff=2_000, max_backoff=120_000,
                time_limit=60_000)
async def process(event_id: str) -> None:
    await process_inbound_event(event_id)
