"""`produced()` builds the plain generic `Produced`: a parametrized `Produced[T]` is a class pydantic caches only
weakly, so in a worker it was freed by the garbage collector and rebuilt on the next task result (2–3 ms each time,
with every agent module loaded)."""

from __future__ import annotations

import gc

from agents.llm.prompts import load_prompt
from agents.tasks.provenance import produced
from agents.tasks.types import Produced


def test_task_results_do_not_build_a_class_per_call() -> None:
    prompt = load_prompt("reply_intent")
    first = produced({"intent": "interested"}, prompt, notes=["offline"])
    gc.collect()
    second = produced(["a", 1], prompt)
    assert type(first) is Produced and type(second) is Produced
    assert (first.value, first.model, first.prompt_id, first.notes) == (
        {"intent": "interested"}, "offline-rules", "reply_intent", ["offline"])
    assert second.value == ["a", 1] and second.prompt_version == prompt.version
