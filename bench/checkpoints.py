"""Checkpointer throughput at --concurrency runs at a time: MemorySaver (the baseline), one shared
`AsyncPostgresSaver` over a pool, and one saver per job (`agents.checkpointer.run_checkpointer`, a graph compiled
once and handed each job's saver in its config as `agents.runner.thread_config` does) with durability "sync" and
"exit" (what the workers use: checkpoints written when the step stops). The goal: Postgres ≥ 0.6× MemorySaver.

    .venv/bin/python -m bench.checkpoints --runs 400 --concurrency 50

Each job runs a 3-node graph on its own thread (what an `agents.run` job does, minus the model). The shared
saver takes one asyncio lock around every call (langgraph#7259), so its jobs queue behind each other; with
`agents.checkpointer.run_checkpointer` each job has its own saver and connection (plus the run's advisory lock).
Prints runs per second for both. Uses a throwaway embedded PostgreSQL.

One pass of 400 runs lasts well under a second, so a collector pause or a neighbour's burst moves a single
ratio by ±0.3 (seen 0.49–1.07 in four runs on a quiet machine). MemorySaver and the workers' saver are therefore
measured in --rounds alternating pairs, and the headline is the median of the pairs' ratios, with their range.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, TypedDict

from langgraph.checkpoint.memory import MemorySaver
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
    gc.collect()  # the previous pass's garbage is not this pass's cost

    async def one() -> None:
        async with gate:
            await job(uuid.uuid4())

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(runs)))
    return runs / (time.perf_counter() - started)


async def main(runs: int, concurrency: int, rounds: int) -> None:
    from agents import checkpointer
    from agents.runner import thread_config
    from store import db
    from store.embedded import start_embedded_postgres

    url = start_embedded_postgres(Path(tempfile.mkdtemp(prefix="influency-bench-")), cleanup="delete")
    db.reset_for_tests(url)
    await asyncio.to_thread(checkpointer.setup_checkpointer, url)
    builder = _builder()
    pool = await checkpointer._pool_for_this_loop()

    shared = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
    shared_graph = builder.compile(checkpointer=shared)

    async def with_shared_saver(run_id: uuid.UUID) -> None:
        await shared_graph.ainvoke({"steps": 0}, {"configurable": {"thread_id": str(run_id)}}, durability="sync")

    memory_graph = builder.compile(checkpointer=MemorySaver())
    compiled_once = builder.compile()

    async def with_memory_saver(run_id: uuid.UUID) -> None:
        await memory_graph.ainvoke({"steps": 0}, {"configurable": {"thread_id": str(run_id)}}, durability="sync")

    def per_job(durability: Any) -> Any:
        async def job(run_id: uuid.UUID) -> None:
            async with checkpointer.run_checkpointer(run_id) as saver:
                await compiled_once.ainvoke({"steps": 0}, thread_config(run_id, saver), durability=durability)
        return job

    await _run_all(20, concurrency, per_job("sync"))  # warm-up: pool connections, imports
    await _run_all(20, concurrency, with_memory_saver)
    shared_rate = await _run_all(runs, concurrency, with_shared_saver)
    sync_rate = await _run_all(runs, concurrency, per_job("sync"))
    pairs = []
    for _ in range(rounds):  # alternated, so both sides see the same machine
        # a fresh MemorySaver each round: one that kept every earlier round's threads would slow the collector
        memory_graph = builder.compile(checkpointer=MemorySaver())
        memory_rate = await _run_all(runs, concurrency, with_memory_saver)
        exit_rate = await _run_all(runs, concurrency, per_job("exit"))
        pairs.append((memory_rate, exit_rate))
    memory_rate = statistics.median(memory for memory, _ in pairs)
    exit_rate = statistics.median(exit_ for _, exit_ in pairs)
    ratios = sorted(exit_ / memory for memory, exit_ in pairs)
    ratio = statistics.median(ratios)
    print(f"{runs} runs of a 3-node graph, {concurrency} at a time, pool of {pool.max_size}; "
          f"{rounds} alternating rounds (medians)")
    print(f"  MemorySaver (baseline)          : {memory_rate:7.1f} runs/s")
    print(f"  one shared Postgres saver, sync : {shared_rate:7.1f} runs/s  {shared_rate / memory_rate:.2f}x")
    print(f"  saver per job, sync             : {sync_rate:7.1f} runs/s  {sync_rate / memory_rate:.2f}x")
    print(f"  saver per job, exit (workers)   : {exit_rate:7.1f} runs/s  {ratio:.2f}x "
          f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"RESULT checkpoints exit_vs_memory={ratio:.2f} min={ratios[0]:.2f} max={ratios[-1]:.2f} rounds={rounds}")
    await checkpointer.close_checkpointer_pool()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5, help="alternating MemorySaver / saver-per-job pairs")
    arguments = parser.parse_args()
    set_process_defaults()
    asyncio.run(main(arguments.runs, arguments.concurrency, max(1, arguments.rounds)))
