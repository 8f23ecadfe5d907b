"""ORM models, one file per aggregate. Importing this package registers every table on `Base.metadata`."""

from store.models.creator import Creator
from store.models.do_not_contact import BlockSource, DoNotContact
from store.models.inbound_event import Channel, InboundEvent, InboundKind
from store.models.organization import Organization
from store.models.outbox import OutboxEvent, OutboxStatus
from store.models.refresh_token import RefreshToken
from store.models.user import User, UserRole
from store.models.whatsapp_send import WhatsAppSend

__all__ = ["Creator", "BlockSource", "Channel", "DoNotContact", "InboundEvent", "InboundKind", "WhatsAppSend",
           "Organization", "OutboxEvent", "OutboxStatus", "RefreshToken", "User", "UserRole"]
