"""Negotiation records, the limits offers must respect, and the conversation's agent thread. Flushes only.

- One agent run per conversation (`RunKind.negotiation`, key `negotiation:<conversation id>`; its id is the
  LangGraph thread id). `start_turn` writes the `negotiation.turn` job for one reply or follow-up (key
  `turn:<run>:<turn id>`), so a turn never runs in a request and a turn is started once however often the same
  inbound item is processed.
- `limits` reads the per-creator ceiling (the brief's, scaled to the creator's audience or posted rates:
  `ceilings.creator_ceiling`) and the campaign budget left (budget minus the fees agreed with other creators);
  `past_fees` lists the fees this organization agreed with the creator before (shown to the agent and manager);
  `agree` records final terms from structured values only (the approved offer and the brief),
  never from message text, and queues the contract agent (`ContractService.start_for_negotiation`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from store.agent_runs.repository import AgentRunRepository
from store.campaigns.brief import brief_of, main_category
from store.campaigns.repository import CampaignRepository
from store.contracts.agreed_terms import open_terms
from store.contracts.service import ContractService
from store.conversations.repository import ConversationRepository
from store.followups.service import FollowUpService
from store.jobs import NEGOTIATION_TURN, NegotiationTurn, TurnRequest
from store.models import (
    AgentRun,
    Campaign,
    Conversation,
    ConversationStatus,
    Negotiation,
    NegotiationStatus,
    ParticipationStatus,
    RunKind,
    RunStatus,
)
from store.negotiations.ceilings import creator_ceiling
from store.negotiations.repository import NegotiationRepository
from store.notifications.service import NewNotification, NotificationService
from store.outbox.repository import OutboxRepository
from store.updates import write_changes


@dataclass(frozen=True)
class Limits:
    currency: str | None
    ceiling: Decimal | None  # per creator (the brief's fee_ceiling, or scaled for this creator)
    target: Decimal | None
    budget_left: Decimal | None  # None: the brief sets no budget
    ceiling_basis: str | None = None  # how this creator's ceiling was set (None: the brief's flat ceiling)

    @property
    def limit(self) -> Decimal | None:
        values = [value for value in (self.ceiling, self.budget_left) if value is not None]
        return min(values) if values else None


def decimal_or_none(value: Any) -> Decimal | None:
    try:
        return None if value is None or value == "" else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


class NegotiationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.negotiations = NegotiationRepository(session)

    # ------------------------------------------------------------------ the conversation's agent thread
    async def ensure_run(self, conversation: Conversation) -> AgentRun:
        run, _ = await AgentRunRepository(self.session).insert_once({
            "organization_id": conversation.organization_id, "campaign_id": conversation.campaign_id,
            "kind": RunKind.negotiation, "idempotency_key": f"negotiation:{conversation.id}",
            "input": {"conversation_id": str(conversation.id), "creator_id": str(conversation.creator_id)},
            "creator_id": conversation.creator_id})
        return run

    async def start_turn(self, conversation: Conversation, turn: dict[str, Any]) -> bool:
        """Queue one agent turn (`turn["id"]` is unique per reply / follow-up); False when the run is cancelled
        (the campaign stopped) or this turn was queued before."""
        run = await self.ensure_run(conversation)
        if run.status == RunStatus.cancelled:
            return False
        job = NegotiationTurn(run_id=run.id, turn=TurnRequest.model_validate(turn))
        return await OutboxRepository(self.session).enqueue(NEGOTIATION_TURN, job,
                                                        f"turn:{run.id}:{turn['id']}")

    # ------------------------------------------------------------------ the record
    async def record_for(self, conversation: Conversation) -> Negotiation:
        return await self.negotiations.get_or_create(conversation)

    async def get(self, conversation_id: uuid.UUID) -> Negotiation | None:
        return await self.negotiations.for_conversation(conversation_id)

    async def limits(self, campaign: Campaign, negotiation_id: uuid.UUID | None,
                     creator_id: uuid.UUID | None = None) -> Limits:
        brief = brief_of(campaign)
        budget_left = (brief.budget - await self.negotiations.committed_fees(campaign.id, negotiation_id)
                       if brief.budget is not None else None)
        scaled = brief.fee_per_1k_followers is not None or brief.ceiling_from_rates  # else the creator is not read
        creator = (await CampaignRepository(self.session).creator(creator_id)
                   if creator_id is not None and scaled else None)
        ceiling = creator_ceiling(brief, creator)
        return Limits(currency=brief.currency.upper() if brief.currency else None, ceiling=ceiling.amount,
                      target=brief.fee_target, budget_left=budget_left, ceiling_basis=ceiling.basis)

    async def past_fees(self, organization_id: uuid.UUID, creator_id: uuid.UUID,
                        exclude: uuid.UUID | None = None, limit: int = 5) -> list[dict[str, Any]]:
        """Fees this organization agreed with the creator in other negotiations, latest first (JSON values)."""
        rows = await self.negotiations.past_agreed(organization_id, creator_id, exclude, limit)
        return [{"campaign": name, "fee": str(negotiation.fee), "currency": negotiation.currency,
                 "agreed_at": negotiation.agreed_at.date().isoformat() if negotiation.agreed_at else None}
                for negotiation, name in rows]

    async def note_round(self, negotiation: Negotiation, rounds: int, ask: Decimal | None,
                         currency: str | None) -> None:
        """The fee rounds so far and, when the reply named one, the creator's ask in `currency`, written now
        (`store/updates.write_changes`: one statement, not a flush)."""
        negotiation.rounds = rounds  # absolute, from the checkpoint: a re-run writes the same value
        if ask is not None:
            negotiation.creator_ask = ask
            negotiation.currency = currency
        await write_changes(self.session, negotiation)

    async def note_offer(self, negotiation: Negotiation, amount: Decimal, currency: str | None) -> None:
        negotiation.our_offer = amount
        negotiation.currency = currency or negotiation.currency
        await self.session.flush()

    async def agree(self, negotiation: Negotiation, conversation: Conversation, campaign: Campaign, fee: Decimal,
                    currency: str | None) -> dict[str, Any]:
        """Terms final: the record, the conversation, the creator's participation; the manager is told.
        Returns the agreed terms (for the audit event). Idempotent."""
        brief = brief_of(campaign)
        if negotiation.status != NegotiationStatus.agreed:
            negotiation.status = NegotiationStatus.agreed
            negotiation.fee = negotiation.our_offer = fee
            negotiation.currency = currency or negotiation.currency
            negotiation.deliverables = [item.model_dump(mode="json") for item in brief.deliverables]
            negotiation.start_date, negotiation.end_date = brief.start_date, brief.end_date
            usage, exclusivity = brief.usage_rights, brief.exclusivity
            negotiation.usage_rights = (", ".join(usage.channels) or None) if usage else None
            negotiation.usage_rights_months = usage.months if usage else None
            exclusive = exclusivity.exclusive if exclusivity else None
            negotiation.exclusive = exclusive
            negotiation.exclusivity = ((exclusivity.category or main_category(brief))
                                       if exclusivity and exclusive else None)
            negotiation.exclusivity_months = exclusivity.months if exclusivity and exclusive else None
            negotiation.payment_schedule = ([item.model_dump(mode="json", exclude_none=True)
                                             for item in brief.payment_schedule] if brief.payment_schedule else None)
            negotiation.agreed_at = dt.datetime.now(dt.UTC)
        conversation.status = ConversationStatus.agreed
        FollowUpService.stop(conversation)
        participation = await CampaignRepository(self.session).participation(campaign.id, conversation.creator_id,
                                                                              for_update=True)
        if participation is not None and participation.status in (ParticipationStatus.shortlisted,
                                                                   ParticipationStatus.invited):
            participation.status = ParticipationStatus.accepted
            participation.responded_at = dt.datetime.now(dt.UTC)
        terms = terms_of(negotiation)
        await ContractService(self.session).start_for_negotiation(negotiation.id)  # the contract agent takes over
        creator = await CampaignRepository(self.session).creator(conversation.creator_id)
        name = creator.display_name if creator else "a creator"
        still_open = [field.replace("_", " ") for field in open_terms(negotiation, brief)]
        next_step = ("The negotiation record is ready for the contract." if not still_open else
                     f"Still open before a contract can be drafted: {', '.join(still_open)}. An approval of kind "
                     "'terms' asks you for them; the contract follows once you answer it.")
        await NotificationService(self.session).notify(NewNotification(
            organization_id=campaign.organization_id, user_id=campaign.created_by_id, campaign_id=campaign.id,
            kind="negotiation_agreed", idempotency_key=f"agreed:{negotiation.id}",
            subject=f"Terms agreed with {name} for {campaign.name}",
            body=(f"{name} agreed to {terms['fee']} {terms['currency'] or ''} for \"{campaign.name}\".\n\n"
                  f"Deliverables: {terms['deliverables'] or 'as in the brief'}\n"
                  f"Dates: {terms['start_date'] or '-'} to {terms['end_date'] or '-'}\n\n"
                  + next_step),
            data={"negotiation_id": str(negotiation.id), "conversation_id": str(conversation.id),
                  "creator_id": str(conversation.creator_id), "terms": terms}))
        await self.session.flush()
        return terms

    async def close(self, conversation: Conversation, *, reason: str) -> None:
        """The creator declined (or asked us to stop): no more turns or follow-ups; the record is cancelled."""
        conversation.status = ConversationStatus.closed
        FollowUpService.stop(conversation)
        negotiation = await self.negotiations.for_conversation(conversation.id, for_update=True)
        if negotiation is not None and negotiation.status == NegotiationStatus.open:
            negotiation.status = NegotiationStatus.cancelled
        await self.session.flush()

    async def creator_conversation(self, user_id: uuid.UUID, campaign_id: uuid.UUID) -> Conversation:
        """The conversation of the creator logged in as `user_id` about a campaign they were invited to."""
        campaigns = CampaignRepository(self.session)
        creator = await campaigns.creator_of_user(user_id)
        campaign = await campaigns.get_any_tenant(campaign_id)
        participation = (await campaigns.participation(campaign_id, creator.id)
                         if creator is not None and campaign is not None else None)
        if (creator is None or campaign is None or campaign.deleted_at is not None or participation is None
                or participation.status in (ParticipationStatus.shortlisted, ParticipationStatus.removed)):
            raise NotFound("No invitation to this campaign", code="invitation_not_found")
        return await ConversationRepository(self.session).get_or_create(campaign.organization_id, campaign.id,
                                                                        creator.id)

    async def for_campaign(self, organization_id: uuid.UUID | None, campaign_id: uuid.UUID) -> list[Negotiation]:
        if await CampaignRepository(self.session).get(organization_id, campaign_id) is None:
            raise NotFound("Campaign not found", code="campaign_not_found")
        return await self.negotiations.for_campaign(campaign_id)


def terms_of(negotiation: Negotiation) -> dict[str, Any]:
    """The record's terms as JSON values (exact decimals as strings)."""
    return {"fee": str(negotiation.fee) if negotiation.fee is not None else None, "currency": negotiation.currency,
            "deliverables": negotiation.deliverables,
            "start_date": negotiation.start_date.isoformat() if negotiation.start_date else None,
            "end_date": negotiation.end_date.isoformat() if negotiation.end_date else None,
            "usage_rights": negotiation.usage_rights, "usage_rights_months": negotiation.usage_rights_months,
            "exclusivity": negotiation.exclusivity, "exclusivity_months": negotiation.exclusivity_months,
            "exclusive": negotiation.exclusive, "payment_schedule": negotiation.payment_schedule}
