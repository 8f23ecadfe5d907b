"""What a suite is: run one case through the task functions, score a list of results."""

from __future__ import annotations

import datetime as dt
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from langchain_core.language_models import BaseChatModel

from agents.llm.factory import OFFLINE_LABEL
from agents.tasks.types import Produced
from evals.cases import Case, CaseResult

T = TypeVar("T")
DEFAULT_TODAY = dt.date(2025, 3, 1)  # cases without a `today` field resolve relative dates against this


@dataclass(frozen=True)
class RunContext:
    model: BaseChatModel | None = None  # None: the offline provider
    judge: BaseChatModel | None = None  # LLM judge for drafts (only with a model)
    prompt_version: str | None = None  # None: each prompt's newest version


@dataclass
class Timed:
    produced: list[Produced[Any]]
    latency_ms: float = 0.0

    def tokens(self) -> tuple[int | None, int | None]:
        inputs = [p.input_tokens for p in self.produced if p.input_tokens is not None]
        outputs = [p.output_tokens for p in self.produced if p.output_tokens is not None]
        return (sum(inputs) if inputs else None, sum(outputs) if outputs else None)

    def model(self) -> str:
        return ", ".join(dict.fromkeys(p.model for p in self.produced)) or OFFLINE_LABEL

    def fell_back(self, ctx: RunContext) -> bool:
        return ctx.model is not None and any(p.model == OFFLINE_LABEL and any("failed" in n or "rejected" in n
                                                                               for n in p.notes)
                                             for p in self.produced)


class Suite(ABC):
    name: ClassVar[str]
    headline: ClassVar[tuple[str, ...]]  # metrics gated against the baseline (higher is better)

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx

    @abstractmethod
    async def run_case(self, case: Case) -> CaseResult: ...

    @abstractmethod
    def metrics(self, results: list[CaseResult]) -> dict[str, Any]: ...

    @staticmethod
    def today(case: Case) -> dt.date:
        return dt.date.fromisoformat(case.data["today"]) if case.data.get("today") else DEFAULT_TODAY

    async def timed(self, *calls: Awaitable[Produced[Any]]) -> Timed:
        """Await the task calls in order, timing them together."""
        started = time.perf_counter()
        produced = [await call for call in calls]
        return Timed(produced, (time.perf_counter() - started) * 1000)

    def result(self, case: Case, timed: Timed, predicted: dict[str, Any], correct: bool,
               **details: Any) -> CaseResult:
        input_tokens, output_tokens = timed.tokens()
        if timed.fell_back(self.ctx):
            details["fallback"] = True
        return CaseResult(id=case.id, split=case.split, expected=case.expected, predicted=predicted, correct=correct,
                          latency_ms=timed.latency_ms, input_tokens=input_tokens, output_tokens=output_tokens,
                          model=timed.model(), details={k: v for k, v in details.items() if v})
