"""Contract agent nodes. `ask_terms` and `approve_contract` are the interrupting nodes and have no side effects (they
re-run from their first line on resume). Terms still open at agreement become a `terms` approval (its effect writes
the manager's values on the negotiation record; `read_terms_answer` reads an answer given in words) and drafting
runs again — never a silent end. The decision's own transaction commits the budget and schedules the payments
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
from agents.tasks.brief import read_open_terms
from core.errors import DomainError
from store.campaigns.repository import CampaignRepository
from store.contracts.agreed_terms import IncompleteTerms
from store.contracts.drafting import prepare_contract as prepare
from store.contracts.issuing import issue_contract
from store.contracts.service import ContractService
from store.contracts.terms_approval import complete_terms, parse_answer, standard_positions
from tools.documents.contract_files import contract_documents
from tools.esign.factory import esign_provider


async def prepare_contract(state: ContractState, runtime: Runtime[AgentContext]) -> Command[Any]:
    context = runtime.context
    async with context.unit_of_work() as session:
        try:
            prepared = await prepare(session, uuid.UUID(state["negotiation_id"]),
                                     uuid.UUID(context.organization_id), context.run_uuid)
        except IncompleteTerms as exc:
            return Command(goto="ask_terms", update={
                "open_terms": exc.fields, "problems": exc.problems, "proposed_terms": standard_positions(exc.fields),
                "terms_round": state.get("terms_round", 0) + 1, "terms_answer": None,
                **await _creator(session, state["negotiation_id"])})
    if prepared is None:
        return Command(goto=END, update={"outcome": "not_agreed"})
    return Command(goto="approve_contract", update={
        "contract_id": prepared.contract_id, "reference": prepared.reference, "creator_id": prepared.creator_id,
        "creator_name": prepared.creator_name, "terms": prepared.terms, "clause_diff": prepared.clause_diff,
        "budget": prepared.budget, "template": prepared.template,
        "countersignature_required": prepared.countersignature_required})


async def _creator(session: Any, negotiation_id: str) -> dict[str, str]:
    negotiation = await ContractService(session).contracts.negotiation(uuid.UUID(negotiation_id))
    creator = await CampaignRepository(session).creator(negotiation.creator_id) if negotiation else None
    if creator is None:
        return {"creator_name": "the creator"}
    return {"creator_name": creator.display_name, "creator_id": str(creator.id)}


def _terms_description(state: ContractState) -> str:
    fields = state["open_terms"]
    proposed = state.get("proposed_terms") or {}
    named = ", ".join(name.replace("_", " ") for name in fields)
    notes = " ".join(state.get("terms_notes") or [])
    how = ("Edit with the values (" + ", ".join(f'"{name}"' for name in fields) + "), or answer in words")
    if all(name in proposed for name in fields):
        how += ", or approve to use your standard positions shown"
    return (f"Before a contract with {state['creator_name']} can be drafted, these terms are still open: {named}. "
            f"{how}; ignore to draft no contract." + (f" {notes}" if notes else ""))


async def ask_terms(state: ContractState) -> Command[Any]:
    """Interrupt once per round for the open terms; route on the answer. No side effects: this re-runs on resume."""
    fields, proposed = state["open_terms"], state.get("proposed_terms") or {}
    answer = ask_human(ApprovalRequest(
        kind="terms", action_id=f"terms:{state['negotiation_id']}:{state.get('terms_round', 1)}",
        creator_id=state.get("creator_id"), action_request=ActionRequest(action="complete_terms", args={
            "negotiation_id": state["negotiation_id"], "creator_name": state["creator_name"], "missing": fields,
            "problems": state.get("problems", []), "proposed": proposed, "notes": state.get("terms_notes", [])}),
        config=InboxConfig(allow_accept=all(name in proposed for name in fields)),
        description=_terms_description(state),
        reasoning=("The agreed negotiation record leaves these contract terms open (the brief did not state them, "
                   "or was confirmed to decide them later): " + "; ".join(state.get("problems", [])) + ". A "
                   "contract is drafted only from terms someone decided, never from guesses."),
        model="rules", prompt_version="terms:v1"))
    if answer.accepted:
        return Command(goto="prepare_contract", update={"terms_notes": []})
    if answer.instructions:
        return Command(goto="read_terms_answer", update={"terms_answer": answer.instructions})
    return Command(goto=END, update={"outcome": "expired" if answer.action == "expire" else "terms_declined",
                                     "feedback": answer.feedback})


async def read_terms_answer(state: ContractState, runtime: Runtime[AgentContext]) -> Command[Any]:
    """The manager answered in words: record what the rules can read (absolute values, so a re-run writes the
    same), then draft again — which asks once more for whatever is still open, saying what was understood."""
    values, notes = read_open_terms(state.get("terms_answer") or "", state["open_terms"])
    context = runtime.context
    if values:
        try:
            async with context.unit_of_work() as session:
                recorded = await complete_terms(session, uuid.UUID(state["negotiation_id"]),
                                                uuid.UUID(context.organization_id), parse_answer(values))
            notes.append("Recorded from your answer: " + ", ".join(name.replace("_", " ") for name in recorded.written)
                         + ".")
        except DomainError as exc:
            notes.append(f"Your answer could not be used: {exc.message}")
    return Command(goto="prepare_contract", update={"terms_notes": notes, "terms_answer": None})


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
