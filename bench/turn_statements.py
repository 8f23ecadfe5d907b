"""SQL statements and CPU per reply turn, by stage: figures that depend little on the machine's load.

    .venv/bin/python -m bench.turn_statements            # counts and CPU; --show lists each statement

The reply bench's path, in one process: the inbound-email webhook (`POST /webhooks/email/inbound`, in-process ASGI)
→ `inbound.process` → `negotiation.turn`, each job called as its actor would (the outbox rows are read and marked
dispatched here, outside the count). Counts what the application sends through SQLAlchemy and straight on the
driver (`store/driver.py`); the LangGraph checkpointer's own queries (psycopg, its own pool) are not in it. The
first replies warm the caches; the counts are the last reply's. CPU is this process's (`time.process_time`: Python,
the drivers, the graph and the checkpointer; not Postgres), per stage, the median over the replies after the first
`WARM`, one reply at a time: on 2 shared cores the held-burst turns/s of `bench.reply_latency` is bounded by the
CPU a turn costs, and this figure moves by a few percent between runs where turns/s moves by 30 %, so it is what a
change to the turn's code is measured by (README → Performance). Uses a throwaway embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

SECRET = "bench-inbound-secret-0123456789"
TRANSACTION = "BEGIN ... COMMIT"  # noted in a stage's statements when a unit of work opens its transaction
WARM = 20  # replies whose CPU is not counted (first connections, statement caches, graph compilation)


async def _take_job(actor: str) -> dict[str, Any]:
    """The oldest pending outbox row of `actor`, marked dispatched (what the relay does); its payload."""
    from sqlalchemy import text

    from store.db import unit_of_work

    async with unit_of_work() as session:
        row = (await session.execute(text(
            "SELECT id, payload FROM outbox_events WHERE actor_name = :actor AND status = 'pending' "
            "ORDER BY created_at LIMIT 1"), {"actor": actor})).one()
        await session.execute(text("UPDATE outbox_events SET status = 'dispatched' WHERE id = :id"), {"id": row[0]})
        return dict(row[1])


async def main(replies: int, show: bool) -> None:
    from agents.checkpointer import setup_checkpointer
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    url = start_embedded_postgres(Path(tempfile.mkdtemp(prefix="influency-bench-statements-")), cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    await asyncio.to_thread(setup_checkpointer, url)
    db.reset_for_tests(url)

    import httpx
    from sqlalchemy import event

    from api.app import create_app
    from bench.reply_latency import REPLY, _message_id, _seed
    from workers.inbound import process_inbound_event
    from workers.negotiation import negotiation_turn

    conversations = await _seed(replies)
    statements: list[str] = []
    event.listen(db.get_engine().sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement))
    # a unit of work's transaction: its BEGIN and COMMIT are two more round trips
    event.listen(db.get_engine().sync_engine, "begin", lambda _c: statements.append(TRANSACTION))
    _count_driver_statements(statements)
    stages: dict[str, list[str]] = {}
    cpu: dict[str, list[float]] = {}
    outcomes: list[str] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app()), base_url="http://bench") as client:
        for number, (conversation_id, token) in enumerate(conversations):
            timing = number >= WARM or replies <= WARM
            started = time.process_time()
            statements.clear()
            response = await client.post(
                "/webhooks/email/inbound", headers={"X-Inbound-Secret": SECRET},
                json={"from": "creator@example.com", "to": f"reply+{token}@influency.local",
                      "subject": "Re: Spring launch", "text": REPLY, "message_id": _message_id(conversation_id)})
            response.raise_for_status()
            _stage(stages, cpu, "webhook (API)", statements, started, timing)
            job = await _take_job("inbound.process")
            started = time.process_time()
            statements.clear()
            await process_inbound_event(job["event_id"])
            _stage(stages, cpu, "inbound.process", statements, started, timing)
            job = await _take_job("negotiation.turn")
            started = time.process_time()
            statements.clear()
            outcomes.append(await negotiation_turn(job["run_id"], job["turn"]))
            _stage(stages, cpu, "negotiation.turn", statements, started, timing)
    await db.dispose_engine()

    counted = len(next(iter(cpu.values())))
    print(f"{replies} replies, each to its own conversation; statements of the last, CPU of {counted} "
          f"(outcomes: {sorted(set(outcomes))})")
    medians = {stage: 1000 * statistics.median(values) for stage, values in cpu.items()}
    for stage, executed in stages.items():
        print(f"  {stage:<18} {_count(executed):3d} statements in {executed.count(TRANSACTION)} transactions, "
              f"CPU median {medians[stage]:5.1f} ms")
        for statement in executed if show else []:
            print("      " + re.sub(r"\s+", " ", statement)[:150])
    total = sum(_count(executed) for executed in stages.values())
    print(f"RESULT turn_statements total={total} " + " ".join(
        f"{stage.split()[0]}={_count(executed)}" for stage, executed in stages.items())
        + " transactions=" + ",".join(str(executed.count(TRANSACTION)) for executed in stages.values())
        + f" cpu_ms={sum(medians.values()):.1f} " + " ".join(
        f"{stage.split()[0]}_cpu_ms={value:.1f}" for stage, value in medians.items()))


def _count_driver_statements(statements: list[str]) -> None:
    """Note the statements `store/driver.py` runs on asyncpg itself (SQLAlchemy's adapter runs its statements as
    prepared statements, not through these two methods)."""
    import asyncpg

    for name in ("fetch", "fetchrow"):
        original = getattr(asyncpg.Connection, name)

        def noted(self: Any, query: str, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            statements.append(query)
            return _original(self, query, *args, **kwargs)

        setattr(asyncpg.Connection, name, noted)


def _count(executed: list[str]) -> int:
    return sum(statement != TRANSACTION for statement in executed)


def _stage(stages: dict[str, list[str]], cpu: dict[str, list[float]], stage: str, statements: list[str],
           started: float, timing: bool) -> None:
    elapsed = time.process_time() - started
    stages[stage] = list(statements)
    if timing:
        cpu.setdefault(stage, []).append(elapsed)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=120,
                        help=f"replies (the first {WARM} warm the caches; CPU is the median of the rest)")
    parser.add_argument("--show", action="store_true", help="list the statements")
    arguments = parser.parse_args()
    os.environ.update({"LLM_PROVIDER": "offline", "INBOUND_EMAIL_SECRET": SECRET, "BROKER": "stub",
                       "ENVIRONMENT": "development"})
    from core.settings import set_process_defaults

    set_process_defaults()
    import uvloop

    uvloop.run(main(max(1, arguments.replies), arguments.show))  # the workers' loop (WORKER_LOOP_IMPL)
