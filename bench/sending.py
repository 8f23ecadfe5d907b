"""Sending throughput through the whole pipeline, and the WhatsApp limiter holding its rate.

    .venv/bin/python -m bench.sending --emails 500 --whatsapp 60 --rate 5

Email: approvals are decided in batches of --batch (`ApprovalDecisions.decide_many`, as `POST /approvals/decisions`
does) → outbox → the relay process → `--processes` Dramatiq worker processes (`messages.send_email`, on the event
loops `WORKER_EVENT_LOOPS` sets) → SMTP into an aiosmtpd sink in this process. Prints, for approvals made one at a
time, the approval commit → SMTP 250 latency p50/p95 (the pipeline's own latency: relay, broker, worker, SMTP); for
a burst of --emails, emails/s from the first decision to the last mail accepted (bounded by how fast this one
process decides); and `sending`: the same burst decided while the relay is paused (SIGSTOP), then let go, emails/s
from then to the last accept: the sending pipeline's own throughput. Every decision also enqueues its
`agents.resume` job, which the workers run too (here a no-op: the drafts' run has no graph). Creators are
bulk-inserted without their `creators.embed` jobs, so no embedding runs beside the sends.

WhatsApp: approved messages to distinct numbers → `messages.send_whatsapp` → the Cloud API stand-in, with
WHATSAPP_SEND_RATE_PER_SECOND=--rate (the stand-in runs in this process and notes when each request arrives).
Prints the requests per second overall and the most seen in any sliding one-second window, which must not exceed
the configured rate.

Uses a throwaway embedded PostgreSQL, its own Redis queue namespace and free ports; stops what it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import psutil

from bench.cpu import CpuMeter, named, postgres, tree

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _child_environment(data_dir: Path, database_url: str, smtp_port: int, standin_port: int,
                       rate: int) -> dict[str, str]:
    """The worker's, relay's and stand-in's settings (this process only writes rows through the services)."""
    from core.settings import process_environment

    values = {
        "ENVIRONMENT": "development", "DATA_DIR": str(data_dir), "BROKER": "redis", "LOG_LEVEL": "WARNING",
        "BROKER_NAMESPACE": f"bench-{secrets.token_hex(4)}", "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port),
        "WHATSAPP_API_BASE_URL": f"http://127.0.0.1:{standin_port}", "WHATSAPP_STANDIN_PORT": str(standin_port),
        "WHATSAPP_STANDIN_WEBHOOK_URL": "http://127.0.0.1:9/nowhere", "WHATSAPP_SEND_RATE_PER_SECOND": str(rate),
        "WHATSAPP_PHONE_NUMBER_ID": f"9{secrets.randbelow(10**12):012d}", "LLM_PROVIDER": "offline",
        "WHATSAPP_RECIPIENT_INTERVAL_SECONDS": "0", "DATABASE_URL": database_url,
    }
    return process_environment() | values


class _Accepts:
    """SMTP sink handler: the time each Message-ID was accepted."""

    def __init__(self) -> None:
        self.accepted: dict[str, float] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from email.parser import BytesHeaderParser

        headers = BytesHeaderParser().parsebytes(envelope.original_content or b"")
        self.accepted.setdefault(str(headers["Message-ID"]), time.perf_counter())
        return "250 2.0.0 OK"


