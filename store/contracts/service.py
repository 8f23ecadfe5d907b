"""Contracts in the store: starting the contract agent for agreed negotiations, creating the contract row, access
rules (the organization's managers, the creator's own login) and the status transitions. The other rules of the
contract domain sit beside it: `agreed_terms.py` + `drafting.py` (negotiation → terms → contract), `approval.py` (what
approving commits), `issuing.py` (PDF + signing link), `signing.py` (view, sign, countersign); payouts are
`store/payments/payouts.py`. Those that render, store or e-sign take the integration as an argument
(`documents.py`, `store/signing/provider.py`). Flushes only.

How the contract agent starts (whoever marks a negotiation agreed):
- `start_for_negotiation(negotiation_id)` writes the outbox job `contracts.generate` (key `contract:<negotiation>`)
  in the caller's transaction; the job calls `start_run`.
- `sweep_agreed()` (the `contracts.sweep` job, enqueued by the scheduler, or `influency contracts sweep`) starts
  a run for every agreed negotiation that has none, so nothing depends on the caller remembering.
Either way one agent run per negotiation (agent_runs.idempotency_key `contract:<negotiation>`).
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, NotFound
from store.agent_runs.service import AgentRunService, NewRun
from store.campaigns.repository import CampaignRepository
from store.contracts.repository import CONTRACT_RUN_PREFIX, ContractRepository
from store.jobs import CONTRACTS_GENERATE, ContractGenerate
from store.models import (
    AgentRun,
    CampaignStatus,
    Contract,
    ContractSignature,
    ContractStatus,
    Creator,
    Negotiation,
    NegotiationStatus,
    RunKind,
    SignerRole,
)
from store.outbox.repository import OutboxRepository

SUBJECT_TYPE = "contract"  # signing tokens' subject type
# Not sent to the creator (yet, or ever): invisible to them.
UNSENT = (ContractStatus.pending_approval, ContractStatus.rejected, ContractStatus.approved)


@dataclass(frozen=True)
class IssuedDocument:
    key: str
    sha256: str
    size: int
    issued_on: date


def contract_not_found() -> NotFound:
    return NotFound("Contract not found", code="contract_not_found")


class ContractService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.contracts = ContractRepository(session)
        self.outbox = OutboxRepository(session)

    # ------------------------------------------------------------------ starting the contract agent
    async def start_for_negotiation(self, negotiation_id: uuid.UUID) -> bool:
        """Queue contract generation for an agreed negotiation (in the caller's transaction); False if queued before."""
        return await self.outbox.enqueue(CONTRACTS_GENERATE, ContractGenerate(negotiation_id=negotiation_id),
                                         f"{CONTRACT_RUN_PREFIX}{negotiation_id}")

    async def start_run(self, negotiation_id: uuid.UUID) -> AgentRun | None:
        """The negotiation's contract run (created with its `agents.run` job once); None unless it is agreed and its
        campaign still runs."""
        negotiation = await self.contracts.negotiation(negotiation_id, for_update=True)
        if negotiation is None or negotiation.status != NegotiationStatus.agreed:
            return None
        campaign = await CampaignRepository(self.session).get(negotiation.organization_id, negotiation.campaign_id)
        if campaign is None or campaign.status == CampaignStatus.cancelled:
            return None
        return await AgentRunService(self.session).start(NewRun(
            organization_id=negotiation.organization_id, campaign_id=negotiation.campaign_id, kind=RunKind.contract,
            idempotency_key=f"{CONTRACT_RUN_PREFIX}{negotiation.id}", input={"negotiation_id": str(negotiation.id)},
            creator_id=negotiation.creator_id))

    async def sweep_agreed(self, limit: int = 100) -> int:
        started = 0
        for negotiation_id in await self.contracts.agreed_without_contract_run(limit):
            started += await self.start_run(negotiation_id) is not None
        return started

    # ------------------------------------------------------------------ creation (the agent's first node)
    async def negotiation_for_run(self, negotiation_id: uuid.UUID, organization_id: uuid.UUID) -> Negotiation | None:
        negotiation = await self.contracts.negotiation(negotiation_id, for_update=True)
        return negotiation if negotiation is not None and negotiation.organization_id == organization_id else None

    async def create(self, negotiation: Negotiation, *, run_id: uuid.UUID, terms: dict[str, Any], template_id: str,
                     template_version: str, countersignature_required: bool) -> Contract:
        """The negotiation's contract (created once) and the negotiation marked `contracted`."""
        contract = await self.contracts.insert_once({
            "organization_id": negotiation.organization_id, "campaign_id": negotiation.campaign_id,
            "creator_id": negotiation.creator_id, "negotiation_id": negotiation.id, "run_id": run_id,
            "reference": f"CTR-{secrets.token_hex(5).upper()}", "template_id": template_id,
            "template_version": template_version, "terms": terms,
            "countersignature_required": countersignature_required})
        if negotiation.status == NegotiationStatus.agreed:
            negotiation.status = NegotiationStatus.contracted
        await self.session.flush()
        return contract

    # ------------------------------------------------------------------ access
    async def for_manager(self, organization_id: uuid.UUID | None, contract_id: uuid.UUID, *,
                          for_update: bool = False) -> Contract:
        contract = (await self.contracts.get(contract_id, organization_id, for_update=for_update)
                    if organization_id is not None else None)
        if contract is None:
            raise contract_not_found()
        return contract

    async def creator_of_user(self, user_id: uuid.UUID) -> Creator | None:
        return await CampaignRepository(self.session).creator_of_user(user_id)

    async def for_creator_user(self, user_id: uuid.UUID, contract_id: uuid.UUID, *,
                               for_update: bool = False) -> Contract:
        creator = await self.creator_of_user(user_id)
        contract = await self.contracts.get(contract_id, for_update=for_update) if creator else None
        if contract is None or creator is None or contract.creator_id != creator.id or contract.status in UNSENT:
            raise contract_not_found()
        return contract

    async def for_creator_campaign(self, user_id: uuid.UUID, campaign_id: uuid.UUID) -> Contract:
        creator = await self.creator_of_user(user_id)
        contract = await self.contracts.latest_for(campaign_id, creator.id) if creator else None
        if contract is None or contract.status in UNSENT:
            raise NotFound("No contract has been sent to you for this campaign", code="contract_not_found")
        return contract

    async def get(self, contract_id: uuid.UUID, *, for_update: bool = False) -> Contract:
        """Any tenant's: for agent runs and signing links, whose callers check the tenant themselves."""
        contract = await self.contracts.get(contract_id, for_update=for_update)
        if contract is None:
            raise contract_not_found()
        return contract

    async def page(self, organization_id: uuid.UUID | None, *, campaign_id: uuid.UUID | None,
                   creator_id: uuid.UUID | None, status: ContractStatus | None, limit: int,
                   offset: int) -> tuple[list[Contract], int]:
        return await self.contracts.page(organization_id, campaign_id=campaign_id, creator_id=creator_id,
                                         status=status, limit=limit, offset=offset)

    async def signatures(self, contract_id: uuid.UUID) -> list[ContractSignature]:
        return await self.contracts.signatures(contract_id)

    async def signature(self, contract_id: uuid.UUID, role: SignerRole) -> ContractSignature | None:
        return await self.contracts.signature(contract_id, role)

    # ------------------------------------------------------------------ transitions
    async def approve(self, contract: Contract, terms: dict[str, Any]) -> None:
        ensure_status(contract, ContractStatus.pending_approval)
        contract.terms = terms
        contract.status = ContractStatus.approved
        contract.approved_at = datetime.now(UTC)
        await self.session.flush()

    async def close_unapproved(self, contract: Contract) -> bool:
        """A rejected (or expired) approval: the contract is not sent. False when it had moved on already."""
        if contract.status != ContractStatus.pending_approval:
            return False
        contract.status = ContractStatus.rejected
        await self.session.flush()
        return True

    async def issue(self, contract: Contract, document: IssuedDocument) -> None:
        ensure_status(contract, ContractStatus.approved)
        contract.document_key, contract.document_sha256 = document.key, document.sha256
        contract.document_size, contract.issued_on = document.size, document.issued_on
        contract.status = ContractStatus.awaiting_signature
        contract.sent_at = datetime.now(UTC)
        await self.session.flush()

    async def record_signature(self, contract: Contract, signature: ContractSignature, signed_document_key: str,
                               signed_document_sha256: str) -> None:
        """Store the signature and the re-made signed PDF; the creator's signature moves the contract to
        awaiting_countersignature (or active), the brand's to active."""
        if signature.role == SignerRole.creator:
            ensure_status(contract, ContractStatus.awaiting_signature)
        else:
            ensure_status(contract, ContractStatus.awaiting_countersignature)
        if await self.contracts.signature(contract.id, signature.role) is not None:
            raise Conflict("This contract has already been signed", code="already_signed")
        await self.contracts.add_signature(signature)
        contract.signed_document_key, contract.signed_document_sha256 = signed_document_key, signed_document_sha256
        if signature.role == SignerRole.creator:
            contract.signed_at = signature.signed_at
            contract.status = (ContractStatus.awaiting_countersignature if contract.countersignature_required
                               else ContractStatus.active)
        else:
            contract.countersigned_at = signature.signed_at
            contract.status = ContractStatus.active
        await self.session.flush()

    async def complete(self, contract: Contract) -> None:
        if contract.status == ContractStatus.active:
            contract.status = ContractStatus.completed
            contract.completed_at = datetime.now(UTC)
            await self.session.flush()


def ensure_status(contract: Contract, *allowed: ContractStatus) -> None:
    if contract.status not in allowed:
        raise Conflict(f"The contract is {contract.status}; this needs it to be "
                       f"{' or '.join(str(status) for status in allowed)}", code="contract_status_conflict",
                       details={"status": str(contract.status)})
