"""Agreed terms → `ContractTerms`, from structured records only: the negotiation record (fee, currency,
deliverables, dates, usage rights, exclusivity), the campaign's frozen brief where the negotiation is silent
(currency, deliverables, end date), the parties' names, and the template's standard positions for what was never
negotiated (payment schedule, disclosure, revisions, cancellation, governing law). No message text is read.

What can't be derived is reported (`IncompleteTerms`, with every problem) instead of guessed: a missing fee,
currency or deliverable.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from core.errors import InvalidInput
from store.campaigns.brief import CampaignBrief, brief_of
from store.contracts.template import ContractTemplate
from store.contracts.terms import ContractTerms
from store.models import Campaign, Creator, Negotiation, Organization, User

DEFAULT_DELIVERY_DAYS = 30  # due date of a deliverable with none, counted from the effective date
DAYS_PER_MONTH = 30


class IncompleteTerms(InvalidInput):
    code = "incomplete_terms"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The agreed terms are incomplete: " + "; ".join(problems), details={"problems": problems})
        self.problems = problems


@dataclass(frozen=True)
class Parties:
    organization: Organization
    manager: User | None  # who signs for the brand (the campaign's manager)
    creator: Creator
    creator_user: User | None  # the creator's login, for their full name


def _key(kind: str, index: int, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", kind.lower()).strip("-")[:30] or "deliverable"
    key = f"{base}-{index}"
    while key in taken:
        index += 1
        key = f"{base}-{index}"
    taken.add(key)
    return key


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _deliverables(items: list[dict[str, Any]], brief: CampaignBrief, default_due: dt.date) -> list[dict[str, Any]]:
    platforms = brief.platforms
    taken: set[str] = set()
    result = []
    for index, item in enumerate(items, start=1):
        kind = str(item.get("kind") or "post")
        platform = str(item.get("platform") or (platforms[0] if platforms else "any platform"))
        result.append({"key": _key(kind, index, taken), "description": kind[:1].upper() + kind[1:],
                       "platform": platform[:1].upper() + platform[1:], "quantity": int(item.get("quantity") or 1),
                       "due_date": _date(item.get("due_date")) or default_due})
    return result


def terms_from_negotiation(negotiation: Negotiation, campaign: Campaign, parties: Parties,
                           template: ContractTemplate, today: dt.date) -> ContractTerms:
    brief = brief_of(campaign)
    problems = []
    if negotiation.fee is None:
        problems.append("the negotiation record has no agreed fee")
    currency = negotiation.currency or brief.currency
    if not currency:
        problems.append("neither the negotiation nor the brief names a currency")
    effective = negotiation.start_date or (negotiation.agreed_at.date() if negotiation.agreed_at else today)
    end = negotiation.end_date or brief.end_date
    default_due = end if end and end >= effective else effective + dt.timedelta(days=DEFAULT_DELIVERY_DAYS)
    agreed = list(negotiation.deliverables or [item.model_dump(mode="json") for item in brief.deliverables])
    deliverables = _deliverables(agreed, brief, default_due)
    if not deliverables:
        problems.append("no deliverables were agreed (the negotiation and the brief list none)")
    if problems:
        raise IncompleteTerms(problems)
    defaults = template.defaults
    usage = defaults.usage_rights.model_dump(mode="json")
    if negotiation.usage_rights:
        usage["channels"] = [negotiation.usage_rights]
    if negotiation.usage_rights_months:
        usage["duration_months"] = negotiation.usage_rights_months
    exclusivity = defaults.exclusivity.model_dump(mode="json") if defaults.exclusivity else None
    if negotiation.exclusivity:
        months = negotiation.exclusivity_months or 1
        exclusivity = {"category": negotiation.exclusivity, "duration_days": months * DAYS_PER_MONTH}
    creator, manager = parties.creator, parties.manager
    data = {
        "brand": {"legal_name": parties.organization.name, "email": manager.email if manager else None,
                  "signatory_name": manager.full_name if manager else None},
        "creator": {"legal_name": (parties.creator_user.full_name if parties.creator_user else None)
                    or creator.display_name, "email": creator.email},
        "campaign_name": campaign.name,
        "effective_date": effective,
        "deliverables": deliverables,
        "fee": {"amount": str(negotiation.fee), "currency": currency},
        "payment_schedule": [item.model_dump(mode="json", exclude_none=True) for item in defaults.payment_schedule],
        "usage_rights": usage,
        "exclusivity": exclusivity,
        "disclosure": defaults.disclosure.model_dump(mode="json"),
        "revision_rounds": defaults.revision_rounds,
        "cancellation": defaults.cancellation.model_dump(mode="json"),
    }
    try:
        return ContractTerms.model_validate(data)
    except ValidationError as exc:
        raise IncompleteTerms([describe_error(error) for error in exc.errors()]) from exc


def describe_error(error: Any) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()))
    return f"{location}: {error.get('msg')}" if location else str(error.get("msg"))
