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


def reporting_currency(campaign: Campaign) -> str:
    budget = campaign_budget(campaign)
    if budget is not None:
        return budget.currency
    currency = campaign.brief.get("currency") if isinstance(campaign.brief, dict) else None
    return str(currency).upper() if currency else get_settings().ANALYTICS_DEFAULT_CURRENCY
