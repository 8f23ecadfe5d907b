"""The job registry (`store/jobs/registry.py`) and the actors (`workers/`) describe the same jobs: every spec has
a declared actor, every declared actor a spec, each on the spec's queue with the spec's retry policy. Adding one
without the other fails here. Payloads are checked when written and when read."""

from __future__ import annotations

import uuid

import dramatiq
import pytest
from pydantic import ValidationError

from core.settings import get_settings
from store.jobs import (
    AGENTS_RESUME,
    AGENTS_RUN,
    JOBS,
    MESSAGES_SEND_EMAIL,
    AgentResume,
    AgentRun,
    NegotiationTurn,
    Queue,
    SendMessage,
    UnknownJob,
    job_spec,
    periodic_jobs,
    send_message_job,
)
from workers.jobs import InvalidPayload


def declared_actors() -> dict[str, dramatiq.Actor]:  # type: ignore[type-arg]
    import workers.actors  # noqa: F401  (what the worker process imports)

    broker = dramatiq.get_broker()
    return {name: broker.get_actor(name) for name in broker.get_declared_actors()}


def test_every_job_has_an_actor_and_every_actor_a_job() -> None:
    actors = declared_actors()
    assert sorted(set(JOBS) - set(actors)) == [], "job specs without an actor"
    assert sorted(set(actors) - set(JOBS)) == [], "actors without a job spec (declare them with @job_actor(spec))"


def test_each_actor_runs_on_its_specs_queue_with_its_retry_policy() -> None:
    settings = get_settings()
    for name, actor in declared_actors().items():
        spec = JOBS[name]
        assert actor.queue_name == spec.queue.value, name
        assert actor.priority == spec.priority, name  # interactive ahead of bulk inside a worker
        assert {key: actor.options[key] for key in spec.actor_options(settings)} == spec.actor_options(settings), name
        assert InvalidPayload in actor.options["throws"], name  # a payload that does not parse is never retried


def test_queues_split_interactive_from_bulk_work() -> None:
    bulk = sorted(name for name, spec in JOBS.items() if spec.queue == Queue.bulk)
    assert bulk == ["agents.sweep", "analytics.flush_clicks", "analytics.poll_post", "analytics.refresh_rollups",
                    "analytics.sweep", "approvals.sweep", "contracts.sweep", "creators.embed", "drafts.embed_edit",
                    "messages.sweep"]
    assert sorted(spec.name for spec in periodic_jobs()) == ["agents.sweep", "analytics.sweep", "approvals.sweep",
                                                             "contracts.sweep", "messages.sweep"]
    settings = get_settings()
    for spec in periodic_jobs():
        assert spec.every is not None and spec.every(settings) > 0
        spec.payload()  # the scheduler enqueues periodic jobs without arguments


def test_unknown_names_are_an_error() -> None:
    assert job_spec("agents.run") is AGENTS_RUN
    with pytest.raises(UnknownJob, match="agents.runn"):
        job_spec("agents.runn")
    assert send_message_job("email") is MESSAGES_SEND_EMAIL
    with pytest.raises(KeyError):
        send_message_job("fax")


def test_payloads_are_checked_when_written_and_when_read() -> None:
    run_id, approval_id = uuid.uuid4(), uuid.uuid4()
    stored = AGENTS_RESUME.dump(AgentResume(run_id=run_id, approval_id=approval_id))
    assert stored == {"run_id": str(run_id), "approval_id": str(approval_id)}  # JSON: ids as strings
    assert AGENTS_RESUME.parse(stored) == AgentResume(run_id=run_id, approval_id=approval_id)
    with pytest.raises(TypeError, match="takes AgentRun"):
        AGENTS_RUN.dump(SendMessage(message_id=run_id))  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        AGENTS_RUN.parse({"run_id": "not-a-uuid"})
    with pytest.raises(ValidationError):
        AGENTS_RUN.parse({"run_id": str(run_id), "extra": 1})  # strict: another release's field fails loudly
    with pytest.raises(ValidationError):
        NegotiationTurn(run_id=run_id, turn={"kind": "smalltalk", "id": "x"})  # type: ignore[arg-type]
    assert AgentRun(run_id=run_id).model_dump(mode="json") == {"run_id": str(run_id)}


def test_an_actor_refuses_a_payload_that_does_not_parse() -> None:
    ping = declared_actors()["system.ping"]
    assert ping.fn(marker="hello") is None  # as a worker calls it (the outcome is not kept without a backend)
    with pytest.raises(InvalidPayload, match="system.ping"):
        ping.fn(mark="hello")  # fails before any work; `throws` keeps Retries from retrying it
    with pytest.raises(InvalidPayload, match="agents.run"):
        declared_actors()["agents.run"].perform(run_id="not-a-uuid").send(None)  # type: ignore[attr-defined]
