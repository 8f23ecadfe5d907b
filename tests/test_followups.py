"""Follow-ups: drafted for approval N days after our message went out without a reply, capped per creator, stopped
by any reply, moved by an out-of-office, sent without a human only when the brief's auto_send allows it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from store.models import Approval, Conversation, Message, MessageDirection
from tests.agents_flow import FULL_BRIEF, confirmed_campaign, decide, pending, seed_creator
from tests.conftest import manager_headers
from tests.negotiation_flow import (
    Sink,
    Thread,
    all_rows,
    email_reply,
    pending_approvals,
    sent_outreach,
)
from tests.support.jobs import run_jobs
from workers.followups import start_due_follow_ups
from workers.messages import sweep_messages


async def conversation() -> Conversation:
    [row] = await all_rows(Conversation)
    return row


async def follow_up_when_due(mail_sink: Sink) -> int:
    due = (await conversation()).follow_up_due_at
    started = await start_due_follow_ups(due + timedelta(minutes=1)) if due else 0
    await run_jobs()
    return started


async def test_follow_ups_are_drafted_when_due_and_capped(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    await sent_outreach(client, headers, mail_sink)
    first_due = (await conversation()).follow_up_due_at
    [outreach] = await all_rows(Message, Message.direction == MessageDirection.outbound)
    assert first_due is not None and outreach.sent_at is not None
    assert abs(first_due - (outreach.sent_at + timedelta(days=3))) < timedelta(seconds=1)
    assert await start_due_follow_ups(datetime.now(UTC)) == 0  # not yet
    assert (await sweep_messages())["follow_ups"] == 0

    for number in (1, 2):
        assert await follow_up_when_due(mail_sink) == 1
        [draft] = await pending_approvals("message")
        args = draft.request["action_request"]["args"]
        assert draft.request["auto_send_kind"] == "follow_up" and f"follow-up {number} of 2" in (
            draft.request["description"])
        assert args["subject"].startswith("Re: ") and "EUR" not in args["body_text"]
        assert args["body_text"].startswith("Hola Ana")  # Ana's profile is Spanish: so is the follow-up
        assert ("última vez" in args["body_text"]) == (number == 2)
        assert (await decide(client, headers, str(draft.id), "approve")).status_code == 200
        await run_jobs()
    assert len(mail_sink.message_ids()) == 3
    assert (await conversation()).follow_ups_sent == 2 and (await conversation()).follow_up_due_at is None
    assert await start_due_follow_ups(datetime.now(UTC) + timedelta(days=30)) == 0


async def test_a_reply_stops_the_follow_up(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread: Thread = await sent_outreach(client, headers, mail_sink)
    await email_reply(client, thread, "Sounds interesting, tell me more.", "<more@mail.test>")
    await run_jobs()
    assert (await conversation()).follow_up_due_at is None
    assert await start_due_follow_ups(datetime.now(UTC) + timedelta(days=30)) == 0
    [answer] = await pending_approvals()  # the answer to her reply, not a follow-up
    assert answer.request["auto_send_kind"] is None and answer.action_id.startswith("reply:")


async def test_a_pending_follow_up_is_superseded_by_a_reply(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    thread = await sent_outreach(client, headers, mail_sink)
    assert await follow_up_when_due(mail_sink) == 1
    [follow_up] = await pending_approvals("message")
    await email_reply(client, thread, "Sorry for the delay, my fee is 1000 EUR.", "<late@mail.test>")
    await run_jobs()
    [superseded] = await all_rows(Approval, Approval.id == follow_up.id)
    assert superseded.status == "cancelled"
    assert [a.kind for a in await pending_approvals()] == ["offer"]


async def test_auto_send_follow_ups_go_without_a_human(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    await confirmed_campaign(client, headers, FULL_BRIEF | {"auto_send": ["follow_up"]})
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    await decide(client, headers, shortlist["id"], "approve")
    await run_jobs()
    [draft] = await pending(client, headers, "message")  # outreach itself still needs a human
    await decide(client, headers, draft["id"], "approve")
    await run_jobs()
    assert await follow_up_when_due(mail_sink) == 1
    assert await pending_approvals() == []
    [approval] = [a for a in await all_rows(Approval) if a.request.get("auto_send_kind") == "follow_up"]
    assert approval.status == "approved" and approval.decision and approval.decision["actor"]["type"] == "rule"
    assert len(mail_sink.message_ids()) == 2


async def test_follow_up_settings_per_campaign(client: httpx.AsyncClient, mail_sink: Sink) -> None:
    headers = await manager_headers(client)
    await seed_creator("Ana Ruiz")
    campaign = await confirmed_campaign(client, headers)
    off = await client.put(f"/campaigns/{campaign['id']}/follow-ups", headers=headers, json={"after_days": 0})
    assert off.status_code == 200 and off.json() == {"campaign_id": campaign["id"], "after_days": 0, "max_count": 2}
    bad = await client.put(f"/campaigns/{campaign['id']}/follow-ups", headers=headers, json={"max_count": -1})
    assert bad.status_code == 422
    await run_jobs()
    [shortlist] = await pending(client, headers, "shortlist")
    await decide(client, headers, shortlist["id"], "approve")
    await run_jobs()
    [draft] = await pending(client, headers, "message")
    await decide(client, headers, draft["id"], "approve")
    await run_jobs()
    assert len(mail_sink.message_ids()) == 1 and (await conversation()).follow_up_due_at is None
