"""Money and budget arithmetic (exact decimals, currency-checked, exhaustion refused) and the payments a
contract's schedule creates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import InvalidInput
from core.money import CurrencyMismatch, Money
from store.contracts.terms import InstallmentKind
from store.payments.budget import BudgetExceeded, ensure_can_commit, ensure_can_pay, summarize
from store.payments.schedule import PaymentTrigger, payout_idempotency_key, schedule_payments
from tests.support.payments import sample_terms


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def test_money_is_exact_and_currency_aware() -> None:
    assert eur("0.10") + eur("0.20") == eur("0.30")
    assert Money(amount=0.1, currency="usd").amount == Decimal("0.10")  # type: ignore[arg-type]
    assert Money.of(1000, "JPY").minor_units() == 1000 and eur("12.34").minor_units() == 1234
    assert Money.of("1.234", "BHD").minor_units() == 1234
    assert eur("1234.5").format() == "EUR 1,234.50"
    with pytest.raises(CurrencyMismatch):
        eur("1") + Money.of("1", "USD")
    with pytest.raises(ValueError, match="decimal places"):
        Money.of("1.5", "JPY")


def test_budget_figures() -> None:
    budget = summarize(eur("5000"), committed=[eur("1500"), eur("2000")], paid=[eur("450")])
    assert budget.remaining == eur("1500") and budget.outstanding == eur("3050")
    assert budget.as_dict() == {"currency": "EUR", "total": "5000.00", "committed": "3500.00", "paid": "450.00",
                                "remaining": "1500.00", "outstanding": "3050.00"}


def test_commitments_stop_at_the_budget() -> None:
    budget = summarize(eur("2000"), committed=[], paid=[])
    budget = ensure_can_commit(budget, eur("1500"))
    budget = ensure_can_commit(budget, eur("500"))  # exactly exhausts it
    assert budget.remaining == eur("0")
    with pytest.raises(BudgetExceeded) as exceeded:
        ensure_can_commit(budget, eur("0.01"))
    assert exceeded.value.status_code == 409 and exceeded.value.details["remaining"] == "0.00"
    with pytest.raises(CurrencyMismatch):
        ensure_can_commit(summarize(eur("2000"), [], []), Money.of("10", "USD"))
    with pytest.raises(InvalidInput):
        ensure_can_commit(summarize(eur("2000"), [], []), eur("0"))


def test_payouts_never_exceed_what_was_committed() -> None:
    budget = summarize(eur("2000"), committed=[eur("1000")], paid=[])
    budget = ensure_can_pay(budget, eur("600"))
    with pytest.raises(BudgetExceeded):
        ensure_can_pay(budget, eur("400.01"))
    assert ensure_can_pay(budget, eur("400")).paid == eur("1000")


def test_mixed_currency_budgets_are_refused() -> None:
    with pytest.raises(CurrencyMismatch):
        summarize(eur("100"), committed=[Money.of("10", "GBP")], paid=[])


def test_schedule_creates_advance_milestones_and_final() -> None:
    payments = schedule_payments(sample_terms())
    assert [p.milestone_key for p in payments] == ["advance", "milestone:reel-1", "final"]
    assert [p.kind for p in payments] == [InstallmentKind.advance, InstallmentKind.milestone, InstallmentKind.final]
    assert [p.trigger for p in payments] == [PaymentTrigger.signature, PaymentTrigger.deliverable_approved,
                                             PaymentTrigger.all_deliverables_approved]
    assert sum((p.amount for p in payments), eur("0")) == eur("1500")
    assert payments[1].deliverable_key == "reel-1" and str(payments[1].expected_on) == "2026-03-20"
    assert str(payments[2].expected_on) == "2026-03-25"
    assert payout_idempotency_key("c1", "milestone:reel-1") == "payout:c1:milestone:reel-1"
