"""ORM models, one file per aggregate. Importing this package registers every table on `Base.metadata`."""

from store.models.agent_run import AgentRun, RunKind, RunStatus
from store.models.approval import CONFIG_FLAGS, Approval, ApprovalKind, ApprovalStatus, DecisionAction
from store.models.approval_event import ActorType, ApprovalEvent
from store.models.campaign import BriefMessage, BriefRole, Campaign, CampaignStatus
from store.models.campaign_creator import CampaignCreator, ParticipationSource, ParticipationStatus
from store.models.contract import Contract, ContractStatus
from store.models.contract_signature import ContractSignature, SignerRole
from store.models.conversation import Conversation, ConversationStatus
from store.models.creator import Creator
from store.models.deliverable import Deliverable, DeliverableStatus
from store.models.do_not_contact import BlockSource, DoNotContact
from store.models.draft_edit import DraftEdit
from store.models.idempotency_key import IdempotencyKey, IdempotencyStatus
from store.models.inbound_event import Channel, InboundEvent, InboundKind
from store.models.invoice import Invoice
from store.models.invoice_counter import InvoiceCounter
from store.models.ledger_entry import LedgerEntry
from store.models.message import Message, MessageChannel, MessageDirection, MessageStatus
from store.models.negotiation import Negotiation, NegotiationStatus
from store.models.notification import Notification, NotificationEmailStatus
from store.models.organization import Organization
from store.models.outbox import OutboxEvent, OutboxStatus
from store.models.payment import Payment, PaymentStatus
from store.models.payment_webhook_event import PaymentWebhookEvent
from store.models.refresh_token import RefreshToken
from store.models.signing_token import SigningToken
from store.models.user import User, UserRole

__all__ = [
    "Contract",
    "ContractSignature",
    "ContractStatus",
    "Deliverable",
    "DeliverableStatus",
    "Invoice",
    "Payment",
    "PaymentStatus",
    "SignerRole",
    "Negotiation",
    "NegotiationStatus",
    "Notification",
    "NotificationEmailStatus",
    "ActorType",
    "AgentRun",
    "CONFIG_FLAGS",
    "Approval",
    "ApprovalEvent",
    "ApprovalKind",
    "ApprovalStatus",
    "BlockSource",
    "BriefMessage",
    "BriefRole",
    "Campaign",
    "CampaignCreator",
    "CampaignStatus",
    "Channel",
    "Conversation",
    "ConversationStatus",
    "Creator",
    "DecisionAction",
    "DoNotContact",
    "DraftEdit",
    "IdempotencyKey",
    "IdempotencyStatus",
    "InboundEvent",
    "InboundKind",
    "InvoiceCounter",
    "LedgerEntry",
    "Message",
    "MessageChannel",
    "MessageDirection",
    "MessageStatus",
    "Organization",
    "OutboxEvent",
    "OutboxStatus",
    "ParticipationSource",
    "ParticipationStatus",
    "PaymentWebhookEvent",
    "RefreshToken",
    "RunKind",
    "RunStatus",
    "SigningToken",
    "User",
    "UserRole",
]

# --- creators and discovery
from store.models.creator import CreatorSource  # noqa: E402
from store.models.portfolio_item import PortfolioItem  # noqa: E402

__all__ += ["CreatorSource", "PortfolioItem"]

import store.creators.events  # noqa: E402, F401  (Creator flush hooks: derived columns, embedding jobs)

# --- analytics (tracked links, conversions, post metrics, rollups)
from store.models.analytics_rollup import CampaignRollup, CreatorRollup, DailyRollup, DirtyPair  # noqa: E402
from store.models.click_event import ClickEvent  # noqa: E402
from store.models.emv_rate import EmvRate  # noqa: E402
from store.models.metric_snapshot import METRIC_FIELDS, MetricSnapshot  # noqa: E402
from store.models.order import Order  # noqa: E402
from store.models.order_refund import OrderRefund  # noqa: E402
from store.models.post import Post  # noqa: E402
from store.models.promo_code import PromoCode  # noqa: E402
from store.models.tracked_link import TrackedLink  # noqa: E402

__all__ += ["CampaignRollup", "ClickEvent", "CreatorRollup", "DailyRollup", "DirtyPair", "EmvRate", "METRIC_FIELDS",
            "MetricSnapshot", "Order", "OrderRefund", "Post", "PromoCode", "TrackedLink"]
