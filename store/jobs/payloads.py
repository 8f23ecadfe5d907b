"""The payload of each job: ids, never objects. Strict (unknown fields are refused) and frozen, so a row written
by one release and read by another fails loudly instead of running with half its arguments."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class JobPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoPayload(JobPayload):
    """Periodic sweeps: they find their own work."""


class PollPost(JobPayload):
    post_id: uuid.UUID


class Ping(JobPayload):
    marker: str


class AgentRun(JobPayload):
    run_id: uuid.UUID


class AgentResume(JobPayload):
    run_id: uuid.UUID
    approval_id: uuid.UUID


class TurnRequest(JobPayload):
    """One negotiation turn: a creator's reply (`message_id` is the stored inbound message) or a due follow-up
    (`number` counts the follow-ups sent before it). `id` is unique per turn: the thread runs each id once."""

    kind: Literal["reply", "follow_up"]
    id: str
    message_id: str | None = None
    auto_reply: bool | None = None
    number: int | None = None


class NegotiationTurn(JobPayload):
    run_id: uuid.UUID
    turn: TurnRequest


class SendMessage(JobPayload):
    message_id: uuid.UUID


class SendMessages(JobPayload):
    """Several `SendMessage` rows the relay dispatched as one job (`store/jobs/coalesce.py`): each message is still
    claimed, sent and recorded on its own terms; the batch shares the round trips."""

    message_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)


class InboundProcess(JobPayload):
    event_id: uuid.UUID


class EmailNotification(JobPayload):
    notification_id: uuid.UUID


class ContractGenerate(JobPayload):
    negotiation_id: uuid.UUID


class InvoiceNotify(JobPayload):
    invoice_id: uuid.UUID


class CreatorsEmbed(JobPayload):
    creator_ids: list[uuid.UUID] = Field(min_length=1)


class DraftEditEmbed(JobPayload):
    draft_edit_id: uuid.UUID


class EmailConfirmation(JobPayload):
    """Mail the confirmation link of a creator's pending email; `token_hash` names which request (a newer one
    supersedes it, and the job then sends nothing)."""

    creator_id: uuid.UUID
    token_hash: str