class _Arrivals:
    """ASGI wrapper around the stand-in: when each send request reached it (the limiter's effect, measured where
    Meta would see it)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.times: list[float] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"].endswith("/messages"):
            self.times.append(time.time())
        await self.app(scope, receive, send)


async def _serve_standin(port: int) -> tuple[_Arrivals, Any, asyncio.Task[None]]:
    import uvicorn

    from api.standins.whatsapp_cloud import create_standin_app

    arrivals = _Arrivals(create_standin_app(webhook_url="http://127.0.0.1:9/nowhere", status_delay=0.2,
                                            app_secret="bench"))
    server = uvicorn.Server(uvicorn.Config(arrivals, host="127.0.0.1", port=port, lifespan="off",
                                           log_config=None, access_log=False))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # the server could not start: say why
        await asyncio.sleep(0.05)
    return arrivals, server, task


async def insert_creators(session: Any, count: int, tag: str) -> list[tuple[uuid.UUID, str]]:
    """`count` creators (id, email) in one bulk insert. ORM bulk inserts skip the flush hooks, so no
    `creators.embed` jobs: embedding hundreds of new creators in the worker would be measured with the sends."""
    from sqlalchemy import insert

    from store.models import Creator

    rows: list[dict[str, Any]] = [
        {"id": uuid.uuid4(), "display_name": f"Creator {index}", "email": f"c{index}.{tag}@example.com",
         "currency": "EUR"} for index in range(count)]
    await session.execute(insert(Creator), rows)
    return [(row["id"], row["email"]) for row in rows]


async def _seed(count: int, channel: str) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A manager, a campaign, one run and `count` message approvals (one creator each); the manager id and the
    approval ids."""
    from core.security import hash_password
    from store.approvals.service import ApprovalService, NewApproval
    from store.conversations.service import OutboundText
    from store.db import unit_of_work
    from store.models import (
        AgentRun,
        ApprovalKind,
        Campaign,
        CampaignStatus,
        MessageChannel,
        Organization,
        RunKind,
        RunStatus,
        User,
        UserRole,
    )

    tag = secrets.token_hex(3)
    async with unit_of_work() as session:
        organization = Organization(name=f"Bench {tag}")
        session.add(organization)
        await session.flush()
        manager = User(email=f"bench-{tag}@example.com", username=f"bench{tag}", full_name="Bench",
                       password_hash=hash_password("correct-horse-1"), role=UserRole.manager,
                       organization_id=organization.id)
        session.add(manager)
        await session.flush()
        campaign = Campaign(organization_id=organization.id, created_by_id=manager.id, name="Bench",
                            status=CampaignStatus.active, brief={"product": "Bench bar"})
        session.add(campaign)
        await session.flush()
        # the drafts' run: cancelled, so each decision's agents.resume job is a cheap no-op (no graph to resume)
        run = AgentRun(organization_id=organization.id, campaign_id=campaign.id, kind=RunKind.outreach,
                       idempotency_key=f"bench:{tag}:{channel}", input={}, status=RunStatus.cancelled)
        session.add(run)
        creators = await insert_creators(session, count, tag)
        approvals = ApprovalService(session)
        ids = []
        for index, (creator_id, email) in enumerate(creators):
            to = email if channel == "email" else f"+4477{index:08d}"
            approval, _ = await approvals.open(NewApproval(
                run=run, kind=ApprovalKind.message, action_id=f"message:{index}", creator_id=creator_id,
                request={"action_request": {"action": f"send_{channel}", "args": {}}, "description": "send?",
                         "config": {"allow_accept": True, "allow_edit": True, "allow_respond": True,
                                    "allow_ignore": True}, "kind": "message", "action_id": f"message:{index}"},
                draft=OutboundText(channel=MessageChannel(channel), subject="Hello" if channel == "email" else None,
                                   body_text=f"Hi Creator {index}, we would love to work with you.", to_address=to)))
            ids.append(approval.id)
        return manager.id, ids


async def _approve(manager_id: uuid.UUID, approval_ids: Sequence[uuid.UUID], batch: int) -> dict[uuid.UUID, float]:
    """Decide in batches; the commit time of each approval's batch."""
    from store.approvals.deciding import ApprovalDecisions
    from store.approvals.decision import Decision
    from store.approvals.service import Actor
    from store.db import unit_of_work
    from store.models import DecisionAction, User

    committed: dict[uuid.UUID, float] = {}
    for start in range(0, len(approval_ids), batch):
        chunk = approval_ids[start:start + batch]
        async with unit_of_work() as session:
            manager = await session.get(User, manager_id)
            assert manager is not None
            await ApprovalDecisions(session).decide_many(
                manager.organization_id, [(approval_id, Decision(DecisionAction.approve)) for approval_id in chunk],
                Actor.user(manager_id))
        now = time.perf_counter()
        committed.update({approval_id: now for approval_id in chunk})
    return committed


