"""Reply → draft awaiting approval: the whole turn, paced and in a burst, beside `GET /health` in the same run.

    .venv/bin/python -m bench.reply_latency --paced 40 --burst 200 --processes 2 --threads 8

Each reply is a real inbound-email webhook (`POST /webhooks/email/inbound`, the provider's JSON) to an API process
(uvicorn): the event is stored with its `inbound.process` outbox row → the relay (woken by the commit's NOTIFY)
→ a worker runs `inbound.process` (matches the conversation, stores the message, queues the turn) → the relay
→ a worker runs `negotiation.turn` (the negotiation graph with the offline provider, its Postgres checkpoint)
→ an `offer` approval is pending in the inbox. The clock stops when the worker logs the turn's outcome, which it
does after the transaction that opened the approval committed (the record's own timestamp, ms); the bench then
checks that every measured conversation has its pending offer approval.

Every reply goes to its own conversation (a creator who has our first email), seeded straight into a throwaway
embedded Postgres. The worker runs `--processes` processes × `--threads` threads on the configured event loops
(`WORKER_EVENT_LOOPS`, default `shared`: one per process); `--compare-loops` repeats the run with the other mode
(`per_thread`: one loop per worker thread), on fresh conversations in the same database.
- paced: one reply every `--interval` seconds (nothing queues) → p50/p95 webhook sent → approval committed;
- burst: `--burst` replies sent by 16 concurrent clients → turns/s (first webhook sent → last turn logged), bounded
  by how fast the one API process accepts webhooks (printed);
- held burst: another `--burst` replies sent while the relay is paused (SIGSTOP), then let go → turns/s from then
  to the last turn: the orchestration's own throughput (relay, workers, graph, Postgres). Repeated `--held` times
  on fresh conversations: one burst of a few seconds on 2 shared cores swings ±15 % between adjacent runs, so the
  figure is the median of the rounds, printed with their range (CPU per turn over all of them).
`GET /health` on the same API process in the same run is the baseline. The load average is printed with them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench.cpu import CpuMeter, named, postgres, tree
from bench.sending import (
    WORKER_WARM,
    _child_environment,
    _free_port,
    _percentile,
    _spawn,
    _stop,
    _wait_for_line,
    insert_creators,
)

TURN_LINE = re.compile(rb"^\[([0-9-]+ [0-9:,]+)\].*negotiation run ([0-9a-f-]{36}), turn [^:]*: (.*)$")
REPLY = "Thanks for reaching out! My rate for one reel and three stories is 1400 EUR."
BRIEF = {"goal": "awareness", "product": "Acme protein bar", "budget": 10_000_000, "currency": "EUR",
         "platforms": ["instagram"], "categories": ["fitness"], "fee_ceiling": 1500, "fee_target": 900,
         "deliverables": [{"platform": "instagram", "kind": "reel", "quantity": 1},
                          {"platform": "instagram", "kind": "story", "quantity": 3}]}


class _TurnLog:
    """Tails the worker log: when each run's turn finished (the record's timestamp, wall-clock seconds; Dramatiq
    relays its processes' logs to the parent through a pipe, so the line lands in the file later) and its outcome."""

    def __init__(self, path: Path) -> None:
        self.path, self.done, self.outcomes = path, {}, {}  # type: ignore[var-annotated]
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while not self.path.exists():
            time.sleep(0.01)
        with open(self.path, "rb") as log:
            pending = b""
            while not self._stop.is_set():
                chunk = log.read()
                if not chunk:
                    time.sleep(0.001)
                    continue
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if (match := TURN_LINE.match(line)) is not None:
                        run_id = match.group(2).decode()
                        stamp = datetime.strptime(match.group(1).decode(), "%Y-%m-%d %H:%M:%S,%f").timestamp()
                        self.done.setdefault(run_id, stamp)
                        self.outcomes.setdefault(run_id, match.group(3).decode(errors="replace"))

    def stop(self) -> None:
        self._stop.set()


