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
    problems: list[str]  # why no contract could be drafted (incomplete terms)
    feedback: str | None  # the manager's reason for rejecting
    document_sha256: str | None
    channels: list[str]  # where the signing link went
    outcome: str  # sent_for_signature | rejected | expired | incomplete_terms | not_agreed
