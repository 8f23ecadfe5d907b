"""What analytics needs from a campaign's brief, read in ONE place (the brief is becoming a typed model: adapt here).

The reporting currency is the brief's currency (the budget's), else ANALYTICS_DEFAULT_CURRENCY.
"""

from __future__ import annotations

from core.money import Money
from core.settings import get_settings
from store.models import Campaign
from store.payments.service import budget_total


def campaign_budget(campaign: Campaign) -> Money | None:
    return budget_total(campaign)


def budget_and_currency(campaign: Campaign) -> tuple[Money | None, str]:
    """The budget and the reporting currency, from one parse of the brief."""
    budget = campaign_budget(campaign)
    return budget, _currency(campaign, budget)


def reporting_currency(campaign: Campaign) -> str:
    return _currency(campaign, campaign_budget(campaign))


def _currency(campaign: Campaign, budget: Money | None) -> str:
    if budget is not None:
        return budget.currency
    currency = campaign.brief.get("currency") if isinstance(campaign.brief, dict) else None
    return str(currency).upper() if currency else get_settings().ANALYTICS_DEFAULT_CURRENCY
