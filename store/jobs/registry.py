"""Every job the system runs, declared once. The name is the Dramatiq actor name (kept stable: rows already in
an outbox must still dispatch). `tests/test_jobs_registry.py` proves each spec has an actor and each actor a
spec; the relay refuses rows whose name is not here (`workers/outbox_relay.py`).

Queues: `interactive` for what a person waits on (agent runs and resumes, negotiation turns, sends, inbound
processing, notifications); `bulk` for embeddings and the periodic sweeps (`every`: enqueued by the scheduler,
`workers/scheduler.py`, at the interval the setting gives)."""

from __future__ import annotations

from datetime import timedelta

from core.settings import Settings
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
    SendMessages,
)
from store.jobs.spec import JobSpec, Queue


def _agent_time_limit(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.AGENT_RUN_TIME_LIMIT_SECONDS)


_SWEEP_MAX_AGE = timedelta(minutes=5)  # a sweep that waited longer is superseded by the next tick

# ------------------------------------------------------------------ agents
AGENTS_RUN = JobSpec("agents.run", AgentRun, Queue.interactive, max_retries=5, time_limit=_agent_time_limit)
AGENTS_RESUME = JobSpec("agents.resume", AgentResume, Queue.interactive, max_retries=5,
                        time_limit=_agent_time_limit)
NEGOTIATION_TURN = JobSpec("negotiation.turn", NegotiationTurn, Queue.interactive, max_retries=5,
                           time_limit=_agent_time_limit)
AGENTS_RECOVER = JobSpec("agents.recover", AgentRun, Queue.interactive, max_retries=3,
                         time_limit=_agent_time_limit)  # continue a run whose step died (agents.sweep)
CONTRACTS_GENERATE = JobSpec("contracts.generate", ContractGenerate, Queue.interactive, max_retries=5,
                             time_limit=timedelta(minutes=1))

# ------------------------------------------------------------------ sending and receiving
def _send_time_limit(settings: Settings) -> timedelta:
    """Below the send lease: an attempt still running when the sweeper may re-drive its claim is stopped first."""
    lease = settings.MESSAGE_SEND_LEASE_SECONDS
    return timedelta(seconds=max(lease - 10, lease * 0.75))


_SEND = {"max_retries": 10, "min_backoff": timedelta(seconds=5), "max_backoff": timedelta(minutes=5),
         "max_age": timedelta(hours=1), "time_limit": _send_time_limit}
MESSAGES_SEND_EMAIL = JobSpec("messages.send_email", SendMessage, Queue.interactive, **_SEND)  # type: ignore[arg-type]
MESSAGES_SEND_WHATSAPP = JobSpec("messages.send_whatsapp", SendMessage, Queue.interactive, **_SEND)  # type: ignore[arg-type]
# pending `messages.send_email` rows the relay dispatches together (store/jobs/coalesce.py); never written to the outbox
MESSAGES_SEND_EMAILS = JobSpec("messages.send_emails", SendMessages, Queue.interactive, **_SEND)  # type: ignore[arg-type]
INBOUND_PROCESS = JobSpec("inbound.process", InboundProcess, Queue.interactive, max_retries=8,
                          min_backoff=timedelta(seconds=2), max_backoff=timedelta(minutes=2),
                          time_limit=timedelta(minutes=1))
NOTIFICATIONS_EMAIL = JobSpec("notifications.email", EmailNotification, Queue.interactive, max_retries=8,
                              min_backoff=timedelta(seconds=5), max_backoff=timedelta(minutes=5),
                              time_limit=timedelta(minutes=1))
PAYMENTS_NOTIFY_MANAGER = JobSpec("payments.notify_manager", InvoiceNotify, Queue.interactive, max_retries=8,
                                  min_backoff=timedelta(seconds=5), max_backoff=timedelta(minutes=5),
                                  time_limit=timedelta(minutes=1))
CREATORS_CONFIRM_EMAIL = JobSpec("creators.confirm_email", EmailConfirmation, Queue.interactive, max_retries=8,
                                 min_backoff=timedelta(seconds=5), max_backoff=timedelta(minutes=5),
                                 max_age=timedelta(hours=1), time_limit=timedelta(minutes=1))
SYSTEM_PING = JobSpec("system.ping", Ping, Queue.interactive, max_retries=0, time_limit=timedelta(seconds=10))

# ------------------------------------------------------------------ bulk
CREATORS_EMBED = JobSpec("creators.embed", CreatorsEmbed, Queue.bulk, max_retries=5,
                         min_backoff=timedelta(seconds=2), max_backoff=timedelta(minutes=2),
                         time_limit=timedelta(minutes=15))