async def _messages_of(approval_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    from sqlalchemy import select

    from store.db import unit_of_work
    from store.models import Message

    async with unit_of_work() as session:
        rows = await session.execute(select(Message).where(Message.approval_id.in_(list(approval_ids))))
        return {row.approval_id: row for row in rows.scalars() if row.approval_id is not None}


async def _wait_all_sent(approval_ids: Sequence[uuid.UUID], seconds: float) -> dict[uuid.UUID, Any]:
    deadline = time.monotonic() + seconds
    while True:
        messages = await _messages_of(approval_ids)
        if all(m.status in ("sent", "failed") for m in messages.values()) or time.monotonic() > deadline:
            return messages
        await asyncio.sleep(0.2)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _max_in_window(stamps: list[float], window: float = 1.0) -> int:
    best, left = 0, 0
    for right, stamp in enumerate(stamps):
        while stamp - stamps[left] >= window:
            left += 1
        best = max(best, right - left + 1)
    return best


async def _bench_email(count: int, batch: int, accepts: _Accepts, label: str = "email",
                       held: subprocess.Popen[bytes] | None = None, meter: CpuMeter | None = None) -> float:
    """Decide `count` approvals and wait for their mails; returns emails/s. With `held` (the relay process), the
    relay is paused (SIGSTOP) while the approvals are decided and let go at once: the rate is then the sending
    pipeline's alone (outbox → relay → worker → SMTP), not bounded by how fast this process decides."""
    from tools.integrations.email_message import message_id_for

    manager_id, approval_ids = await _seed(count, "email")
    if held is not None:
        held.send_signal(signal.SIGSTOP)
    started = time.perf_counter()
    try:
        committed = await _approve(manager_id, approval_ids, batch)
    finally:
        if meter is not None:
            meter.start()
        if held is not None:
            held.send_signal(signal.SIGCONT)
    decided = time.perf_counter() - started
    if held is not None:
        started = time.perf_counter()
    messages = await _wait_all_sent(approval_ids, seconds=max(120.0, count / 5))
    sent = {aid: m for aid, m in messages.items() if m.status == "sent"}
    latencies = []
    for approval_id, message in sent.items():
        accepted = accepts.accepted.get(message_id_for(f"message:{message.id}", "influency.local"))
        if accepted is not None:
            latencies.append((accepted - committed[approval_id]) * 1000)
    finished = max(accepts.accepted.values(), default=started)
    rate = len(latencies) / (finished - started)
    path = ("relay let go → outbox → relay → actor → SMTP" if held is not None
            else "first approval → outbox → relay → actor → SMTP")
    print(f"{label + ':':<9} {len(sent)}/{count} sent, {len(accepts.accepted)} accepted by the sink, "
          f"{rate:.0f} emails/s ({path}); deciding the approvals took {decided:.1f} s "
          f"({count / decided:.0f}/s, batches of {batch})")
    if meter is not None:
        print("          " + meter.describe(meter.per_unit(len(latencies)), "email"))
    if latencies and held is None:
        print(f"          enqueue→accept latency p50 {statistics.median(latencies):.0f} ms, "
              f"p95 {_percentile(latencies, 0.95):.0f} ms (approval commit → SMTP 250)")
    return rate


async def _bench_paced_latency(count: int, interval: float, accepts: _Accepts, label: str = "paced") -> float:
    """One approval at a time: the pipeline's own latency without a queue in front of it."""
    from tools.integrations.email_message import message_id_for

    manager_id, approval_ids = await _seed(count, "email")
    committed: dict[uuid.UUID, float] = {}
    for approval_id in approval_ids:
        committed |= await _approve(manager_id, [approval_id], 1)
        await asyncio.sleep(interval)
    messages = await _wait_all_sent(approval_ids, seconds=60.0)
    latencies = [(accepts.accepted[mid] - committed[aid]) * 1000 for aid, m in messages.items()
                 if (mid := message_id_for(f"message:{m.id}", "influency.local")) in accepts.accepted]
    if not latencies:
        return float("nan")
    print(f"{label + ':':<9} {len(latencies)} approvals {interval * 1000:.0f} ms apart: enqueue→accept p50 "
          f"{statistics.median(latencies):.0f} ms, p95 {_percentile(latencies, 0.95):.0f} ms")
    return _percentile(latencies, 0.95)


async def _watch_grants(env: dict[str, str], grants: dict[str, float]) -> None:
    """Copy the limiter's sliding-window set (member → grant time, Redis clock) before it prunes it."""
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(env.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    key = f"ratelimit:{{wa:{env['WHATSAPP_PHONE_NUMBER_ID']}}}:rate"
    try:
        while True:
            entries: list[tuple[bytes, float]] = await client.zrange(key, 0, -1, withscores=True)  # type: ignore[assignment]
            for member, score in entries:
                grants[member.decode()] = float(score) / 1000
            await asyncio.sleep(0.1)
    finally:
        await client.aclose()


async def _bench_whatsapp(count: int, rate: int, arrivals: _Arrivals, env: dict[str, str]) -> int:
    manager_id, approval_ids = await _seed(count, "whatsapp")
    arrivals.times.clear()
    grants: dict[str, float] = {}
    watcher = asyncio.create_task(_watch_grants(env, grants))
    await _approve(manager_id, approval_ids, 100)
    messages = await _wait_all_sent(approval_ids, seconds=max(60.0, 3 * count / rate))
    watcher.cancel()
    sent = sum(1 for m in messages.values() if m.status == "sent")
    granted, arrived = sorted(grants.values()), sorted(arrivals.times)
    if len(arrived) < 2 or len(granted) < 2:
        print(f"whatsapp: only {len(arrived)} requests reached the stand-in")
        return -1
    print(f"whatsapp: {sent}/{count} sent with WHATSAPP_SEND_RATE_PER_SECOND={rate}: the limiter granted "
          f"{len(granted) / (granted[-1] - granted[0]):.1f}/s, at most {_max_in_window(granted)} in any 1-second "
          f"window; at the stand-in {len(arrived) / (arrived[-1] - arrived[0]):.1f}/s, busiest 1-second window "
          f"{_max_in_window(arrived)} (grant → request delays bunch arrivals)")
    return _max_in_window(granted)


def _spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=open(log, "ab"),  # noqa: SIM115
                            stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for_line(log: Path, text: str, count: int = 1, seconds: float = 240.0) -> None:
    """Block until `text` appears `count` times in a child's log (e.g. each worker process's embedder warm-up
    finishing: while it imports torch it holds the GIL for seconds, so anything measured before then measures the
    boot, not the pipeline)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.exists() and log.read_bytes().count(text.encode()) >= count:
            return
        time.sleep(0.2)
    raise TimeoutError(f"{text!r} not in {log} after {seconds:.0f} s")


WORKER_WARM = "embedding model ready"  # tools/embeddings/warmup.py, logged once per worker process


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


async def main(emails: int, whatsapp: int, rate: int, batch: int, n_processes: int, threads: int) -> None:
    import logging

    from aiosmtpd.smtp import SMTP

    logging.getLogger("api.standins.whatsapp_cloud").setLevel(logging.ERROR)  # its webhooks go nowhere here

    from core.settings import get_settings, set_process_defaults

    data_dir = Path(tempfile.mkdtemp(prefix="influency-bench-sending-"))
    smtp_port, standin_port = _free_port(), _free_port()
    set_process_defaults()
    from store import db
    from store.embedded import start_embedded_postgres
    from store.migrate import upgrade

    url = start_embedded_postgres(data_dir, cleanup="delete")
    await asyncio.to_thread(upgrade, url)
    from agents.checkpointer import setup_checkpointer

    await asyncio.to_thread(setup_checkpointer, url)  # each decision also resumes its (here: empty) agent run
    db.reset_for_tests(url)
    env = _child_environment(data_dir, url, smtp_port, standin_port, rate)
    accepts = _Accepts()
    loop = asyncio.get_running_loop()
    sink = await loop.create_server(lambda: SMTP(accepts, hostname="bench-sink"), "127.0.0.1", smtp_port)
    python = sys.executable
    processes = [
        _spawn([python, "-m", "dramatiq", "workers.actors", "--processes", str(n_processes), "--threads", str(threads)],
               env, data_dir / "worker.log"),
        _spawn([python, "-m", "cli.main", "relay"], env, data_dir / "relay.log"),
    ]
    arrivals, standin, standin_task = await _serve_standin(standin_port)
    try:
        await asyncio.to_thread(_wait_for_line, data_dir / "worker.log", WORKER_WARM, n_processes)
        print(f"{n_processes} worker process(es) × {threads} threads (event loops: "
              f"{get_settings().WORKER_EVENT_LOOPS}); logs in {data_dir}")
        await _bench_email(20, batch, accepts, "warm-up")  # imports, pools, connections
        # single sends on every worker thread: each loop's SMTP pool opens its connections on first use (the
        # batch above runs on one thread's loop with `per_thread` loops), which the paced figure should not count
        await _bench_paced_latency(4 * n_processes * threads, 0.02, accepts, "warm-up")
        accepts.accepted.clear()
        paced_p95 = await _bench_paced_latency(30, 0.25, accepts)
        accepts.accepted.clear()
        end_to_end = await _bench_email(emails, batch, accepts, "email")
        accepts.accepted.clear()
        meter = CpuMeter({"workers": partial(tree, processes[0].pid), "relay": partial(tree, processes[1].pid),
                          "postgres": partial(postgres, data_dir), "redis": partial(named, "redis-server"),
                          "bench (SMTP sink)": lambda: [psutil.Process()]})
        sending = await _bench_email(emails, batch, accepts, "sending", held=processes[1], meter=meter)
        most = await _bench_whatsapp(whatsapp, rate, arrivals, env)
        print(f"RESULT sending emails_per_s={sending:.0f} with_decisions_per_s={end_to_end:.0f} paced_p95_ms="
              f"{paced_p95:.0f} whatsapp_max_per_1s={most}/{rate} processes={n_processes} "
              f"load={os.getloadavg()[0]:.1f}")
    finally:
        _stop(processes)
        standin.should_exit = True
        await standin_task
        sink.close()
        await db.dispose_engine()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--emails", type=int, default=500)
    parser.add_argument("--whatsapp", type=int, default=60)
    parser.add_argument("--rate", type=int, default=5, help="WHATSAPP_SEND_RATE_PER_SECOND (low enough to bind)")
    parser.add_argument("--batch", type=int, default=50, help="approvals per decision batch")
    parser.add_argument("--processes", type=int, default=2, help="worker processes")
    parser.add_argument("--threads", type=int, default=8, help="worker threads per process")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.emails, arguments.whatsapp, arguments.rate, arguments.batch, arguments.processes,
                     arguments.threads))
