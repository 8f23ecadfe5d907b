"""ORM models, one file per aggregate. Importing this package registers every table on `Base.metadata`."""

from store.models.creator import Creator
from store.models.idempotency_key import IdempotencyKey, IdempotencyStatus
from store.models.invoice_counter import InvoiceCounter
from store.models.ledger_entry import LedgerEntry
from store.models.organization import Organization
from store.models.outbox import OutboxEvent, OutboxStatus
from store.models.payment_webhook_event import PaymentWebhookEvent
from store.models.refresh_token import RefreshToken
from store.models.signing_token import SigningToken
from store.models.user import User, UserRole

__all__ = ["Creator", "Organization", "OutboxEvent", "OutboxStatus", "RefreshToken", "User", "UserRole"]
__all__ += ["IdempotencyKey", "IdempotencyStatus", "InvoiceCounter", "LedgerEntry", "PaymentWebhookEvent",
            "SigningToken"]
