"""Building `Produced[...]` results, and the one rule for model failures: a task whose model call fails or gives
unusable output falls back to the offline rules, says so in `notes`, and is labelled `offline-rules` (so evals
count fallbacks instead of crediting the model)."""

from __future__ import annotations

import logging
from typing import TypeVar

from langchain_core.language_models import BaseChatModel

from agents.llm.factory import OFFLINE_LABEL, model_label
from agents.llm.prompts import PromptTemplate
from agents.llm.structured import ModelAnswer
from agents.tasks.types import Produced

T = TypeVar("T")
log = logging.getLogger("influency.tasks")


def produced(value: T, prompt: PromptTemplate, model: BaseChatModel | None = None,
             answer: ModelAnswer | None = None, notes: list[str] | None = None) -> Produced[T]:
    # not `Produced[T](...)`: pydantic caches a parametrized class only weakly, and rebuilding it after the
    # garbage collector freed it took 2–3 ms (measured); unparametrized, `value` validates as its TypeVar would
    return Produced(value=value, model=model_label(model) if answer is not None else OFFLINE_LABEL,
                    prompt_id=prompt.id, prompt_version=prompt.version,
                    input_tokens=answer.input_tokens if answer else None,
                    output_tokens=answer.output_tokens if answer else None, notes=list(notes or []))


def fallback_note(task: str, model: BaseChatModel, error: Exception) -> str:
    log.warning("%s: model %s failed (%s); offline rules used", task, model_label(model), error, exc_info=error)
    return f"model {model_label(model)} failed ({type(error).__name__}: {str(error)[:200]}); offline rules used"
