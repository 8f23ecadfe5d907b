"""Declaring an actor from its job spec (`store/jobs`): `@job_actor(AGENTS_RUN)` gives the Dramatiq actor the
spec's name, queue and retry policy, and hands the handler the payload parsed into the spec's model. A payload
that does not parse fails the message at once (`InvalidPayload` is in `throws`: retrying cannot fix it).

    @job_actor(AGENTS_RUN)
    async def run(job: AgentRun) -> None: ...

`actor.perform(**kwargs)` is the same parse-and-handle step returning the handler's outcome (the runner Dramatiq
calls drops it, as there is no results backend); the test job pump calls it on the actor's own event loop.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import dramatiq
from pydantic import BaseModel, ValidationError

from core.settings import get_settings
from store.jobs import JobSpec
from workers import broker as _broker  # noqa: F401  (installs the broker before actors are declared)

P = TypeVar("P", bound=BaseModel)


class InvalidPayload(ValueError):
    """A message whose kwargs do not parse into its job's payload model."""


def parse_payload(spec: JobSpec[P], kwargs: dict[str, Any]) -> P:
    try:
        return spec.parse(kwargs)
    except ValidationError as exc:
        raise InvalidPayload(f"job {spec.name!r}: invalid payload: {exc}") from exc


def job_actor(spec: JobSpec[P]) -> Callable[[Callable[[P], Any]], dramatiq.Actor[..., None]]:
    def declare(handler: Callable[[P], Any]) -> dramatiq.Actor[..., None]:
        runner: Callable[..., Any]
        if inspect.iscoroutinefunction(handler):
            async def perform_async(**kwargs: Any) -> Any:
                return await handler(parse_payload(spec, kwargs))

            async def run_async(**kwargs: Any) -> None:
                await perform_async(**kwargs)  # the handler's outcome is logged by it, not kept by Dramatiq

            perform: Callable[..., Any] = perform_async
            runner = run_async
        else:
            def perform_sync(**kwargs: Any) -> Any:
                return handler(parse_payload(spec, kwargs))

            def run_sync(**kwargs: Any) -> None:
                perform_sync(**kwargs)

            perform, runner = perform_sync, run_sync
        # Named after the handler: Dramatiq logs under fn.__module__.
        runner.__module__, runner.__name__, runner.__qualname__ = (handler.__module__, handler.__name__,
                                                                   handler.__qualname__)
        runner.__doc__ = handler.__doc__
        actor: dramatiq.Actor[..., None] = dramatiq.actor(
            actor_name=spec.name, queue_name=spec.queue.value, priority=spec.priority, throws=(InvalidPayload,),
            **spec.actor_options(get_settings()))(runner)
        actor.spec = spec  # type: ignore[attr-defined]
        actor.perform = perform  # type: ignore[attr-defined]  # parse + handler, returning the outcome (test pump)
        return actor
    return declare


def send_job(spec: JobSpec[P], payload: P) -> dramatiq.Message[Any]:
    """Put a job straight onto the broker (the scheduler's ticks: not a decision, so no outbox row)."""
    return dramatiq.get_broker().get_actor(spec.name).send_with_options(kwargs=spec.dump(payload))
