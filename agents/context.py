"""Runtime context every agent node receives (`Runtime[AgentContext]`): who the run works for and the
services it may use. Tenant ids come from here (set by the worker from the run row), never from model output
or graph state; nodes open their own short transactions through `unit_of_work`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import unit_of_work as default_unit_of_work


@dataclass(frozen=True)
class AgentContext:
    organization_id: str
    campaign_id: str
    run_id: str
    model: BaseChatModel | None = None  # None = the offline provider (deterministic rules)
    unit_of_work: Callable[[], AbstractAsyncContextManager[AsyncSession]] = field(
        default=default_unit_of_work, repr=False)

    @property
    def campaign_uuid(self) -> uuid.UUID:
        return uuid.UUID(self.campaign_id)

    @property
    def run_uuid(self) -> uuid.UUID:
        return uuid.UUID(self.run_id)
