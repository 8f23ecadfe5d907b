"""Terms still open when a negotiation is agreed, and what deciding a `terms` approval does (kind `terms` in
`store/approvals/effects.py`).

The contract agent opens a `terms` approval instead of drafting a contract when the record leaves terms open
(`agreed_terms.open_terms`: fee, currency, deliverables, usage rights, exclusivity, payment schedule — e.g. the
brief was confirmed with "decide later"). It asks for exactly those fields, in the brief's shapes:

- `edit` with `{field: value}` for every open field (`TermsAnswer`): validated, written on the negotiation record,
  and the whole contract re-checked (422 saying what to fix; nothing is written then);
- `approve` takes the organization's standard positions the approval proposes (offered only when every open field
  has one: deliverables and the fee never do);
- `respond` (or reject with feedback) gives the values in words: the agent reads them and asks again for what it
  could not read; reject without feedback / ignore / expire: no contract is drafted.
The resumed agent goes back to drafting, which now finds the terms complete and asks for the contract approval.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.errors import Conflict, InvalidInput, NotFound
from core.settings import get_settings
from store.approvals.decision import Decision, EffectResult, inbox_args
from store.campaigns.brief import (
    BriefAmount,
    Deliverable,
    Exclusivity,
    UsageRights,
    brief_of,
    check_schedule,
    main_category,
)
from store.contracts.agreed_terms import ASKED_TERMS, IncompleteTerms, describe_error, open_terms
from store.contracts.drafting import deal_of, draft_terms
from store.contracts.repository import ContractRepository
from store.contracts.template import load_template
from store.contracts.terms import Installment
from store.models import Approval, DecisionAction, Negotiation, NegotiationStatus

_CURRENCY = r"^[A-Za-z]{3}$"


class TermsAnswer(BaseModel):
    """The manager's values for open terms (each None: not given)."""

    model_config = ConfigDict(extra="forbid")

    fee: BriefAmount | None = None
    currency: str | None = Field(default=None, pattern=_CURRENCY)
    deliverables: list[Deliverable] | None = Field(default=None, min_length=1, max_length=100)
    usage_rights: UsageRights | None = None
    exclusivity: Exclusivity | None = None
    payment_schedule: list[Installment] | None = Field(default=None, min_length=1, max_length=50)

    @field_validator("payment_schedule")
    @classmethod
    def _adds_up(cls, value: list[Installment] | None) -> list[Installment] | None:
        return check_schedule(value) if value else value

    @model_validator(mode="after")
    def _complete(self) -> TermsAnswer:
        if self.usage_rights is not None and (not self.usage_rights.channels or self.usage_rights.months is None):
            raise ValueError("usage_rights needs channels and months, e.g. "
                             '{"channels": ["organic social", "paid social"], "months": 6}')
        if self.exclusivity is not None and self.exclusivity.exclusive and self.exclusivity.months is None:
            raise ValueError('exclusivity needs months (e.g. {"category": "skincare", "months": 3}), '
                             'or {"exclusive": false} for none')
        return self

    def given(self) -> list[str]:
        return [name for name in ASKED_TERMS if getattr(self, name) is not None]


