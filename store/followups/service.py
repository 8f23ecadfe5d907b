"""Follow-up scheduling. Flushes only; the caller's unit of work commits.

- An outbound message recorded `sent` makes the conversation due for a follow-up `follow_up_after_days` later
  (per campaign, default 3), while fewer than `follow_up_max` (default 2) follow-ups were drafted.
- Any reply clears it (`stop`); an out-of-office reply moves it to the day after the stated return date
  (`push_past`), or `follow_up_after_days` from now when no date is given.
- The message sweeper claims due conversations (`claim_due`): each claim counts one follow-up and clears the due
  time, and the caller starts a negotiation turn of kind `follow_up`, which drafts it for approval (kind
  `message`, sent without a human only when the brief's `auto_send` includes `follow_up`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from store.campaigns.repository import CampaignRepository
from store.followups.repository import FollowUpRepository
from store.models import Campaign, Conversation, ConversationStatus

RETURN_HOUR_UTC = 9  # an out-of-office creator is followed up the morning after they are back


class FollowUpService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.followups = FollowUpRepository(session)

    @staticmethod
    def _more_allowed(conversation: Conversation, campaign: Campaign) -> bool:
        return (conversation.status == ConversationStatus.open and campaign.follow_up_after_days > 0
                and conversation.follow_ups_sent < campaign.follow_up_max)

    def after_sent(self, conversation: Conversation, campaign: Campaign, sent_at: dt.datetime) -> None:
        """Our message went out: expect a reply within `follow_up_after_days`, else follow up."""
        if self._more_allowed(conversation, campaign):
            conversation.follow_up_due_at = sent_at + dt.timedelta(days=campaign.follow_up_after_days)

    @staticmethod
    def stop(conversation: Conversation) -> None:
        """The creator answered: no follow-up is pending any more."""
        conversation.follow_up_due_at = None

    def push_past(self, conversation: Conversation, campaign: Campaign, return_date: dt.date | None,
                  now: dt.datetime) -> dt.datetime | None:
        """Out of office: follow up after the return date (or the usual delay); the new due time, if any."""
        if not self._more_allowed(conversation, campaign):
            conversation.follow_up_due_at = None
            return None
        if return_date is not None:
            due = dt.datetime.combine(return_date + dt.timedelta(days=1), dt.time(RETURN_HOUR_UTC), dt.UTC)
        else:
            due = now + dt.timedelta(days=campaign.follow_up_after_days)
        conversation.follow_up_due_at = max(due, now)
        return conversation.follow_up_due_at

    async def configure(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID, *,
                        after_days: int | None, max_count: int | None) -> Campaign:
        """A manager sets the campaign's follow-up delay (0 turns follow-ups off) and cap."""
        campaign = await CampaignRepository(self.session).get(organization_id, campaign_id, for_update=True)
        if campaign is None:
            raise NotFound("Campaign not found", code="campaign_not_found")
        if after_days is not None:
            campaign.follow_up_after_days = after_days
        if max_count is not None:
            campaign.follow_up_max = max_count
        await self.session.flush()
        return campaign

    async def claim_due(self, now: dt.datetime, limit: int = 200) -> list[tuple[Conversation, Campaign]]:
        """Due conversations, each counted as one more follow-up and no longer due (the caller starts the turn
        in the same transaction)."""
        claimed = []
        for conversation, campaign in await self.followups.due(now, limit):
            conversation.follow_up_due_at = None
            if conversation.follow_ups_sent >= campaign.follow_up_max:
                continue
            conversation.follow_ups_sent += 1
            claimed.append((conversation, campaign))
        await self.session.flush()
        return claimed
