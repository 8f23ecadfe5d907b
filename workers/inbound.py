"""`inbound.process` (payload `InboundProcess`, outbox key `inbound:<id>`): one stored inbound event through the
inbound service (`store/inbound/service.py`: a reply reaches its conversation and starts a negotiation turn, or
blocks the creator; a WhatsApp delivery report advances our message). Retries while a delivery report is
waiting for its send to record the wamid (`StatusBeforeSend`)."""

from __future__ import annotations

import logging
import uuid

from store.db import unit_of_work
from store.inbound.service import InboundService
from store.jobs import INBOUND_PROCESS, InboundProcess
from workers.jobs import job_actor

log = logging.getLogger(__name__)


async def process_inbound_event(event_id: str) -> str:
    async with unit_of_work() as session:
        outcome = await InboundService(session).process(uuid.UUID(event_id))
    log.info("inbound event %s: %s", event_id, outcome)
    return outcome


@job_actor(INBOUND_PROCESS)
async def process(job: InboundProcess) -> str:
    return await process_inbound_event(str(job.event_id))
