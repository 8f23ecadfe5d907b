"""Checkpointer throughput: one shared `AsyncPostgresSaver` over a pool vs one saver per job.

    .venv/bin/python -m bench.checkpoints --runs 400 --concurrency 16

Each job runs a 3-node graph on its own thread (what an `agents.run` job does, minus the model). The shared
saver takes one asyncio lock around every call (langgraph#7259), so its jobs queue behind each other; with
`agents.checkpointer.run_checkpointer` each job has its own saver and connection (plus the run's advisory lock).
Prints runs per second for both. Uses a throwaway embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, TypedDict

from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.graph import END, START, StateGraph

from core.settings import set_process_defaults


class _State(TypedDict, total=False):
    steps: int


async def _step(state: _State) -> dict[str, Any]:
    return {"steps": state.get("steps", 0) + 1}


def _builder() -> StateGraph[_State, None, _State, _State]:
    graph = StateGraph(_State)
    for name in ("a", "b", "c"):
        graph.add_node(name, _step)
    graph.add_edge(START, "a")
    graph.add_edge("a", "b")
    graph.add_edge("b", "c")
    graph.add_edge("c", END)
    return graph


async def _run_all(runs: int, concurrency: int, job: Any) -> float:
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            await job(uuid.uuid4())

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(runs)))
    return runs / (time.perf_counter() - started)


async def main(runs: int, concurrency: int) -> None:
    from agents import checkpointer
    from store import db
    from store.embedded import start_embedded_postgres

    url = start_embedded_postgres(Path(tempfile.mkdtemp(prefix="influency-bench-")), cleanup="delete")
    db.reset_for_tests(url)
    await asyncio.to_thread(checkpointer.setup_checkpointer, url)
    builder = _builder()
    pool = await checkpointer._pool_for_this_process()

    shared = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
    shared_graph = builder.compile(checkpointer=shared)

    async def with_shared_saver(run_id: uuid.UUID) -> None:
        await shared_graph.ainvoke({"steps": 0}, {"configurable": {"thread_id": str(run_id)}}, durability="sync")

    async def with_saver_per_job(run_id: uuid.UUID) -> None:
        async with checkpointer.run_checkpointer(run_id) as saver:
            graph = builder.compile(checkpointer=saver)
            await graph.ainvoke({"steps": 0}, {"configurable": {"thread_id": str(run_id)}}, durability="sync")

    await _run_all(20, concurrency, with_saver_per_job)  # warm-up: pool connections, imports
    shared_rate = await _run_all(runs, concurrency, with_shared_saver)
    per_job_rate = await _run_all(runs, concurrency, with_saver_per_job)
    print(f"{runs} runs, {concurrency} at a time, pool of {pool.max_size}")
    print(f"  one shared saver : {shared_rate:7.1f} runs/s")
    print(f"  one saver per job: {per_job_rate:7.1f} runs/s")
    await checkpointer.close_checkpointer_pool()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=16)
    arguments = parser.parse_args()
    set_process_defaults()
    asyncio.run(main(arguments.runs, arguments.concurrency))
