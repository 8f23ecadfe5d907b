"""Optional expiry per approval kind: `expire` discards the draft and tells the agent (the run ends), `escalate`
flags the approval and keeps it pending. A decision after the deadline is refused even before a sweep."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from core.settings import get_settings
from store.db import unit_of_work
from tests.agents_flow import decide, one_message_draft, outbox_rows, pending
from tests.conftest import manager_headers
from tests.support.jobs import run_jobs
from workers.approvals import sweep_approvals


async def drafts_waiting(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    drafts = [await one_message_draft(client, headers)]
    async with unit_of_work() as session:  # an hour later, without waiting an hour
        await session.execute(text("UPDATE approvals SET expires_at = now() - interval '1 minute' "
                                   "WHERE kind = 'message'"))
    return drafts


@pytest.fixture
def message_expiry(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    def configure(action: str) -> None:
        monkeypatch.setattr(get_settings(), "APPROVAL_EXPIRY_HOURS", {"message": 1.0})
        monkeypatch.setattr(get_settings(), "APPROVAL_EXPIRY_ACTION", {"message": action})
    return configure


async def test_expired_message_is_discarded_and_the_run_ends(client: httpx.AsyncClient, message_expiry) -> None:  # type: ignore[no-untyped-def]
    message_expiry("expire")
    headers = await manager_headers(client)
    [draft] = await drafts_waiting(client, headers)
    assert draft["expires_at"] is not None
    late = await decide(client, headers, draft["id"], "approve")
    assert late.status_code == 409 and late.json()["code"] == "approval_expired"
    assert await sweep_approvals() == {"expired": 1, "escalated": 0}
    assert await sweep_approvals() == {"expired": 0, "escalated": 0}
    await run_jobs()
    detail = (await client.get(f"/approvals/{draft['id']}", headers=headers)).json()
    assert detail["status"] == "expired" and detail["draft"]["status"] == "discarded"
    assert detail["events"][-1]["event"] == "expired" and detail["events"][-1]["actor_type"] == "system"
    runs = (await client.get(f"/campaigns/{draft['campaign_id']}/runs", headers=headers)).json()
    assert ("outreach", "completed", "expired") in {(r["kind"], r["status"], r["outcome"]) for r in runs}
    assert await outbox_rows("messages.") == []


async def test_escalated_message_stays_pending_and_can_be_approved(client: httpx.AsyncClient,
                                                                   message_expiry) -> None:  # type: ignore[no-untyped-def]
    message_expiry("escalate")
    headers = await manager_headers(client)
    [draft] = await drafts_waiting(client, headers)
    assert await sweep_approvals() == {"expired": 0, "escalated": 1}
    assert await sweep_approvals() == {"expired": 0, "escalated": 0}
    [escalated] = await pending(client, headers, "message")
    assert escalated["escalated_at"] is not None
    assert (await decide(client, headers, draft["id"], "approve")).status_code == 200
    assert len(await outbox_rows("messages.send_email")) == 1