async def _seed(count: int) -> list[tuple[uuid.UUID, str]]:
    """An organization, an active campaign and `count` conversations whose creator has our first email;
    (conversation id, reply token) each."""
    from sqlalchemy import insert

    from store.db import unit_of_work
    from store.models import (
        Campaign,
        CampaignStatus,
        Conversation,
        Message,
        MessageChannel,
        MessageDirection,
        MessageStatus,
        Organization,
    )

    tag = secrets.token_hex(3)
    async with unit_of_work() as session:
        organization = Organization(name=f"Bench {tag}")
        session.add(organization)
        await session.flush()
        campaign = Campaign(organization_id=organization.id, name="Spring launch", status=CampaignStatus.active,
                            brief=BRIEF)
        session.add(campaign)
        await session.flush()
        creators = await insert_creators(session, count, tag)
        conversations: list[dict[str, Any]] = [
            {"id": uuid.uuid4(), "organization_id": organization.id, "campaign_id": campaign.id,
             "creator_id": creator_id, "reply_token": secrets.token_hex(12)} for creator_id, _ in creators]
        await session.execute(insert(Conversation), conversations)
        await session.execute(insert(Message), [
            {"id": uuid.uuid4(), "conversation_id": row["id"], "direction": MessageDirection.outbound,
             "channel": MessageChannel.email, "status": MessageStatus.sent, "subject": "Spring launch",
             "body_text": "Hi! We would love to work with you on our spring launch. Interested?",
             "to_address": email, "idempotency_key": f"bench:{row['id']}", "send_attempts": 1}
            for row, (_, email) in zip(conversations, creators, strict=True)])
    return [(row["id"], row["reply_token"]) for row in conversations]


def _message_id(conversation_id: uuid.UUID) -> str:
    return f"<{conversation_id}@mail.bench>"


async def _reply(client: Any, port: int, secret: str, conversation_id: uuid.UUID, token: str) -> float:
    """Send one reply webhook; the wall-clock time it was sent."""
    sent = time.time()
    response = await client.post(
        f"http://127.0.0.1:{port}/webhooks/email/inbound", headers={"X-Inbound-Secret": secret},
        json={"from": "creator@example.com", "to": f"reply+{token}@influency.local", "subject": "Re: Spring launch",
              "text": REPLY, "message_id": _message_id(conversation_id)})
    response.raise_for_status()
    return sent


async def _runs_of(conversation_ids: list[uuid.UUID]) -> dict[str, uuid.UUID]:
    """run id → conversation id (a conversation's negotiation run is made by its first `inbound.process`)."""
    from sqlalchemy import select

    from store.db import unit_of_work
    from store.models import AgentRun

    keys = [f"negotiation:{conversation_id}" for conversation_id in conversation_ids]
    async with unit_of_work() as session:
        rows = await session.execute(select(AgentRun.id, AgentRun.idempotency_key)
                                     .where(AgentRun.idempotency_key.in_(keys)))
        return {str(run_id): uuid.UUID(key.split(":", 1)[1]) for run_id, key in rows}


async def _pending_offers(conversation_ids: list[uuid.UUID]) -> int:
    """How many of these conversations have a pending `offer` approval."""
    from sqlalchemy import func, select

    from store.db import unit_of_work
    from store.models import AgentRun, Approval, ApprovalKind, ApprovalStatus

    keys = [f"negotiation:{conversation_id}" for conversation_id in conversation_ids]
    async with unit_of_work() as session:
        statement = (select(func.count(func.distinct(Approval.run_id))).join(AgentRun, AgentRun.id == Approval.run_id)
                     .where(AgentRun.idempotency_key.in_(keys), Approval.kind == ApprovalKind.offer,
                            Approval.status == ApprovalStatus.pending))
        return int((await session.execute(statement)).scalar_one())