# a manager's edit of a draft, embedded so the next drafts can retrieve the nearest examples (`store/drafts`)
DRAFT_EDITS_EMBED = JobSpec("drafts.embed_edit", DraftEditEmbed, Queue.bulk, max_retries=5,
                            min_backoff=timedelta(seconds=2), max_backoff=timedelta(minutes=2),
                            time_limit=timedelta(minutes=2))
APPROVALS_SWEEP = JobSpec("approvals.sweep", NoPayload, Queue.bulk, max_retries=0, time_limit=timedelta(minutes=1),
                          max_age=_SWEEP_MAX_AGE, every=lambda s: s.APPROVAL_SWEEP_INTERVAL_SECONDS)
MESSAGES_SWEEP = JobSpec("messages.sweep", NoPayload, Queue.bulk, max_retries=0, time_limit=timedelta(minutes=2),
                         max_age=_SWEEP_MAX_AGE, every=lambda s: s.MESSAGE_SWEEP_INTERVAL_SECONDS)
AGENTS_SWEEP = JobSpec("agents.sweep", NoPayload, Queue.bulk, max_retries=0, time_limit=timedelta(minutes=1),
                       max_age=_SWEEP_MAX_AGE, every=lambda s: s.AGENT_RUN_SWEEP_INTERVAL_SECONDS)
CONTRACTS_SWEEP = JobSpec("contracts.sweep", NoPayload, Queue.bulk, max_retries=0, time_limit=timedelta(minutes=1),
                          max_age=_SWEEP_MAX_AGE, every=lambda s: s.CONTRACT_SWEEP_INTERVAL_SECONDS)

# ------------------------------------------------------------------ analytics (all bulk: never ahead of a reply)
ANALYTICS_FLUSH_CLICKS = JobSpec("analytics.flush_clicks", NoPayload, Queue.bulk, max_retries=3,
                                 time_limit=timedelta(minutes=5))
ANALYTICS_REFRESH_ROLLUPS = JobSpec("analytics.refresh_rollups", NoPayload, Queue.bulk, max_retries=3,
                                    time_limit=timedelta(minutes=5))
ANALYTICS_POLL_POST = JobSpec("analytics.poll_post", PollPost, Queue.bulk, max_retries=5,
                              min_backoff=timedelta(seconds=10), max_backoff=timedelta(minutes=10),
                              time_limit=timedelta(minutes=1))
ANALYTICS_SWEEP = JobSpec("analytics.sweep", NoPayload, Queue.bulk, max_retries=0, time_limit=timedelta(minutes=10),
                          max_age=_SWEEP_MAX_AGE, every=lambda s: s.ANALYTICS_SWEEP_INTERVAL_SECONDS)

JOBS: dict[str, JobSpec] = {spec.name: spec for spec in (  # type: ignore[type-arg]
    AGENTS_RUN, AGENTS_RESUME, AGENTS_RECOVER, AGENTS_SWEEP,
    NEGOTIATION_TURN, CONTRACTS_GENERATE, MESSAGES_SEND_EMAIL, MESSAGES_SEND_EMAILS, MESSAGES_SEND_WHATSAPP,
    INBOUND_PROCESS, NOTIFICATIONS_EMAIL, PAYMENTS_NOTIFY_MANAGER, SYSTEM_PING, CREATORS_EMBED, DRAFT_EDITS_EMBED,
    CREATORS_CONFIRM_EMAIL,
    APPROVALS_SWEEP, MESSAGES_SWEEP, CONTRACTS_SWEEP, ANALYTICS_FLUSH_CLICKS, ANALYTICS_REFRESH_ROLLUPS,
    ANALYTICS_POLL_POST, ANALYTICS_SWEEP)}


class UnknownJob(LookupError):
    """A job name no spec declares (a typo, or a row written by another release)."""


def job_spec(name: str) -> JobSpec:  # type: ignore[type-arg]
    try:
        return JOBS[name]
    except KeyError:
        raise UnknownJob(f"unknown job {name!r}") from None


def send_message_job(channel: str) -> JobSpec[SendMessage]:
    """The send job for a message's channel (`email` / `whatsapp`)."""
    return {"email": MESSAGES_SEND_EMAIL, "whatsapp": MESSAGES_SEND_WHATSAPP}[str(channel)]


def periodic_jobs() -> list[JobSpec]:  # type: ignore[type-arg]
    """The jobs the scheduler enqueues, each every `spec.every(settings)` seconds."""
    return [spec for spec in JOBS.values() if spec.every is not None]
