"""Contract agent state. Plain JSON values only (checkpointed)."""

from __future__ import annotations

from typing import Any, TypedDict


class ContractInput(TypedDict):
    negotiation_id: str


class ContractState(TypedDict, total=False):
    negotiation_id: str
    contract_id: str
    reference: str
    creator_id: str
    creator_name: str
    terms: dict[str, Any]  # store.contracts.terms.ContractTerms as JSON, as prepared
    clause_diff: list[dict[str, Any]]  # store.contracts.clause_diff.ClauseDiff as JSON
    budget: dict[str, str] | None  # the campaign budget before this contract
    template: dict[str, str]  # {"id", "version"}
    countersignature_required: bool
    problems: list[str]  # why no contract could be drafted yet (terms still open)
    open_terms: list[str]  # the term fields the `terms` approval asks for
    proposed_terms: dict[str, Any]  # the template's standard positions for those that have one
    terms_round: int  # how many `terms` approvals were opened (each one's action id is unique)
    terms_answer: str | None  # the manager's answer in words (respond / reject with feedback), read next
    terms_notes: list[str]  # what the agent understood (or not) from that answer, shown on the next approval
    feedback: str | None  # the manager's reason for rejecting
    document_sha256: str | None
    channels: list[str]  # where the signing link went
    outcome: str  # sent_for_signature | rejected | expired | terms_declined | not_agreed