async def _stages(sent: dict[uuid.UUID, float], done: dict[uuid.UUID, float]) -> list[float]:
    """Median ms of each stage of the paced turns, from the rows' own times: webhook sent → its transaction
    began (API) → `inbound.process` finished (commit, relay, fetch, matching) → the turn's approval transaction
    began (commit, relay, fetch, graph step) → the turn logged as done (approval, run status, commit)."""
    from sqlalchemy import select

    from store.db import unit_of_work
    from store.models import AgentRun, Approval, InboundEvent

    ids = {_message_id(conversation_id): conversation_id for conversation_id in sent}
    async with unit_of_work() as session:
        events = {ids[key]: (received.timestamp(), processed.timestamp()) for key, received, processed in
                  await session.execute(select(InboundEvent.provider_message_id, InboundEvent.received_at,
                                               InboundEvent.processed_at)
                                        .where(InboundEvent.provider_message_id.in_(list(ids))))
                  if processed is not None}
        opened = {uuid.UUID(key.split(":", 1)[1]): created.timestamp() for key, created in await session.execute(
            select(AgentRun.idempotency_key, Approval.created_at).join(Approval, Approval.run_id == AgentRun.id)
            .where(AgentRun.idempotency_key.in_([f"negotiation:{c}" for c in sent])))}
    stages: list[list[float]] = [[], [], [], []]
    for conversation_id, started in sent.items():
        if conversation_id in events and conversation_id in opened and conversation_id in done:
            points = [started, *events[conversation_id], opened[conversation_id], done[conversation_id]]
            for index in range(4):
                stages[index].append((points[index + 1] - points[index]) * 1000)
    return [statistics.median(values) if values else float("nan") for values in stages]


async def _wait_turns(log: _TurnLog, conversation_ids: list[uuid.UUID], seconds: float) -> dict[uuid.UUID, float]:
    """conversation id → when its turn finished, waiting up to `seconds` for all of them."""
    deadline, wanted = time.monotonic() + seconds, set(conversation_ids)
    finished: dict[uuid.UUID, float] = {}
    while time.monotonic() < deadline:
        runs = await _runs_of(conversation_ids)
        finished = {runs[run_id]: stamp for run_id, stamp in list(log.done.items()) if run_id in runs}
        if wanted <= finished.keys():
            break
        await asyncio.sleep(0.25)
    return {conversation_id: stamp for conversation_id, stamp in finished.items() if conversation_id in wanted}


async def _burst(client: Any, api_port: int, secret: str, log: _TurnLog, threads: list[tuple[uuid.UUID, str]],
                 relay: subprocess.Popen[bytes] | None, meter: CpuMeter | None = None) -> dict[str, Any]:
    """Send every reply from 16 concurrent clients; turns/s from the first send (or, with `relay`, from letting
    the paused relay go once all were accepted: the orchestration's own rate, not the API's) to the last turn."""
    gate = asyncio.Semaphore(16)
    sent: dict[uuid.UUID, float] = {}

    async def one(conversation_id: uuid.UUID, token: str) -> None:
        async with gate:
            sent[conversation_id] = await _reply(client, api_port, secret, conversation_id, token)

    if relay is not None:
        relay.send_signal(signal.SIGSTOP)
    started = time.time()
    try:
        await asyncio.gather(*(one(c, t) for c, t in threads))
    finally:
        if meter is not None:
            meter.start()
        if relay is not None:
            relay.send_signal(signal.SIGCONT)
    posted = time.time() - started
    if relay is not None:
        started = time.time()
    done = await _wait_turns(log, list(sent), max(120.0, len(threads) / 2))
    finished = max(done.values(), default=started)
    latencies = [(done[c] - sent[c]) * 1000 for c in sent if c in done]
    return {"per_s": len(done) / max(finished - started, 1e-9), "done": len(done),
            "cpu": meter.per_unit(len(done)) if meter is not None else {},
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "posted_per_s": len(threads) / max(posted, 1e-9)}


async def _held(client: Any, api_port: int, secret: str, log: _TurnLog, rounds: list[list[tuple[uuid.UUID, str]]],
                relay: subprocess.Popen[bytes], meter: CpuMeter) -> dict[str, Any]:
    """Held bursts, one per round: the median turns/s with the rounds' range, CPU per turn over all of them."""
    figures, spent, done = [], dict.fromkeys(meter.groups, 0.0), 0
    for round_threads in rounds:
        figures.append(await _burst(client, api_port, secret, log, round_threads, relay, meter))
        done += figures[-1]["done"]
        for name, ms in figures[-1]["cpu"].items():  # per turn of this round → ms in all
            spent[name] += ms * max(1, figures[-1]["done"])
    rates = [figure["per_s"] for figure in figures]
    return {"per_s": statistics.median(rates), "rates": rates, "done": done,
            "cpu": {name: ms / max(1, done) for name, ms in spent.items()}}