def standard_positions(fields: list[str]) -> dict[str, Any]:
    """The template's standard position for each open field that has one (usage rights, exclusivity, payment
    schedule), in the answer's shapes."""
    defaults = load_template(get_settings().CONTRACT_TEMPLATE).defaults
    proposed: dict[str, Any] = {}
    if "usage_rights" in fields:
        usage = defaults.usage_rights
        proposed["usage_rights"] = {"channels": list(usage.channels), "months": usage.duration_months or 12}
    if "exclusivity" in fields:
        exclusive = defaults.exclusivity
        proposed["exclusivity"] = ({"exclusive": False} if exclusive is None else
                                   {"category": exclusive.category, "months": max(1, exclusive.duration_days // 30)})
    if "payment_schedule" in fields and all(item.percent is not None for item in defaults.payment_schedule):
        proposed["payment_schedule"] = [item.model_dump(mode="json", exclude_none=True)
                                        for item in defaults.payment_schedule]
    return proposed


def record_terms(negotiation: Negotiation, answer: TermsAnswer, main: str) -> dict[str, Any]:
    """Write the given terms on the record (absolute values: repeating it changes nothing); what was written."""
    if answer.fee is not None:
        negotiation.fee = negotiation.our_offer = answer.fee
    if answer.currency is not None:
        negotiation.currency = answer.currency.upper()
    if answer.deliverables is not None:
        negotiation.deliverables = [item.model_dump(mode="json") for item in answer.deliverables]
    if answer.usage_rights is not None:
        negotiation.usage_rights = ", ".join(answer.usage_rights.channels)
        negotiation.usage_rights_months = answer.usage_rights.months
    if answer.exclusivity is not None:
        exclusivity = answer.exclusivity
        negotiation.exclusive = exclusivity.exclusive
        negotiation.exclusivity = (exclusivity.category or main) if exclusivity.exclusive else None
        negotiation.exclusivity_months = exclusivity.months if exclusivity.exclusive else None
    if answer.payment_schedule is not None:
        negotiation.payment_schedule = [item.model_dump(mode="json", exclude_none=True)
                                        for item in answer.payment_schedule]
    return answer.model_dump(mode="json", include=set(answer.given()))


@dataclass(frozen=True)
class RecordedTerms:
    written: dict[str, Any]
    still_open: list[str]


async def complete_terms(session: Any, negotiation_id: uuid.UUID, organization_id: uuid.UUID,
                         answer: TermsAnswer, *, require: list[str] | None = None) -> RecordedTerms:
    """Record the manager's values for an agreed negotiation's open terms. With `require`, every one of those
    fields must be given (422 naming the others). Values for terms that are not open are refused (422). When the
    answer closes every open term, the whole contract must validate (422 with what to fix)."""
    negotiation = await ContractRepository(session).negotiation(negotiation_id, for_update=True)
    if negotiation is None or negotiation.organization_id != organization_id:
        raise NotFound("Negotiation not found", code="negotiation_not_found")
    if negotiation.status != NegotiationStatus.agreed:
        raise Conflict(f"This negotiation is {negotiation.status}: its terms are settled", code="negotiation_closed")
    deal = await deal_of(session, negotiation)
    if deal is None:
        raise Conflict("The campaign or the creator is gone", code="campaign_closed")
    campaign, parties = deal
    brief = brief_of(campaign)
    gaps = list(open_terms(negotiation, brief))
    asked = set(gaps) | set(require or [])  # a term asked for and since settled another way may still be given
    extra = [name for name in answer.given() if name not in asked]
    if extra:
        raise InvalidInput(f"Only the open terms can be given here ({', '.join(gaps) or 'none'}); not: "
                           f"{', '.join(extra)}", code="invalid_edit", details={"missing_fields": gaps})
    lacking = [name for name in (require or []) if name in gaps and name not in answer.given()]
    if lacking:
        raise InvalidInput(f"Give every open term: {', '.join(lacking)} still missing", code="invalid_edit",
                           details={"missing_fields": lacking})
    written = record_terms(negotiation, answer, main_category(brief))
    still_open = list(open_terms(negotiation, brief))
    if not still_open:
        try:
            draft_terms(negotiation, campaign, parties)
        except IncompleteTerms as exc:
            raise InvalidInput("These terms do not make a valid contract: " + "; ".join(exc.problems),
                               code="invalid_edit", details={"problems": exc.problems}) from exc
    await session.flush()
    return RecordedTerms(written, still_open)


def parse_answer(values: dict[str, Any]) -> TermsAnswer:
    try:
        return TermsAnswer.model_validate(values)
    except ValidationError as exc:
        problems = [describe_error(error) for error in exc.errors()]
        raise InvalidInput("The terms are not valid: " + "; ".join(problems), code="invalid_edit",
                           details={"problems": problems}) from exc


async def terms_effect(session: Any, approval: Approval, decision: Decision) -> EffectResult:
    """approve: the proposed standard positions; edit: the manager's values. Anything else records nothing (the
    agent reads a response's words, or drafts no contract)."""
    if not decision.accepted:
        return EffectResult(payload=decision.payload)
    args: dict[str, Any] = approval.request.get("action_request", {}).get("args", {})
    missing = [str(name) for name in args.get("missing", [])]
    if decision.action == DecisionAction.edit:
        values = inbox_args(decision.payload or {})
        values = {key: value for key, value in values.items() if key in ASKED_TERMS or key not in args}
    else:
        values = dict(args.get("proposed") or {})
        lacking = [name for name in missing if name not in values]
        if lacking:
            raise InvalidInput(f"No standard position for {', '.join(lacking)}: edit with the values",
                               code="action_not_allowed")
    recorded = await complete_terms(session, uuid.UUID(str(args.get("negotiation_id"))), approval.organization_id,
                                    parse_answer(values), require=missing)
    return EffectResult(after=recorded.written, payload={"terms": recorded.written})
