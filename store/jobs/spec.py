"""What a job is: its name (the Dramatiq actor name, `domain.verb`), the Pydantic model of its payload, the queue
it runs on and its retry policy. Payloads are checked when the outbox row is written (`dump`) and again when the
actor (or the relay) reads it (`parse`): ids, never objects."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from core.settings import Settings

P = TypeVar("P", bound=BaseModel)


class Queue(enum.StrEnum):
    """Interactive work someone waits for (agent turns, sends, inbound replies, notifications) never queues
    behind bulk work (embeddings, sweeps): a worker consumes both, and a deployment can scale them apart."""

    interactive = "interactive"
    bulk = "bulk"


QUEUE_PRIORITY = {Queue.interactive: 0, Queue.bulk: 100}


@dataclass(frozen=True)
class JobSpec(Generic[P]):
    name: str
    payload: type[P]
    queue: Queue
    max_retries: int
    time_limit: timedelta | Callable[[Settings], timedelta]  # a callable when a setting decides it
    min_backoff: timedelta = timedelta(seconds=1)
    max_backoff: timedelta = timedelta(minutes=1)
    max_age: timedelta | None = None  # an older message is dropped (e.g. a sweep superseded by the next one)
    every: Callable[[Settings], float] | None = None  # seconds between runs, for jobs the scheduler enqueues

    def dump(self, payload: P) -> dict[str, Any]:
        """The JSON payload stored in the outbox row; refuses a payload of another job."""
        if not isinstance(payload, self.payload):
            raise TypeError(f"job {self.name!r} takes {self.payload.__name__}, not {type(payload).__name__}")
        return payload.model_dump(mode="json", exclude_none=True)

    def parse(self, data: dict[str, Any]) -> P:
        """The typed payload of a stored row or a broker message; raises `pydantic.ValidationError`."""
        return self.payload.model_validate(data)

    @property
    def priority(self) -> int:
        """Dramatiq's in-process priority (lower runs first): a worker holding prefetched bulk messages still
        hands the next free thread to an interactive one."""
        return QUEUE_PRIORITY[self.queue]

    def actor_options(self, settings: Settings) -> dict[str, Any]:
        """Dramatiq actor options (milliseconds), from this policy."""
        time_limit = self.time_limit(settings) if callable(self.time_limit) else self.time_limit
        options: dict[str, Any] = {
            "max_retries": self.max_retries, "time_limit": _ms(time_limit),
            "min_backoff": _ms(self.min_backoff), "max_backoff": _ms(self.max_backoff)}
        if self.max_age is not None:
            options["max_age"] = _ms(self.max_age)
        return options


def _ms(value: timedelta) -> int:
    return int(value.total_seconds() * 1000)
