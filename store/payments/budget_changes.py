"""A campaign's budget may change only while it still covers what contracts committed against it.

Called by every writer of the brief (`CampaignService.update`, the brief conversation) under the campaign row
lock, the same lock `PaymentService.commit_contract` takes, so a commitment and a budget cut cannot interleave.
Refused: a budget below the committed sum (409 `budget_below_committed`, stating the committed amount), removing
the budget or changing its currency once anything is committed (409 `budget_committed`).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict
from core.money import Money
from store.campaigns.brief import CampaignBrief
from store.models import Campaign, PaymentStatus
from store.payments.repository import PaymentRepository


async def ensure_budget_covers_commitments(session: AsyncSession, campaign: Campaign, brief: CampaignBrief) -> None:
    totals = await PaymentRepository(session).totals_for_campaign(campaign.id)
    committed_by_currency: dict[str, Money] = {}
    for status, currency, amount in totals:
        if status != PaymentStatus.cancelled:
            committed_by_currency[currency] = committed_by_currency.get(currency, Money.zero(currency)) + Money.of(
                amount, currency)
    committed = [money for money in committed_by_currency.values() if money.is_positive()]
    if not committed:
        return
    stated = ", ".join(str(money) for money in committed)
    details = {"committed": [{"amount": str(money.amount), "currency": money.currency} for money in committed]}
    if brief.budget is None or not brief.currency or [m.currency for m in committed] != [brief.currency.upper()]:
        raise Conflict(f"Contracts already committed {stated} against this budget: keep a budget in that currency",
                       code="budget_committed", details=details)
    total = Money.of(brief.budget, brief.currency)
    if total < committed[0]:
        raise Conflict(f"The budget cannot be below what contracts already committed: {stated} "
                       f"(asked for {total})", code="budget_below_committed", details=details)
