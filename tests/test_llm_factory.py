"""The chat-model factory: offline by default, ChatOpenAI for any OpenAI-compatible endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agents.llm.factory import OFFLINE_LABEL, get_chat_model, model_label
from core.settings import get_settings


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_offline_is_the_default_without_key_or_base_url() -> None:
    model = get_chat_model()
    assert model is None and model_label(model) == OFFLINE_LABEL == "offline-rules"


def test_openai_provider_builds_chat_completions_client() -> None:
    model = get_chat_model(provider="openai", base_url="http://127.0.0.1:9/v1", api_key="k", model="qwen2.5-7b")
    assert type(model).__name__ == "ChatOpenAI"
    assert model.use_responses_api is False  # type: ignore[union-attr]
    assert model.openai_api_base == "http://127.0.0.1:9/v1"  # type: ignore[union-attr]
    assert model_label(model) == "openai:qwen2.5-7b"


def test_auto_provider_switches_to_openai_when_a_base_url_is_set(monkeypatch: pytest.MonkeyPatch,
                                                                   fresh_settings: None) -> None:
    monkeypatch.setenv("LLM_PROVIDER", "auto")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("LLM_MODEL", "local-llama")
    model = get_chat_model()
    assert model is not None and model_label(model) == "openai:local-llama"
    assert get_chat_model(provider="offline") is None
