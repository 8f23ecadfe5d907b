"""Email sends approved together go out as one `messages.send_emails` job (the relay coalesces their outbox rows):
each message is still claimed, checked against do-not-contact, sent and recorded on its own terms; a retryable
failure retries the job for that message alone; overlapping batches never send a message twice."""

from __future__ import annotations

import asyncio
import uuid

import dramatiq
import httpx
import pytest
from sqlalchemy import update

from core.settings import get_settings
from store.contacts.service import DoNotContactService
from store.db import unit_of_work
from store.jobs import MESSAGES_SEND_EMAIL, MESSAGES_SEND_EMAILS, SYSTEM_PING
from store.jobs.coalesce import PendingRow, coalesce
from store.messages.service import MessageSendService
from store.models import Message
from tests.agents_flow import message_drafts
from tests.conftest import manager_headers
from tests.negotiation_flow import Sink, all_rows
from tests.support.jobs import RETRY, run_job, run_jobs
from tools.integrations.email_message import message_id_for
from workers.messages import send_messages

NAMES = ("Ana Ruiz", "Bea Sol", "Carla Vega", "Dora Gil")


def _row(job: str, message_id: uuid.UUID | None = None) -> PendingRow:
    payload = {"message_id": str(message_id)} if message_id else {"marker": "x"}
    return PendingRow(uuid.uuid4(), job, payload)


def test_pending_email_sends_are_dispatched_in_batches() -> None:
    ids = [uuid.uuid4() for _ in range(5)]
    ping = _row(SYSTEM_PING.name)
    rows = [_row(MESSAGES_SEND_EMAIL.name, ids[0]), ping, *(_row(MESSAGES_SEND_EMAIL.name, i) for i in ids[1:])]
    dispatches = coalesce(rows, batch_size=2)
    assert [d.job for d in dispatches] == [SYSTEM_PING.name, MESSAGES_SEND_EMAILS.name, MESSAGES_SEND_EMAILS.name,
                                           MESSAGES_SEND_EMAIL.name]
    assert [d.payload for d in dispatches[1:3]] == [{"message_ids": [str(i) for i in ids[:2]]},
                                                   {"message_ids": [str(i) for i in ids[2:4]]}]
    assert dispatches[3].payload == {"message_id": str(ids[4])} and dispatches[3].row_ids == [rows[-1].id]
    assert sorted(row_id for d in dispatches for row_id in d.row_ids) == sorted(row.id for row in rows)
    # one email, or batches turned off: every row is its own job, in order
    assert [d.row_ids for d in coalesce(rows[:2], batch_size=25)] == [[rows[0].id], [ping.id]]
    assert [d.job for d in coalesce(rows, batch_size=1)] == [row.job for row in rows]


async def _approved_drafts(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, Message]]:
    """Four outreach drafts, one per creator, approved in one bulk decision; the messages by creator name."""
    headers = await manager_headers(client)
    by_name = await message_drafts(client, headers, *NAMES)
    drafts, carla = list(by_name.values()), by_name["Carla Vega"]
    async with unit_of_work() as session:  # the sink answers 4xx to this address: a retryable failure
        await session.execute(update(Message).where(Message.approval_id == uuid.UUID(carla["id"]))
                              .values(to_address="tempfail@example.com"))
        await DoNotContactService(session).handle_stop("email", "dora.gil@example.com")  # after drafting
    decided = await client.post("/approvals/decisions", headers=headers, json={"decisions": [
        {"approval_id": d["id"], "action": "approve"} for d in drafts]})
    assert [r["status_code"] for r in decided.json()["results"]] == [200] * 4
    messages = {m.to_address: m for m in await all_rows(Message) if m.approval_id is not None}
    return headers, {name: messages[address] for name, address in zip(NAMES, (
        "ana.ruiz@example.com", "bea.sol@example.com", "tempfail@example.com", "dora.gil@example.com"), strict=True)}


async def test_emails_approved_together_go_out_as_one_batch(client: httpx.AsyncClient, mail_sink: Sink,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "MESSAGE_SEND_MAX_ATTEMPTS", 2)
    _, messages = await _approved_drafts(client)
    ran = await run_jobs()
    sends = [job for job in ran if job.name.startswith("messages.")]
    assert [(job.name, job.result) for job in sends] == [("messages.send_emails", RETRY)]  # Carla's 4xx
    assert sorted(sends[0].kwargs["message_ids"]) == sorted(str(m.id) for m in messages.values())
    after = {m.id: m for m in await all_rows(Message)}
    states = {name: (after[m.id].status, after[m.id].send_attempts) for name, m in messages.items()}
    assert states == {"Ana Ruiz": ("sent", 1), "Bea Sol": ("sent", 1), "Carla Vega": ("queued", 1),
                      "Dora Gil": ("failed", 1)}
    assert after[messages["Dora Gil"].id].failure_reason == "do_not_contact"
    assert (after[messages["Carla Vega"].id].failure_reason or "").startswith("attempt 1: temporary_failure")

    # Dramatiq redelivers the batch: only Carla's message is claimed again (and fails for good at the cap)
    outcomes = await run_job(MESSAGES_SEND_EMAILS, message_ids=sends[0].kwargs["message_ids"])
    assert outcomes == {messages["Ana Ruiz"].id: "not claimable (sent)", messages["Bea Sol"].id: "not claimable (sent)",
                        messages["Carla Vega"].id: "failed", messages["Dora Gil"].id: "not claimable (failed)"}
    expected = {message_id_for(f"message:{messages[name].id}", "influency.local") for name in ("Ana Ruiz", "Bea Sol")}
    assert sorted(mail_sink.message_ids()) == sorted(expected)  # each once


async def test_overlapping_batches_claim_each_message_once(client: httpx.AsyncClient) -> None:
    _, messages = await _approved_drafts(client)
    ids = [m.id for m in messages.values()]

    async def claim(order: list[uuid.UUID]) -> int:
        async with unit_of_work() as session:
            return sum(claim.job is not None for claim in await MessageSendService(session).claim_many(order))

    claimed = await asyncio.gather(claim(ids), claim(ids[::-1]), claim(ids[1:] + ids[1:]))
    assert sum(claimed) == 3  # Dora's is refused (do-not-contact); the others are claimed by exactly one batch


async def test_a_batch_facing_a_silent_server_records_retries_within_its_time_budget(
        client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that accepts connections and never answers: the batch stops waiting before the job's time limit
    and records every message as a retryable timeout (nothing is left `sending` until the lease runs out)."""
    _, messages = await _approved_drafts(client)
    silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    monkeypatch.setattr(get_settings(), "SMTP_HOST", "127.0.0.1")
    monkeypatch.setattr(get_settings(), "SMTP_PORT", silent.sockets[0].getsockname()[1])
    monkeypatch.setattr(get_settings(), "MESSAGE_SEND_LEASE_SECONDS", 2)  # time limit 1.5 s, budget 1.2 s
    started = asyncio.get_running_loop().time()
    try:
        with pytest.raises(dramatiq.Retry):
            await send_messages([m.id for m in messages.values()])
    finally:
        silent.close()
    assert asyncio.get_running_loop().time() - started < 5
    after = {m.id: m for m in await all_rows(Message)}
    states = {name: after[m.id].status for name, m in messages.items()}
    assert states == {"Ana Ruiz": "queued", "Bea Sol": "queued", "Carla Vega": "queued", "Dora Gil": "failed"}
    assert after[messages["Ana Ruiz"].id].failure_reason == (
        "attempt 1: timeout: not sent within the send job's time budget")
