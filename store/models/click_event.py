"""One click on a tracked link, written in batches by the click flusher (never in the redirect request).

`id` is the click id handed to the shop in the redirect (`ic_click`), so an order can name the click it came from.
`is_bot` (user agent matched the bot filter) and `is_unique` (first click of this visitor on this link within the
de-duplication window) are decided at flush time; bots are kept for audit but never counted or attributed.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class ClickEvent(Base):
    __tablename__ = "click_events"
    __table_args__ = (Index("ix_click_events_campaign_id_creator_id_occurred_at", "campaign_id", "creator_id",
                            "occurred_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    link_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tracked_links.id", ondelete="CASCADE"))
    # Copies of the link's (its foreign keys cover them: migration 0025), for the rollup's index.
    organization_id: Mapped[uuid.UUID] = mapped_column()
    campaign_id: Mapped[uuid.UUID] = mapped_column()
    creator_id: Mapped[uuid.UUID] = mapped_column()
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    visitor_hash: Mapped[str] = mapped_column(String(32))  # keyed hash of IP + user agent; never the raw values
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    is_unique: Mapped[bool] = mapped_column(Boolean, default=True)
