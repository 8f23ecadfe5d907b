"""ORM models, one file per aggregate. Importing this package registers every table on `Base.metadata`."""

from store.models.creator import Creator
from store.models.organization import Organization
from store.models.outbox import OutboxEvent, OutboxStatus
from store.models.refresh_token import RefreshToken
from store.models.user import User, UserRole

__all__ = ["Creator", "Organization", "OutboxEvent", "OutboxStatus", "RefreshToken", "User", "UserRole"]

# --- creators and discovery
from store.models.creator import CreatorSource  # noqa: E402
from store.models.portfolio_item import PortfolioItem  # noqa: E402

__all__ += ["CreatorSource", "PortfolioItem"]

import store.creators.events  # noqa: E402, F401  (Creator flush hooks: derived columns, embedding jobs)
