"""Budget arithmetic, enforced in code: pure functions over Money, no I/O.

    committed  = every payment obligation not cancelled (scheduled, approved or paid)
    paid       = the part of `committed` already paid out
    remaining  = total - committed        (what new commitments may still use)
    outstanding = committed - paid        (what is promised but not yet paid)

`ensure_can_commit` refuses a new obligation larger than `remaining`; `ensure_can_pay` refuses a payout that would
take `paid` past the total or past what was committed. Callers compute the sums under a lock on the budget's owner
(e.g. `SELECT ... FOR UPDATE` on the campaign) so two approvals can't both spend the same remainder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.errors import Conflict, InvalidInput
from core.money import CurrencyMismatch, Money


class BudgetExceeded(Conflict):
    code = "budget_exceeded"


@dataclass(frozen=True)
class Budget:
    total: Money
    committed: Money
    paid: Money

    def __post_init__(self) -> None:
        for name in ("committed", "paid"):
            value: Money = getattr(self, name)
            if value.currency != self.total.currency:
                raise CurrencyMismatch(f"Budget is in {self.total.currency} but {name} is in {value.currency}")

    @property
    def currency(self) -> str:
        return self.total.currency

    @property
    def remaining(self) -> Money:
        return self.total - self.committed

    @property
    def outstanding(self) -> Money:
        return self.committed - self.paid

    def as_dict(self) -> dict[str, str]:
        """For approval payloads: every figure as an exact decimal string, with the currency."""
        return {"currency": self.currency, "total": str(self.total.amount), "committed": str(self.committed.amount),
                "paid": str(self.paid.amount), "remaining": str(self.remaining.amount),
                "outstanding": str(self.outstanding.amount)}


def summarize(total: Money, committed: Iterable[Money], paid: Iterable[Money]) -> Budget:
    """Sum obligations and payouts; any amount in another currency is a CurrencyMismatch, never converted."""
    committed_sum = sum(committed, Money.zero(total.currency))
    paid_sum = sum(paid, Money.zero(total.currency))
    return Budget(total=total, committed=committed_sum, paid=paid_sum)


def ensure_can_commit(budget: Budget, amount: Money) -> Budget:
    """The budget after committing `amount`; raises BudgetExceeded when it does not fit."""
    _ensure_positive(amount)
    if amount > budget.remaining:
        raise BudgetExceeded(
            f"Committing {amount} exceeds the remaining budget of {budget.remaining}",
            details={"requested": str(amount.amount), **budget.as_dict()})
    return Budget(total=budget.total, committed=budget.committed + amount, paid=budget.paid)


def ensure_can_pay(budget: Budget, amount: Money) -> Budget:
    """The budget after paying `amount` of an existing commitment; raises BudgetExceeded when the payout would pay
    more than was committed or more than the total."""
    _ensure_positive(amount)
    if amount > budget.outstanding or budget.paid + amount > budget.total:
        raise BudgetExceeded(
            f"Paying {amount} exceeds what is committed and unpaid ({budget.outstanding})",
            details={"requested": str(amount.amount), **budget.as_dict()})
    return Budget(total=budget.total, committed=budget.committed, paid=budget.paid + amount)


def _ensure_positive(amount: Money) -> None:
    if not amount.is_positive():
        raise InvalidInput(f"Amounts must be positive, got {amount}", code="invalid_amount")
