"""Scripted fake chat models for testing model-backed logic without a network.

`GenericFakeChatModel.bind_tools` raises `NotImplementedError`, so structured output (`with_structured_output`,
which binds the schema as a tool) needs the subclass below. Typical use:

    model = scripted_model(tool_answer("ReplyVerdict", {"intent": "declined"}))
    result = await classify_reply("no thanks", "email", model=model)

Each call to the model consumes the next scripted message; running out raises `StopIteration`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatResult


class ToolFakeChatModel(GenericFakeChatModel):
    """GenericFakeChatModel that accepts `bind_tools` (returns itself) and records what it was sent."""

    seen: list[list[BaseMessage]] = []

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ToolFakeChatModel:  # type: ignore[override]
        return self

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        self.seen.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def tool_answer(name: str, arguments: dict[str, Any], *, input_tokens: int = 120,
                output_tokens: int = 30) -> AIMessage:
    """An assistant message that calls tool `name` with `arguments` (what structured output parses)."""
    call = {"name": name, "args": arguments, "id": f"call_{name}", "type": "tool_call"}
    return AIMessage(content="", tool_calls=[call],  # type: ignore[list-item]
                     usage_metadata={"input_tokens": input_tokens, "output_tokens": output_tokens,
                                     "total_tokens": input_tokens + output_tokens})


def scripted_model(*messages: AIMessage | str) -> ToolFakeChatModel:
    """A fake model answering with `messages` in order."""
    return ToolFakeChatModel(messages=iter(messages), seen=[])


def repeating_model(message: AIMessage | str) -> ToolFakeChatModel:
    """A fake model that always answers `message`."""
    return ToolFakeChatModel(messages=itertools.repeat(message), seen=[])


class FailingChatModel(BaseChatModel):
    """A model whose every call raises (a provider outage)."""

    error: str = "provider unavailable"

    @property
    def _llm_type(self) -> str:
        return "failing-fake"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> FailingChatModel:  # type: ignore[override]
        return self

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:
        raise ConnectionError(self.error)


def json_args(message: AIMessage) -> str:
    return json.dumps(message.tool_calls[0]["args"])
