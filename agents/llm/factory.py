"""Chat-model factory. INTERFACE PLACEHOLDER (foundation); the agent-core work fills in the providers.

`get_chat_model()` returns a LangChain chat model for provider `openai`, or `None` for the deterministic
`offline` provider (task functions then run their rules). `model_label()` names what produced an output.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from core.settings import get_settings

OFFLINE_LABEL = "offline-rules"


def get_chat_model() -> BaseChatModel | None:
    settings = get_settings()
    if settings.llm_provider == "offline":
        return None
    from langchain_openai import ChatOpenAI

    api_key = settings.OPENAI_API_KEY.get_secret_value() if settings.OPENAI_API_KEY else "not-needed"
    return ChatOpenAI(model=settings.LLM_MODEL, api_key=api_key, base_url=settings.OPENAI_BASE_URL,  # type: ignore[arg-type]
                      temperature=0, use_responses_api=False)


def model_label(model: BaseChatModel | None) -> str:
    if model is None:
        return OFFLINE_LABEL
    name = getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
    return f"openai:{name}" if type(model).__name__ == "ChatOpenAI" else str(name)
