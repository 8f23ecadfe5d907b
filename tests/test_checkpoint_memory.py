"""A job's saver serves the thread's latest checkpoint from memory between writes (`agents/checkpointer.JobSaver`):
the step's own state read and the run that follows cost one checkpoint query, and a write is never hidden."""

from __future__ import annotations

import operator
import uuid
from typing import Annotated, Any, TypedDict

import pytest
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, StateGraph

from agents.checkpointer import run_checkpointer
from agents.runner import thread_config


class _State(TypedDict):
    steps: Annotated[list[int], operator.add]


def _graph() -> Any:
    builder = StateGraph(_State)
    builder.add_node("count", lambda state: {"steps": [len(state["steps"]) + 1]})
    builder.add_edge(START, "count")
    builder.add_edge("count", END)
    return builder.compile()


async def test_the_latest_checkpoint_is_read_once_between_writes(database_url: str,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    queries: list[str] = []
    original = AsyncPostgresSaver.aget_tuple

    async def counted(self: AsyncPostgresSaver, config: Any) -> Any:
        queries.append(str(config["configurable"]["thread_id"]))
        return await original(self, config)

    monkeypatch.setattr(AsyncPostgresSaver, "aget_tuple", counted)
    graph, run_id = _graph(), uuid.uuid4()
    async with run_checkpointer(run_id) as saver:
        config = thread_config(run_id, saver)
        await graph.ainvoke({"steps": []}, config, durability="exit")
        before = await graph.aget_state(config)  # a query: the run above wrote the checkpoint
        assert before.values == {"steps": [1]}
        queries.clear()
        await graph.ainvoke({"steps": []}, config, durability="exit")  # its own read comes from memory
        assert queries == []
        after = await graph.aget_state(config)  # the run wrote: read again, and it sees the write
        assert queries == [str(run_id)]
        assert after.values == {"steps": [1, 2]}
        assert before.values == {"steps": [1]}  # what was handed out earlier was not changed by the run

    async with run_checkpointer(run_id) as saver:  # a new job's saver remembers nothing of the last one
        queries.clear()
        assert (await graph.aget_state(thread_config(run_id, saver))).values == {"steps": [1, 2]}
        assert queries == [str(run_id)]
