"""Structured model calls: function calling (not `response_format: json_schema`, which llama.cpp rejects), with
the token usage the provider reports, and one error type for "the model gave nothing usable"."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from pydantic import BaseModel

from core.settings import get_settings

S = TypeVar("S", bound=BaseModel)
T = TypeVar("T")


class ModelOutputError(RuntimeError):
    """The model answered without a valid tool call for the requested schema."""


class ModelTimeout(ModelOutputError):
    """The model did not answer within `LLM_CALL_BUDGET_SECONDS` (retries included)."""


async def bounded(call: Awaitable[T], budget: float | None = None) -> T:
    """`call` within the total time budget of one model call: past it, `ModelTimeout` (callers fall back to
    rules). The client's own per-attempt timeout and retries stay inside this bound."""
    seconds = budget or get_settings().LLM_CALL_BUDGET_SECONDS
    try:
        return await asyncio.wait_for(call, seconds)
    except TimeoutError as error:
        raise ModelTimeout(f"no answer within {seconds:g} s") from error


@dataclass(frozen=True)
class ModelAnswer(Generic[S]):
    value: S
    input_tokens: int | None = None
    output_tokens: int | None = None


def _usage(raw: Any) -> tuple[int | None, int | None]:
    usage = getattr(raw, "usage_metadata", None) or {}
    return usage.get("input_tokens"), usage.get("output_tokens")


async def ask_structured(model: BaseChatModel, schema: type[S], messages: list[BaseMessage]) -> ModelAnswer[S]:
    """Ask `model` for one `schema` object through a forced tool call."""
    runnable = model.with_structured_output(schema, method="function_calling", include_raw=True)
    result: Any = await bounded(runnable.ainvoke(messages))
    parsed = result.get("parsed")
    input_tokens, output_tokens = _usage(result.get("raw"))
    if not isinstance(parsed, schema):
        error = result.get("parsing_error")
        raise ModelOutputError(f"model gave no valid {schema.__name__}: {error or 'no tool call'}")
    return ModelAnswer(parsed, input_tokens, output_tokens)
