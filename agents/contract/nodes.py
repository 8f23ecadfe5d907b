"""Contract agent nodes. `approve_contract` is the only interrupting node and has no side effects (it re-runs
from its first line on resume). The decision's own transaction commits the budget and schedules the payments
(`store/contracts/approval.py`); `send_for_signature`, after it, renders, stores and sends (`store/contracts/issuing.py`
with the deployment's documents and e-signature provider) — idempotent: only a contract still `approved` is issued."""

from __future__ import annotations

import uuid
from typing import Any

from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from agents.approval import ActionRequest, ApprovalRequest, InboxConfig, ask_human
from agents.context import AgentContext
from agents.contract.state import ContractState
from store.contracts.agreed_terms import IncompleteTerms
from store.contracts.drafting import prepare_contract as prepare
from store.contracts.issuing import issue_contract
from store.contracts.service import ContractService
from tools.documents.contract_files import contract_documents
from tools.esign.factory import esign_provider


async def prepare_contract(state: ContractState, runtime: Runtime[AgentContext]) -> Command[Any]:
    context = runtime.context
    try:
        async with context.unit_of_work() as session:
            prepared = await prepare(session, uuid.UUID(state["negotiation_id"]),
                                     uuid.UUID(context.organization_id), context.run_uuid)
    except IncompleteTerms as exc:
        return Command(goto=END, update={"outcome": "incomplete_terms", "problems": exc.problems})
    if prepared is None:
        return Command(goto=END, update={"outcome": "not_agreed"})
    return Command(goto="approve_contract", update={
        "contract_id": prepared.contract_id, "reference": prepared.reference, "creator_id": prepared.creator_id,
        "creator_name": prepared.creator_name, "terms": prepared.terms, "clause_diff": prepared.clause_diff,
        "budget": prepared.budget, "template": prepared.template,
        "countersignature_required": prepared.countersignature_required})


def _description(state: ContractState) -> str:
    terms = state["terms"]
    fee = f"{terms['fee']['currency']} {terms['fee']['amount']}"
    changed = [f"{diff['title']} ({diff['change']})" for diff in state.get("clause_diff", [])]
    differences = (f"{len(changed)} clause(s) differ from your standard contract: {', '.join(changed)}."
                   if changed else "It matches your standard contract clause for clause.")
    return (f"Send contract {state['reference']} ({fee}, {len(terms['deliverables'])} deliverable(s)) to "
            f"{state['creator_name']} for signature? {differences} Approving commits the fee against the campaign "
            "budget; edit to change negotiable positions, or reject.")


async def approve_contract(state: ContractState) -> Command[Any]:
    """Interrupt once for this contract; route on the answer. No side effects here: this re-runs on resume."""
    template = state["template"]
    answer = ask_human(ApprovalRequest(
        kind="contract", action_id=f"contract:{state['contract_id']}", creator_id=state["creator_id"],
        action_request=ActionRequest(action="send_contract", args={
            "contract_id": state["contract_id"], "reference": state["reference"],
            "creator_name": state["creator_name"], "terms": state["terms"], "clause_diff": state["clause_diff"],
            "budget": state.get("budget"), "template": template,
            "countersignature_required": state["countersignature_required"]}),
        config=InboxConfig(allow_respond=False),
        description=_description(state),
        reasoning=("Generated from the structured negotiation record (never from message text) on the "
                   f"organization's template '{template['id']}' v{template['version']}; positions the negotiation "
                   "did not cover are the template's standard ones."),
        model="rules", prompt_version=f"template:{template['id']}@{template['version']}",
    ))
    if answer.accepted:
        return Command(goto="send_for_signature")
    return Command(goto="close_unapproved", update={
        "outcome": "expired" if answer.action == "expire" else "rejected", "feedback": answer.feedback})


async def send_for_signature(state: ContractState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    async with runtime.context.unit_of_work() as session:
        outcome = await issue_contract(session, uuid.UUID(state["contract_id"]), documents=contract_documents(),
                                       esign=esign_provider(session))
    update: dict[str, Any] = {"outcome": "sent_for_signature", "document_sha256": outcome.document_sha256}
    if outcome.issued:  # a repeated step (redelivered job) issued nothing new: keep what the first one sent
        update["channels"] = outcome.channels
    return update


async def close_unapproved(state: ContractState, runtime: Runtime[AgentContext]) -> dict[str, Any]:
    async with runtime.context.unit_of_work() as session:
        contracts = ContractService(session)
        await contracts.close_unapproved(await contracts.get(uuid.UUID(state["contract_id"]), for_update=True))
    return {}
