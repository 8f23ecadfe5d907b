"""The contract agent's first step: the agreed negotiation → a contract row in `pending_approval`, with what its
approval shows (terms, clause-by-clause difference from the standard template, budget figures).

Runs in the caller's transaction; creating the contract twice yields the first one (one per negotiation), and the
negotiation is marked `contracted`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import get_settings
from store.campaigns.repository import CampaignRepository
from store.contracts.agreed_terms import Parties, terms_from_negotiation
from store.contracts.clause_diff import differences
from store.contracts.service import ContractService
from store.contracts.template import load_template
from store.contracts.terms import ContractTerms
from store.models import Campaign, Contract, ContractStatus, Negotiation, NegotiationStatus
from store.payments.service import PaymentService
from store.users.repository import UserRepository


@dataclass(frozen=True)
class PreparedContract:
    contract_id: str
    reference: str
    status: str
    creator_id: str
    creator_name: str
    terms: dict[str, Any]
    clause_diff: list[dict[str, Any]]
    budget: dict[str, str] | None
    template: dict[str, str]
    countersignature_required: bool


async def deal_of(session: AsyncSession, negotiation: Negotiation) -> tuple[Campaign, Parties] | None:
    """The negotiation's campaign and the contract's parties; None when one of them is gone."""
    campaigns, users = CampaignRepository(session), UserRepository(session)
    campaign = await campaigns.get(negotiation.organization_id, negotiation.campaign_id)
    creator = await campaigns.creator(negotiation.creator_id)
    organization = await users.get_organization(negotiation.organization_id)
    if campaign is None or creator is None or organization is None:
        return None
    manager = await users.get(campaign.created_by_id) if campaign.created_by_id else None
    creator_user = await users.get(creator.user_id) if creator.user_id else None
    return campaign, Parties(organization, manager, creator, creator_user)


def draft_terms(negotiation: Negotiation, campaign: Campaign, parties: Parties) -> ContractTerms:
    """The terms on the deployment's template. Raises `IncompleteTerms` naming the fields still open."""
    template = load_template(get_settings().CONTRACT_TEMPLATE)
    return terms_from_negotiation(negotiation, campaign, parties, template, datetime.now(UTC).date())


async def prepare_contract(session: AsyncSession, negotiation_id: uuid.UUID, organization_id: uuid.UUID,
                           run_id: uuid.UUID) -> PreparedContract | None:
    """None when the negotiation is gone, another tenant's, or was never agreed. Raises `IncompleteTerms`."""
    contracts = ContractService(session)
    negotiation = await contracts.negotiation_for_run(negotiation_id, organization_id)
    if negotiation is None:
        return None
    existing = await contracts.contracts.by_negotiation(negotiation.id)
    if existing is None:
        if negotiation.status != NegotiationStatus.agreed:
            return None
        deal = await deal_of(session, negotiation)
        if deal is None:
            return None
        terms = draft_terms(negotiation, *deal)
        template = load_template(get_settings().CONTRACT_TEMPLATE)
        existing = await contracts.create(
            negotiation, run_id=run_id, terms=terms.model_dump(mode="json"), template_id=template.template_id,
            template_version=template.version, countersignature_required=template.countersignature_required)
    return await describe(session, existing)


async def describe(session: AsyncSession, contract: Contract) -> PreparedContract:
    terms = ContractTerms.model_validate(contract.terms)
    template = load_template(contract.template_id)
    budget = await PaymentService(session).budget_or_none(contract.organization_id, contract.campaign_id)
    return PreparedContract(
        contract_id=str(contract.id), reference=contract.reference, status=str(contract.status),
        creator_id=str(contract.creator_id), creator_name=terms.creator.legal_name,
        terms=contract.terms, clause_diff=[diff.model_dump(mode="json") for diff in differences(template, terms)],
        budget=budget.as_dict() if budget else None,
        template={"id": contract.template_id, "version": contract.template_version},
        countersignature_required=contract.countersignature_required)


def is_waiting(prepared: PreparedContract) -> bool:
    return prepared.status == ContractStatus.pending_approval
