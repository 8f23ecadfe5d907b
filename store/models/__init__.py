"""ORM models, one file per aggregate. Importing this package registers every table on `Base.metadata`."""

from store.models.agent_run import AgentRun, RunKind, RunStatus
from store.models.approval import Approval, ApprovalKind, ApprovalStatus, DecisionAction
from store.models.approval_event import ActorType, ApprovalEvent
from store.models.campaign import BriefMessage, BriefRole, Campaign, CampaignStatus
from store.models.campaign_creator import CampaignCreator, ParticipationSource, ParticipationStatus
from store.models.conversation import Conversation, ConversationStatus
from store.models.creator import Creator
from store.models.message import Message, MessageChannel, MessageDirection, MessageStatus
from store.models.organization import Organization
from store.models.outbox import OutboxEvent, OutboxStatus
from store.models.refresh_token import RefreshToken
from store.models.user import User, UserRole

__all__ = [
    "ActorType", "AgentRun", "Approval", "ApprovalEvent", "ApprovalKind", "ApprovalStatus", "BriefMessage",
    "BriefRole", "Campaign", "CampaignCreator", "CampaignStatus", "Conversation", "ConversationStatus",
    "DecisionAction", "Message", "MessageChannel", "MessageDirection", "MessageStatus", "ParticipationSource",
    "ParticipationStatus", "RunKind", "RunStatus",
]
__all__ += ["Creator", "Organization", "OutboxEvent", "OutboxStatus", "RefreshToken", "User", "UserRole"]
