"""ORM models, one file per aggregate. Importing this package registers every table on `Base.metadata`."""

from store.models.creator import Creator
from store.models.do_not_contact import BlockSource, DoNotContact
from store.models.idempotency_key import IdempotencyKey, IdempotencyStatus
from store.models.inbound_event import Channel, InboundEvent, InboundKind
from store.models.invoice_counter import InvoiceCounter
from store.models.ledger_entry import LedgerEntry
from store.models.organization import Organization
from store.models.outbox import OutboxEvent, OutboxStatus
from store.models.payment_webhook_event import PaymentWebhookEvent
from store.models.refresh_token import RefreshToken
from store.models.signing_token import SigningToken
from store.models.user import User, UserRole
from store.models.whatsapp_send import WhatsAppSend

__all__ = [
    "BlockSource",
    "Channel",
    "Creator",
    "DoNotContact",
    "IdempotencyKey",
    "IdempotencyStatus",
    "InboundEvent",
    "InboundKind",
    "InvoiceCounter",
    "LedgerEntry",
    "Organization",
    "OutboxEvent",
    "OutboxStatus",
    "PaymentWebhookEvent",
    "RefreshToken",
    "SigningToken",
    "User",
    "UserRole",
    "WhatsAppSend",
]
