"""Agreed terms → `ContractTerms`, from structured records only: the negotiation record (fee, currency,
deliverables, dates, usage rights, exclusivity), the campaign's frozen brief where the negotiation is silent
(currency, deliverables, end date), the parties' names, and the template's standard positions for what was never
negotiated (disclosure, revisions, cancellation, governing law). No message text is read.

What can't be derived is reported (`IncompleteTerms`, with every problem and the term fields concerned) instead
of guessed: a missing fee or currency, deliverables (with a due date: their own or the end date), usage rights
(channels and months), exclusivity (or its absence) and the payment schedule. The contract agent turns that into
a `terms` approval asking the manager for exactly those fields (`store/contracts/terms_approval.py`).
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


# The terms a manager can supply when the negotiation left them open, in the order they are asked.
ASKED_TERMS = ("fee", "currency", "deliverables", "usage_rights", "exclusivity", "payment_schedule")


class IncompleteTerms(InvalidInput):
    code = "incomplete_terms"

    def __init__(self, problems: list[str], fields: list[str] | None = None) -> None:
        super().__init__("The agreed terms are incomplete: " + "; ".join(problems),
                         details={"problems": problems, "missing_fields": fields or []})
        self.problems = problems
        self.fields = [name for name in ASKED_TERMS if name in (fields or [])]


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


def deliverable_keys(kinds: list[str]) -> list[str]:
    """The contract's keys for deliverables of these kinds, in order ("reel-1", "story-2"): payment milestones
    name them, from the brief on."""
    taken: set[str] = set()
    return [_key(kind or "post", index, taken) for index, kind in enumerate(kinds, start=1)]


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


def open_terms(negotiation: Negotiation, brief: CampaignBrief) -> dict[str, str]:
    """The terms the record (and, where it is silent, the brief) leaves open: field → what is missing."""
    gaps: dict[str, str] = {}
    if negotiation.fee is None:
        gaps["fee"] = "the negotiation record has no agreed fee"
    if not (negotiation.currency or brief.currency):
        gaps["currency"] = "neither the negotiation nor the brief names a currency"
    agreed = list(negotiation.deliverables or [item.model_dump(mode="json") for item in brief.deliverables])
    end = negotiation.end_date or brief.end_date
    if not agreed:
        gaps["deliverables"] = "no deliverables were agreed (the negotiation and the brief list none)"
    elif end is None and any(not item.get("due_date") for item in agreed):
        gaps["deliverables"] = "a deliverable has no due date and the campaign has no end date"
    if not negotiation.usage_rights or not negotiation.usage_rights_months:
        gaps["usage_rights"] = "usage rights (channels and months) were not agreed"
    if negotiation.exclusive is not False and (negotiation.exclusivity is None or not negotiation.exclusivity_months):
        gaps["exclusivity"] = "exclusivity (a category and months, or none) was not agreed"
    if not negotiation.payment_schedule:
        gaps["payment_schedule"] = "the payment schedule was not agreed"
    return gaps


def terms_from_negotiation(negotiation: Negotiation, campaign: Campaign, parties: Parties,
                           template: ContractTemplate, today: dt.date) -> ContractTerms:
    brief = brief_of(campaign)
    gaps = open_terms(negotiation, brief)
    if gaps:
        raise IncompleteTerms(list(gaps.values()), list(gaps))
    currency = negotiation.currency or brief.currency
    effective = negotiation.start_date or (negotiation.agreed_at.date() if negotiation.agreed_at else today)
    end = negotiation.end_date or brief.end_date
    default_due = end if end and end >= effective else effective + dt.timedelta(days=DEFAULT_DELIVERY_DAYS)
    agreed = list(negotiation.deliverables or [item.model_dump(mode="json") for item in brief.deliverables])
    deliverables = _deliverables(agreed, brief, default_due)
    defaults = template.defaults
    usage = defaults.usage_rights.model_dump(mode="json")
    usage["channels"] = [negotiation.usage_rights]
    usage["duration_months"] = negotiation.usage_rights_months
    exclusivity = None
    if negotiation.exclusivity and negotiation.exclusive is not False:
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
        "payment_schedule": negotiation.payment_schedule,
        "usage_rights": usage,
        "exclusivity": exclusivity,
        "disclosure": defaults.disclosure.model_dump(mode="json"),
        "revision_rounds": defaults.revision_rounds,
        "cancellation": defaults.cancellation.model_dump(mode="json"),
    }
    try:
        return ContractTerms.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        fields = [str(error["loc"][0]) for error in errors if error.get("loc") and error["loc"][0] in ASKED_TERMS]
        raise IncompleteTerms([describe_error(error) for error in errors],
                              fields or ["deliverables", "payment_schedule"]) from exc


def describe_error(error: Any) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()))
    return f"{location}: {error.get('msg')}" if location else str(error.get("msg"))
