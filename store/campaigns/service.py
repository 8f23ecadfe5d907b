"""Campaigns: CRUD scoped to the manager's organization (404 for anything else), the brief (editable until
confirmed; confirming freezes it and starts the discovery run), manual invitations, and the creator's side
(accept / decline). Flushes only; the caller's unit of work commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound
from store.agent_runs.service import AgentRunService, NewRun
from store.approvals.service import ApprovalService
from store.campaigns.brief import TERM_FIELDS, CampaignBrief, brief_of, store_brief
from store.campaigns.repository import CampaignRepository
from store.contacts.reachability import email_reachable
from store.contacts.service import DoNotContactService
from store.conversations.service import ConversationService, OutboundText
from store.creators.visibility import visible_creator, visible_creators
from store.models import (
    AgentRun,
    BriefMessage,
    BriefRole,
    Campaign,
    CampaignCreator,
    CampaignStatus,
    Creator,
    Message,
    MessageChannel,
    MessageStatus,
    Organization,
    ParticipationSource,
    ParticipationStatus,
    RunKind,
)
from store.notifications.service import NewNotification, NotificationService
from store.payments.budget_changes import ensure_budget_covers_commitments

# Which statuses a manager may move a campaign to, from where.
_TRANSITIONS: dict[CampaignStatus, set[CampaignStatus]] = {
    CampaignStatus.draft: {CampaignStatus.cancelled},
    CampaignStatus.active: {CampaignStatus.paused, CampaignStatus.completed, CampaignStatus.cancelled},
    CampaignStatus.paused: {CampaignStatus.active, CampaignStatus.completed, CampaignStatus.cancelled},
    CampaignStatus.completed: set(),
    CampaignStatus.cancelled: set(),
}


@dataclass(frozen=True)
class CampaignChanges:
    name: str | None = None
    description: str | None = None
    status: CampaignStatus | None = None
    brief_patch: dict[str, Any] | None = None  # only the brief fields the manager sent (field → typed value)
    brand_name: str | None = None
    campaign_type: str | None = None


@dataclass(frozen=True)
class BriefTurnRecord:
    manager_text: str
    reply: str
    brief: CampaignBrief
    changed_fields: list[str] = field(default_factory=list)
    model: str | None = None
    prompt_version: str | None = None


@dataclass(frozen=True)
class Invitation:
    participation: CampaignCreator
    message: Message | None


class CampaignService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.campaigns = CampaignRepository(session)

    # ------------------------------------------------------------------ manager CRUD
    async def create(self, organization_id: uuid.UUID | None, user_id: uuid.UUID, *, name: str,
                     description: str, brief: CampaignBrief, brand_name: str | None = None,
                     campaign_type: str | None = None) -> Campaign:
        if organization_id is None:
            raise InvalidInput("Only managers of an organization can create campaigns", code="no_organization")
        return await self.campaigns.add(Campaign(organization_id=organization_id, created_by_id=user_id, name=name,
                                                 description=description, status=CampaignStatus.draft,
                                                 brief=brief.stored(), brand_name=brand_name,
                                                 campaign_type=campaign_type))

    async def page(self, organization_id: uuid.UUID | None, *, status: CampaignStatus | None, query: str | None,
                   limit: int, offset: int) -> tuple[list[Campaign], int]:
        return await self.campaigns.page(organization_id, status=status, query=query, limit=limit, offset=offset)

    async def get(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID, *,
                  for_update: bool = False) -> Campaign:
        campaign = await self.campaigns.get(organization_id, campaign_id, for_update=for_update)
        if campaign is None:
            raise NotFound("Campaign not found", code="campaign_not_found")
        return campaign

    async def update(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID,
                     changes: CampaignChanges) -> Campaign:
        campaign = await self.get(organization_id, campaign_id, for_update=True)
        if changes.brief_patch:
            self._ensure_brief_open(campaign)
            await self._store_brief(campaign, brief_of(campaign).patched(changes.brief_patch))
        if changes.status is not None and changes.status != campaign.status:
            if changes.status not in _TRANSITIONS[campaign.status]:
                raise Conflict(f"A {campaign.status} campaign cannot become {changes.status}"
                               + (" (confirm the brief to start it)" if campaign.status == "draft" else ""),
                               code="invalid_status_transition")
            campaign.status = changes.status
            if changes.status in (CampaignStatus.completed, CampaignStatus.cancelled):
                await self._stop_agents(campaign, reason=f"campaign {changes.status}")
        if changes.name is not None:
            campaign.name = changes.name
        if changes.description is not None:
            campaign.description = changes.description
        if changes.brand_name is not None:
            campaign.brand_name = changes.brand_name
        if changes.campaign_type is not None:
            campaign.campaign_type = changes.campaign_type
        await self.session.flush()
        return campaign

    async def delete(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> None:
        """Soft delete: the campaign disappears, its runs stop and its pending approvals are cancelled."""
        campaign = await self.get(organization_id, campaign_id, for_update=True)
        campaign.deleted_at = datetime.now(UTC)
        if campaign.status not in (CampaignStatus.completed, CampaignStatus.cancelled):
            campaign.status = CampaignStatus.cancelled
        await self._stop_agents(campaign, reason="campaign deleted")
        await self.session.flush()

    async def _stop_agents(self, campaign: Campaign, reason: str) -> None:
        """Its runs stop (workers skip cancelled runs) and its pending approvals are cancelled, drafts discarded."""
        await AgentRunService(self.session).cancel_for_campaign(campaign.id)
        await ApprovalService(self.session).cancel_pending_for_campaign(campaign.id, reason=reason)

    async def participants(self, organization_id: uuid.UUID | None,
                           campaign_id: uuid.UUID) -> list[tuple[CampaignCreator, Creator]]:
        campaign = await self.get(organization_id, campaign_id)
        return await self.campaigns.participants(campaign.id)

    async def runs(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> list[AgentRun]:
        campaign = await self.get(organization_id, campaign_id)
        return await AgentRunService(self.session).for_campaign(campaign.id)

    async def retry_run(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID,
                        run_id: uuid.UUID) -> AgentRun:
        campaign = await self.get(organization_id, campaign_id)
        return await AgentRunService(self.session).retry(campaign.id, run_id)

    # ------------------------------------------------------------------ manual invitation
    async def invite(self, organization_id: uuid.UUID | None, user_id: uuid.UUID, campaign_id: uuid.UUID,
                     creator_id: uuid.UUID, *, note: str | None, send_email: bool,
                     organization_name: str) -> Invitation:
        """The manager's request is the decision: with `send_email` the invitation is queued right away."""
        campaign = await self.get(organization_id, campaign_id, for_update=True)
        if campaign.status in (CampaignStatus.completed, CampaignStatus.cancelled):
            raise Conflict(f"The campaign is {campaign.status}", code="campaign_closed")
        creator = await visible_creator(self.session, campaign.organization_id, creator_id)
        if send_email and not (email_reachable(creator) and not await DoNotContactService(self.session).is_blocked(
                "email", creator.email or "", organization_id)):
            raise InvalidInput("This creator cannot be emailed (no address, opted out, or on the do-not-contact "
                               "list); invite without send_email", code="creator_unreachable")
        await self.campaigns.add_participation_once(campaign.id, creator.id, ParticipationStatus.invited,
                                                    ParticipationSource.manual)
        participation = await self.campaigns.participation(campaign.id, creator.id, for_update=True)
        assert participation is not None
        if participation.invited_at is not None and participation.status != ParticipationStatus.removed:
            raise Conflict(f"This creator is already {participation.status}", code="already_invited")
        participation.status = ParticipationStatus.invited
        participation.invited_by_id = user_id
        participation.invited_at = datetime.now(UTC)
        message = None
        if send_email:
            message = await self._queue_invitation_email(campaign, creator, note, organization_name)
        await self.session.flush()
        return Invitation(participation, message)

    async def _queue_invitation_email(self, campaign: Campaign, creator: Creator, note: str | None,
                                      organization_name: str) -> Message:
        conversations = ConversationService(self.session)
        conversation = await conversations.open(campaign.organization_id, campaign.id, creator.id)
        body = (f"Hi {creator.display_name},\n\n"
                + (note.strip() if note and note.strip() else
                   f"{organization_name} would like to invite you to the campaign \"{campaign.name}\".")
                + f"\n\nReply to this email to tell us whether you are interested.\n\n{organization_name}")
        text = OutboundText(channel=MessageChannel.email, subject=f"Invitation: {campaign.name}", body_text=body,
                            to_address=creator.email, model="manual")
        message = await conversations.add_outbound(conversation, text, status=MessageStatus.draft,
                                                    idempotency_key=f"invite:{campaign.id}:{creator.id}")
        if message.status == MessageStatus.draft:
            await conversations.queue(message)
        return message

    # ------------------------------------------------------------------ brief
    @staticmethod
    def _ensure_brief_open(campaign: Campaign) -> None:
        if campaign.brief_confirmed_at is not None:
            raise Conflict("The brief is confirmed and can no longer change", code="brief_confirmed")

    async def brief_for_update(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> Campaign:
        campaign = await self.get(organization_id, campaign_id, for_update=True)
        self._ensure_brief_open(campaign)
        return campaign

    async def record_brief_turn(self, campaign: Campaign, author_id: uuid.UUID, turn: BriefTurnRecord) -> None:
        await self._store_brief(campaign, turn.brief)
        await self.campaigns.add_brief_message(BriefMessage(campaign_id=campaign.id, role=BriefRole.manager,
                                                            author_id=author_id, text=turn.manager_text,
                                                            changed_fields=[]))
        await self.campaigns.add_brief_message(BriefMessage(campaign_id=campaign.id, role=BriefRole.agent,
                                                            text=turn.reply, changed_fields=turn.changed_fields,
                                                            model=turn.model, prompt_version=turn.prompt_version))

    async def _store_brief(self, campaign: Campaign, brief: CampaignBrief) -> None:
        """Every brief write: the budget must still cover what contracts committed (campaign row locked)."""
        await ensure_budget_covers_commitments(self.session, campaign, brief)
        store_brief(campaign, brief)

    async def brief_messages(self, campaign_id: uuid.UUID) -> list[BriefMessage]:
        return await self.campaigns.brief_messages(campaign_id)

    async def confirm_brief(self, organization_id: uuid.UUID | None, user_id: uuid.UUID, campaign_id: uuid.UUID,
                            missing_fields: list[str], *, terms_later: bool = False) -> tuple[Campaign, AgentRun]:
        """Freeze the brief and start the discovery run (its `agents.run` job commits with the confirmation).
        The contract terms (`CampaignBrief.missing_terms`) are required unless the manager decides them later
        (`terms_later` here, or stated in the brief); that choice is stored in the brief."""
        campaign = await self.brief_for_update(organization_id, campaign_id)
        if campaign.status == CampaignStatus.cancelled:
            raise Conflict("The campaign is cancelled", code="campaign_closed")
        brief = brief_of(campaign)
        later = terms_later or brief.terms_later
        missing = list(dict.fromkeys([*missing_fields, *([] if later else brief.missing_terms())]))
        if missing:
            terms = [name for name in missing if name in TERM_FIELDS]
            hint = (" Give the contract terms, or confirm with {\"terms_later\": true} (or tell the brief agent to "
                    "\"decide the terms later\") to settle them when a creator agrees." if terms else "")
            raise InvalidInput(f"The brief still lacks: {', '.join(missing)}.{hint}", code="brief_incomplete",
                               details={"missing_fields": missing, "missing_terms": terms})
        if terms_later and not brief.terms_later:
            store_brief(campaign, brief.model_copy(update={"terms_later": True}))
        campaign.brief_confirmed_at = datetime.now(UTC)
        campaign.brief_confirmed_by_id = user_id
        campaign.status = CampaignStatus.active
        run = await AgentRunService(self.session).start(NewRun(
            organization_id=campaign.organization_id, campaign_id=campaign.id, kind=RunKind.discovery,
            idempotency_key=f"discovery:{campaign.id}", input={"brief": campaign.brief}))
        await self.session.flush()
        return campaign, run

    # ------------------------------------------------------------------ creator side
    async def _creator_of(self, user_id: uuid.UUID) -> Creator:
        creator = await self.campaigns.creator_of_user(user_id)
        if creator is None:
            raise NotFound("No creator profile for this account", code="creator_not_found")
        return creator

    async def campaigns_for_creator(self, user_id: uuid.UUID) -> list[tuple[CampaignCreator, Campaign]]:
        return await self.campaigns.campaigns_of_creator((await self._creator_of(user_id)).id)

    async def answer_invitation(self, user_id: uuid.UUID, campaign_id: uuid.UUID,
                                accept: bool) -> tuple[CampaignCreator, Campaign]:
        creator = await self._creator_of(user_id)
        campaign = await self.campaigns.get_any_tenant(campaign_id)
        participation = await self.campaigns.participation(campaign_id, creator.id, for_update=True)
        if (campaign is None or campaign.deleted_at is not None or participation is None
                or participation.status not in (ParticipationStatus.invited, ParticipationStatus.accepted,
                                                ParticipationStatus.declined)):
            raise NotFound("No invitation to this campaign", code="invitation_not_found")
        if participation.status != ParticipationStatus.invited:
            raise Conflict(f"You already {participation.status} this invitation", code="invitation_answered")
        participation.status = ParticipationStatus.accepted if accept else ParticipationStatus.declined
        participation.responded_at = datetime.now(UTC)
        if not accept:  # the manager hears about a "no" as soon as it happens
            await NotificationService(self.session).notify(NewNotification(
                organization_id=campaign.organization_id, user_id=campaign.created_by_id, campaign_id=campaign.id,
                kind="invitation_declined", idempotency_key=f"declined:{participation.id}",
                subject=f"{creator.display_name} declined the invitation to {campaign.name}",
                body=(f"{creator.display_name} declined your invitation to \"{campaign.name}\". Nothing more is sent "
                      "to them for this campaign."),
                data={"creator_id": str(creator.id)}))
        await self.session.flush()
        return participation, campaign

    # ------------------------------------------------------------------ agent side (tenant = the run's)
    async def campaign_for_run(self, campaign_id: uuid.UUID) -> Campaign | None:
        return await self.campaigns.get_any_tenant(campaign_id)

    async def shortlist(self, campaign_id: uuid.UUID, entries: list[tuple[uuid.UUID, float | None, list[str]]]) -> None:
        """Record approved shortlist entries; a creator already in the campaign keeps their status."""
        for creator_id, score, reasons in entries:
            await self.campaigns.add_participation_once(campaign_id, creator_id, ParticipationStatus.shortlisted,
                                                        ParticipationSource.agent, score, reasons)

    async def mark_invited(self, campaign_id: uuid.UUID, creator_id: uuid.UUID) -> None:
        """An outreach message was approved: the creator now sees the invitation (idempotent)."""
        participation = await self.campaigns.participation(campaign_id, creator_id, for_update=True)
        if participation is not None and participation.status == ParticipationStatus.shortlisted:
            participation.status = ParticipationStatus.invited
            participation.invited_at = datetime.now(UTC)
            await self.session.flush()

    async def participant_ids(self, campaign_id: uuid.UUID) -> set[uuid.UUID]:
        return await self.campaigns.participant_ids(campaign_id)

    async def creators_by_ids(self, organization_id: uuid.UUID,
                              creator_ids: list[uuid.UUID]) -> dict[uuid.UUID, Creator]:
        """Those of `creator_ids` the organization may contact (another tenant's prospects are left out)."""
        return await visible_creators(self.session, organization_id, creator_ids)

    async def creator(self, organization_id: uuid.UUID, creator_id: uuid.UUID) -> Creator | None:
        """The creator if the organization may contact them, else None."""
        found = await visible_creators(self.session, organization_id, [creator_id])
        return found.get(creator_id)

    async def company_name(self, organization_id: uuid.UUID) -> str | None:
        """The organization's name: drafts are signed by the company, not by the product or by us."""
        organization = await self.session.get(Organization, organization_id)
        return organization.name if organization else None
