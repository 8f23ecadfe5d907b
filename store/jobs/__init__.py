"""Typed jobs: one registry of job specs (name, payload model, queue, retry policy), shared by whoever writes an
outbox row (`OutboxRepository.enqueue(spec, payload, key)`) and by the Dramatiq actor that runs it
(`workers.jobs.job_actor(spec)`). A job name is spelled once, in `registry.py`."""

from store.jobs.payloads import (
    AgentResume,
    AgentRun,
    ContractGenerate,
    CreatorsEmbed,
    DraftEditEmbed,
    EmailConfirmation,
    EmailNotification,
    InboundProcess,
    InvoiceNotify,
    NegotiationTurn,
    NoPayload,
    Ping,
    PollPost,
    SendMessage,
    TurnRequest,
)
from store.jobs.registry import (
    AGENTS_RECOVER,
    AGENTS_RESUME,
    AGENTS_RUN,
    AGENTS_SWEEP,
    ANALYTICS_FLUSH_CLICKS,
    ANALYTICS_POLL_POST,
    ANALYTICS_REFRESH_ROLLUPS,
    ANALYTICS_SWEEP,
    APPROVALS_SWEEP,
    CONTRACTS_GENERATE,
    CONTRACTS_SWEEP,
    CREATORS_CONFIRM_EMAIL,
    CREATORS_EMBED,
    DRAFT_EDITS_EMBED,
    INBOUND_PROCESS,
    JOBS,
    MESSAGES_SEND_EMAIL,
    MESSAGES_SEND_WHATSAPP,
    MESSAGES_SWEEP,
    NEGOTIATION_TURN,
    NOTIFICATIONS_EMAIL,
    PAYMENTS_NOTIFY_MANAGER,
    SYSTEM_PING,
    UnknownJob,
    job_spec,
    periodic_jobs,
    send_message_job,
)
from store.jobs.spec import JobSpec, Queue

__all__ = [
    "AGENTS_RECOVER", "AGENTS_RESUME", "AGENTS_RUN", "AGENTS_SWEEP",
    "ANALYTICS_FLUSH_CLICKS", "ANALYTICS_POLL_POST", "ANALYTICS_REFRESH_ROLLUPS",
    "ANALYTICS_SWEEP", "PollPost", "APPROVALS_SWEEP", "CONTRACTS_GENERATE", "CONTRACTS_SWEEP", "CREATORS_EMBED",
    "DRAFT_EDITS_EMBED", "DraftEditEmbed",
    "CREATORS_CONFIRM_EMAIL", "EmailConfirmation",
    "INBOUND_PROCESS", "JOBS", "MESSAGES_SEND_EMAIL", "MESSAGES_SEND_WHATSAPP", "MESSAGES_SWEEP", "NEGOTIATION_TURN",
    "NOTIFICATIONS_EMAIL", "PAYMENTS_NOTIFY_MANAGER", "SYSTEM_PING", "AgentResume", "AgentRun",
    "ContractGenerate", "CreatorsEmbed", "InboundProcess", "InvoiceNotify", "JobSpec", "NegotiationTurn",
    "NoPayload", "EmailNotification", "Ping", "Queue", "SendMessage", "TurnRequest", "UnknownJob",
    "job_spec", "periodic_jobs", "send_message_job",
]
