"""The shape of a decision and of what its effect returns, shared by every approval kind's effect.

An effect runs inside the decision's transaction, after the approval row is locked and before the decision is
recorded: it may refuse (a `DomainError`, e.g. 409 `budget_exceeded`: nothing changes and the approval stays
pending) or change its domain's rows and return what the audit event and the resumed agent see.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Approval, DecisionAction

EXPIRE = "expire"  # the sweeper's action: not one a person can choose


@dataclass(frozen=True)
class Decision:
    action: DecisionAction | str  # DecisionAction, or EXPIRE from the sweeper
    payload: dict[str, Any] | None = None
    feedback: str | None = None

    @property
    def accepted(self) -> bool:
        return self.action in (DecisionAction.approve, DecisionAction.edit)


@dataclass(frozen=True)
class EffectResult:
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None  # the normalised payload the agent receives


DecisionEffect = Callable[[AsyncSession, Approval, Decision], Awaitable[EffectResult]]


def inbox_args(payload: dict[str, Any]) -> dict[str, Any]:
    """Accept Agent Inbox's edit shape (`{"action": ..., "args": {...}}`) as well as plain fields."""
    args = payload.get("args")
    return args if isinstance(args, dict) and set(payload) <= {"action", "args"} else payload
