"""The do-not-contact list: addresses and phone numbers that no send may reach.

Scope: `organization_id` NULL means global (every organization): unsubscribes, STOP replies and hard bounces
are global, because every organization sends from the same platform address/number and the person asked the
platform to stop. A manager's own entry is scoped to their organization. One row per (channel, address,
scope): the unique key treats NULLs as equal (NULLS NOT DISTINCT), so there is one global row per address.
Addresses are stored normalized (`store.contacts.normalize`): lower-cased email, `+<digits>` phone.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base, UUIDPrimaryKey
from store.models.columns import str_enum
from store.models.inbound_event import Channel


class BlockSource(enum.StrEnum):
    unsubscribe = "unsubscribe"  # List-Unsubscribe link / one-click, or the provider's opt-out signal
    stop = "stop"  # the creator replied STOP (or a translation)
    manager = "manager"  # a campaign manager blocked the address for their organization
    bounce = "bounce"  # a permanent delivery failure (unknown mailbox, number not on WhatsApp)


class DoNotContact(UUIDPrimaryKey, Base):
    __tablename__ = "do_not_contact"
    __table_args__ = (
        UniqueConstraint("channel", "address", "organization_id", name="uq_do_not_contact_channel_address_scope",
                         postgresql_nulls_not_distinct=True),
    )

    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    creator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("creators.id", ondelete="SET NULL"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, 16))
    address: Mapped[str] = mapped_column(String(320))
    source: Mapped[BlockSource] = mapped_column(str_enum(BlockSource, 16))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
