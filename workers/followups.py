"""Follow-ups: conversations whose follow-up is due get a negotiation turn of kind `follow_up` (which drafts the
follow-up for approval). Run by the `messages.sweep` job (enqueued by the scheduler) or `influency messages
sweep`; safe anywhere at any time: due conversations are claimed with SKIP LOCKED and each claim counts one
follow-up."""

from __future__ import annotations

from datetime import UTC, datetime

from store.db import unit_of_work
from store.followups.service import FollowUpService
from store.negotiations.service import NegotiationService


async def start_due_follow_ups(now: datetime | None = None, limit: int = 200) -> int:
    """Queue a follow-up turn for every due conversation; how many were started."""
    async with unit_of_work() as session:
        started = 0
        negotiations = NegotiationService(session)
        for conversation, _ in await FollowUpService(session).claim_due(now or datetime.now(UTC), limit):
            number = conversation.follow_ups_sent
            turn = {"kind": "follow_up", "id": f"follow_up:{conversation.id}:{number}", "number": number}
            started += int(await negotiations.start_turn(conversation, turn))
    return started
