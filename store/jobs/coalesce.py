"""Several pending outbox rows dispatched as one job: the relay (`workers/outbox_relay.py`) finds approved emails
pending together after a bulk decision, and one `messages.send_emails` job claims, sends and records a batch of
them in a handful of round trips instead of a handful per email (each message keeps its own claim, so a row
dispatched twice, or alone by the sweeper, still sends once). Only email: WhatsApp sends wait on the rate limiter
one by one anyway. Rows stay the unit of the outbox: each is marked dispatched (or failed) on its own."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from store.jobs.payloads import SendMessages
from store.jobs.registry import MESSAGES_SEND_EMAIL, MESSAGES_SEND_EMAILS


@dataclass(frozen=True)
class PendingRow:
    id: uuid.UUID
    job: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Dispatch:
    """One broker message and the outbox rows it carries."""

    job: str
    payload: dict[str, Any]
    row_ids: list[uuid.UUID]


def coalesce(rows: Sequence[PendingRow], batch_size: int) -> list[Dispatch]:
    """Rows in order, except that email sends (when there are several) go as batches of up to `batch_size`."""
    emails = [row for row in rows if row.job == MESSAGES_SEND_EMAIL.name]
    if batch_size < 2 or len(emails) < 2:
        return [Dispatch(row.job, row.payload, [row.id]) for row in rows]
    dispatches = [Dispatch(row.job, row.payload, [row.id]) for row in rows if row.job != MESSAGES_SEND_EMAIL.name]
    for start in range(0, len(emails), batch_size):
        chunk = emails[start:start + batch_size]
        if len(chunk) == 1:
            dispatches.append(Dispatch(chunk[0].job, chunk[0].payload, [chunk[0].id]))
            continue
        ids = [MESSAGES_SEND_EMAIL.parse(row.payload).message_id for row in chunk]
        dispatches.append(Dispatch(MESSAGES_SEND_EMAILS.name, MESSAGES_SEND_EMAILS.dump(SendMessages(message_ids=ids)),
                                   [row.id for row in chunk]))
    return dispatches