async def _measure(log: _TurnLog, api_port: int, secret: str, threads: list[tuple[uuid.UUID, str]],
                   warm: int, paced: int, burst: int, held: int, interval: float,
                   relay: subprocess.Popen[bytes], meter: CpuMeter) -> dict[str, Any]:
    import httpx

    warmup, paced_threads = threads[:warm], threads[warm:warm + paced]
    burst_threads = threads[warm + paced:warm + paced + burst]
    held_rounds = [threads[start:start + burst] for start in range(warm + paced + burst, len(threads), burst)]
    assert len(held_rounds) == held, (len(held_rounds), held)
    async with httpx.AsyncClient(timeout=60) as client:
        # Warm every event loop (imports, compiled graphs, each loop's pools open their connections): a burst of
        # several replies per worker thread, so the paced turns measure the steady state, not first connections.
        await _burst(client, api_port, secret, log, warmup, None)
        sent: dict[uuid.UUID, float] = {}
        for conversation_id, token in paced_threads:
            sent[conversation_id] = await _reply(client, api_port, secret, conversation_id, token)
            await asyncio.sleep(interval)
        paced_done = await _wait_turns(log, list(sent), 120)
        latencies = [(paced_done[c] - sent[c]) * 1000 for c in sent if c in paced_done]
        stages = await _stages(sent, paced_done)
        burst_figures = await _burst(client, api_port, secret, log, burst_threads, None)
        held_figures = await _held(client, api_port, secret, log, held_rounds, relay, meter)
    measured = [c for c, _ in threads[warm:]]
    return {"p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": _percentile(latencies, 0.95) if latencies else float("nan"), "paced_done": len(latencies),
            "burst": burst_figures, "held": held_figures, "stages": stages,
            "offers": await _pending_offers(measured), "measured": len(measured)}


async def _health(port: int, seconds: float = 5.0) -> dict[str, float]:
    import httpx

    url = f"http://127.0.0.1:{port}/health"
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            try:
                if (await client.get(url)).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
        latencies = []
        for _ in range(50):
            started = time.perf_counter()
            await client.get(url)
            latencies.append((time.perf_counter() - started) * 1000)
        count, deadline = 0, time.monotonic() + seconds

        async def loop() -> None:
            nonlocal count
            while time.monotonic() < deadline:
                await client.get(url)
                count += 1

        await asyncio.gather(*(loop() for _ in range(8)))
    return {"p50": statistics.median(latencies), "per_s": count / seconds}


