"""What deciding a `contract` approval does, in the decision's transaction (kind `contract` in
`store/approvals/effects.py`).

approve / edit: an edit changes negotiable positions only (schedule, deliverables, usage rights, exclusivity,
disclosure, revisions, cancellation, governing law, extra or omitted clauses — never the parties, the fee or the
campaign, which come from the negotiation record) and must still make valid terms (422 saying what to fix). Then,
under the campaign row lock, the fee is committed against the budget (409 `budget_exceeded` if it does not fit:
nothing changes and the approval stays pending), the deliverables and payments are created and the contract is
`approved`. The agent, resumed after the commit, renders, stores and sends it.
reject / expire: nothing here; the resumed agent marks the contract rejected.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput, NotFound
from store.approvals.decision import Decision, EffectResult
from store.contracts.agreed_terms import describe_error
from store.contracts.service import ContractService, ensure_status
from store.contracts.template import rendered
from store.contracts.terms import ContractTerms
from store.deliverables.service import DeliverableService, PlannedDeliverable
from store.models import Approval, Contract, ContractStatus, DecisionAction
from store.payments.schedule import payout_idempotency_key, schedule_payments
from store.payments.service import PaymentService, PlannedPayment

FIXED_TERMS = ("brand", "creator", "campaign_name", "fee")  # from the negotiation record; not editable here
EDITABLE_TERMS = tuple(name for name in ContractTerms.model_fields if name not in FIXED_TERMS)
_APPROVAL_ARGS = ("contract_id", "reference", "terms", "clause_diff", "budget", "template",
                  "countersignature_required", "creator_name")


def _edited_terms(payload: dict[str, Any] | None, current: dict[str, Any]) -> dict[str, Any]:
    """The changed terms fields of an edit: `{"terms": {...}}`, plain fields, or Agent Inbox's `{action, args}`."""
    fields = payload or {}
    if isinstance(fields.get("args"), dict) and set(fields) <= {"action", "args"}:
        fields = fields["args"]
    if isinstance(fields.get("terms"), dict):
        fields = {**{k: v for k, v in fields.items() if k != "terms"}, **fields["terms"]}
    unknown = sorted(set(fields) - set(ContractTerms.model_fields) - set(_APPROVAL_ARGS))
    if unknown:
        raise InvalidInput(f"Unknown contract fields: {', '.join(unknown)}; editable: {', '.join(EDITABLE_TERMS)}",
                           code="invalid_edit")
    changed = {key: value for key, value in fields.items()
               if key in ContractTerms.model_fields and current.get(key) != value}
    fixed = sorted(set(changed) & set(FIXED_TERMS))
    if fixed:
        raise InvalidInput(f"{', '.join(fixed)} come from the agreed negotiation and can't be edited here",
                           code="invalid_edit")
    if not changed:
        raise InvalidInput("The edit changes nothing; approve instead", code="invalid_edit")
    return changed


def _apply_edit(contract: Contract, terms: ContractTerms, changed: dict[str, Any]) -> ContractTerms:
    try:
        edited = ContractTerms.model_validate({**terms.model_dump(mode="json"), **changed})
    except ValidationError as exc:
        problems = [describe_error(error) for error in exc.errors()]
        raise InvalidInput("The edited terms are not valid: " + "; ".join(problems), code="invalid_edit",
                           details={"problems": problems}) from exc
    rendered(contract, edited)  # an omitted required or unknown clause is a 422 now, not at rendering
    return edited


async def contract_effect(session: AsyncSession, approval: Approval, decision: Decision) -> EffectResult:
    if not decision.accepted:
        return EffectResult(payload=decision.payload)
    contracts, payments = ContractService(session), PaymentService(session)
    contract_id = uuid.UUID(str(approval.request.get("action_request", {}).get("args", {}).get("contract_id")))
    contract = await contracts.get(contract_id)
    if contract.organization_id != approval.organization_id:
        raise NotFound("Contract not found", code="contract_not_found")
    await payments.budget(contract.organization_id, contract.campaign_id, lock=True)  # lock order: campaign first
    contract = await contracts.get(contract_id, for_update=True)
    ensure_status(contract, ContractStatus.pending_approval)
    terms = ContractTerms.model_validate(contract.terms)
    result = EffectResult(payload=decision.payload)
    if decision.action == DecisionAction.edit:
        changed = _edited_terms(decision.payload, contract.terms)
        terms = _apply_edit(contract, terms, changed)
        after = terms.model_dump(mode="json")
        result = EffectResult(before={key: contract.terms.get(key) for key in changed},
                              after={key: after.get(key) for key in changed}, payload={"terms": after})
    deliverable_ids = await DeliverableService(session).create_for_contract(contract, [
        PlannedDeliverable(key=item.key, description=item.description, platform=item.platform,
                           quantity=item.quantity, due_date=item.due_date) for item in terms.deliverables])
    budget = await payments.commit_contract(contract, terms.fee, [
        PlannedPayment(milestone_key=item.milestone_key, kind=str(item.kind), trigger=str(item.trigger),
                       amount=item.amount, net_days=item.net_days, description=item.description,
                       deliverable_id=deliverable_ids.get(item.deliverable_key or ""),
                       payout_idempotency_key=payout_idempotency_key(str(contract.id), item.milestone_key))
        for item in schedule_payments(terms)])
    await contracts.approve(contract, terms.model_dump(mode="json"))
    return EffectResult(before=result.before, after=result.after,
                        payload={**(result.payload or {}), "budget_after": budget.as_dict()})

