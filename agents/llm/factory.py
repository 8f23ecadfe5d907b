"""The one chat-model factory every agent uses.

`get_chat_model()` returns a LangChain chat model for provider `openai` (any OpenAI-compatible server: OpenAI,
vLLM, Ollama, llama.cpp's server), or `None` for the deterministic `offline` provider: task functions then run
their rules and templates. `model_label()` names what produced an output (`offline-rules`, `openai:<model>`).

Keyword overrides exist for the eval runner (`--provider`, `--model`); agents call it without arguments.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import httpx
from langchain_core.language_models import BaseChatModel

from core.loops import LoopLocal
from core.settings import get_settings

OFFLINE_LABEL = "offline-rules"


async def _close_client(client: httpx.AsyncClient) -> None:
    await client.aclose()


# langchain-openai's default async HTTP client is one per process; its pooled connections belong to the loop that
# opened them, and a worker process runs one loop per thread (core/loops.py): one client per loop instead.
_http_clients = LoopLocal("LLM HTTP client", httpx.AsyncClient, _close_client)
Provider = Literal["offline", "openai"]


def get_chat_model(*, provider: Provider | None = None, model: str | None = None, base_url: str | None = None,
                   api_key: str | None = None, timeout: float | None = None,
                   max_retries: int | None = None) -> BaseChatModel | None:
    """The configured chat model, or `None` when the provider is `offline`.

    Each attempt gets an equal share of `LLM_CALL_BUDGET_SECONDS` (`LLM_MAX_RETRIES` retries: one by default), so
    a hung server costs the budget, not minutes; `agents.llm.structured.bounded` enforces the total as well.
    """
    settings = get_settings()
    max_retries = settings.LLM_MAX_RETRIES if max_retries is None else max_retries
    timeout = timeout or settings.LLM_CALL_BUDGET_SECONDS / (max_retries + 1)
    if (provider or settings.llm_provider) == "offline":
        return None
    from langchain_openai import ChatOpenAI

    if api_key is None:
        api_key = settings.OPENAI_API_KEY.get_secret_value() if settings.OPENAI_API_KEY else "not-needed"
    # use_responses_api=False: langchain-openai switches some model names to /v1/responses, which
    # chat-completions-only servers (vLLM, Ollama, llama.cpp) do not have.
    return ChatOpenAI(model=model or settings.LLM_MODEL, api_key=api_key,  # type: ignore[arg-type]
                      base_url=base_url or settings.OPENAI_BASE_URL, temperature=0, use_responses_api=False,
                      timeout=timeout, max_retries=max_retries, stream_usage=True, **_loop_http_client())


def _loop_http_client() -> dict[str, Any]:
    """This loop's HTTP client when called inside one (agents run in a worker's loop); the library's otherwise."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return {}
    return {"http_async_client": _http_clients.get()}


def model_label(model: BaseChatModel | None) -> str:
    """Provenance label: `offline-rules` for no model, `openai:<name>` for ChatOpenAI, else the model's name."""
    if model is None:
        return OFFLINE_LABEL
    name = getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
    return f"openai:{name}" if type(model).__name__ == "ChatOpenAI" else str(name)