async def main(paced: int, burst: int, held_rounds: int, processes: int, threads: int, interval: float,
               compare_loops: bool) -> None:
    from core.settings import get_settings, set_process_defaults

    set_process_defaults()
    from agents.checkpointer import setup_checkpointer
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-turns-"))
    url = start_embedded_postgres(data_dir, cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    await asyncio.to_thread(setup_checkpointer, url)
    db.reset_for_tests(url)
    python, api_port, secret = sys.executable, _free_port(), secrets.token_urlsafe(24)
    warm = 4 * processes * threads
    base = _child_environment(data_dir, url, _free_port(), _free_port(), 80) | {
        "LOG_LEVEL": "INFO", "PORT": str(api_port), "INBOUND_EMAIL_SECRET": secret}
    default = get_settings().WORKER_EVENT_LOOPS
    other = "per_thread" if default == "shared" else "shared"
    modes = [default, other] if compare_loops else [default]
    api = _spawn([python, "-m", "cli.main", "serve", "--port", str(api_port)], base, data_dir / "api.log")
    results: dict[str, dict[str, Any]] = {}
    health: dict[str, float] = {}
    try:
        for mode in modes:
            conversations = await _seed(warm + paced + (1 + held_rounds) * burst)
            env = base | {"BROKER_NAMESPACE": f"bench-{uuid.uuid4().hex[:8]}", "WORKER_EVENT_LOOPS": mode}
            log_path = data_dir / f"worker-{mode}.log"
            children = [_spawn([python, "-m", "dramatiq", "workers.actors", "--processes", str(processes),
                                "--threads", str(threads)], env, log_path),
                        _spawn([python, "-m", "cli.main", "relay"], env, data_dir / f"relay-{mode}.log")]
            log = _TurnLog(log_path)
            try:
                # every process's warm-up done (its torch import holds the GIL for seconds)
                await asyncio.to_thread(_wait_for_line, log_path, WORKER_WARM, processes)
                if not health:
                    health = await _health(api_port)
                meter = CpuMeter({"workers": partial(tree, children[0].pid), "relay": partial(tree, children[1].pid),
                                  "postgres": partial(postgres, data_dir), "redis": partial(named, "redis-server"),
                                  "api": partial(tree, api.pid)})
                results[mode] = await _measure(log, api_port, secret, conversations, warm, paced, burst,
                                               held_rounds, interval, children[1], meter)
            finally:
                log.stop()
                _stop(children)
    finally:
        _stop([api])
        await db.dispose_engine()
    load = os.getloadavg()
    print(f"GET /health (same run, same API process): p50 {health['p50']:.1f} ms, {health['per_s']:.0f} req/s "
          f"(8 concurrent)")
    for mode, figures in results.items():
        burst_figures, held = figures["burst"], figures["held"]
        webhook, inbound, turn, recorded = figures["stages"]
        print(f"{mode:>10} loops, {processes} worker processes × {threads} threads: reply webhook → offer awaiting "
              f"approval p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms (paced, {figures['paced_done']} "
              f"replies {interval * 1000:.0f} ms apart)\n{'':>10} paced stages (medians): webhook {webhook:.0f} ms → "
              f"inbound.process done {inbound:.0f} ms → turn's approval opened {turn:.0f} ms → committed and logged "
              f"{recorded:.0f} ms\n{'':>10} burst of {burst} (16 senders): {burst_figures['per_s']:.1f} turns/s end to "
              f"end, p50 {burst_figures['p50']:.0f} ms (the API accepted the webhooks at "
              f"{burst_figures['posted_per_s']:.0f}/s); with the relay held until all were accepted: "
              f"{held['per_s']:.1f} turns/s (orchestration alone; median of {len(held['rates'])}, range "
              f"{min(held['rates']):.1f}–{max(held['rates']):.1f}); {held['done'] + burst_figures['done']}/"
              f"{(1 + len(held['rates'])) * burst} turns done; pending offer approvals {figures['offers']}/"
              f"{figures['measured']}\n{'':>10} held burst, "
              + CpuMeter.describe(held["cpu"], "turn"))
    now = results[default]
    compared = results.get(other)
    ratio = (f" loops={default} held_vs_{other}={now['held']['per_s'] / compared['held']['per_s']:.2f}x"
             f" burst_vs_{other}={now['burst']['per_s'] / compared['burst']['per_s']:.2f}x") if compared else ""
    print(f"RESULT reply_turn p50_ms={now['p50']:.0f} p95_ms={now['p95']:.0f} burst_turns_per_s="
          f"{now['burst']['per_s']:.1f} held_turns_per_s={now['held']['per_s']:.1f} "
          f"held_range={min(now['held']['rates']):.1f}-{max(now['held']['rates']):.1f} processes={processes} "
          f"p95_vs_health_p50={now['p95'] / health['p50']:.1f}x{ratio} load={load[0]:.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paced", type=int, default=40)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2, help="worker processes")
    parser.add_argument("--held", type=int, default=3, help="held bursts (the median is reported)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker process")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between paced replies")
    parser.add_argument("--compare-loops", action="store_true",
                        help="also run with the other WORKER_EVENT_LOOPS mode (shared ↔ per_thread)")
    arguments = parser.parse_args()
    if arguments.held < 1:
        parser.error("--held must be at least 1")
    asyncio.run(main(arguments.paced, arguments.burst, arguments.held, arguments.processes, arguments.threads,
                     arguments.interval, arguments.compare_loops))
