"""Messages to the creator about their contract (signing link, review feedback, paid invoices), sent the way every
message is: a `Message` in the creator's conversation, queued with its `messages.send_email` /
`messages.send_whatsapp` outbox job (key `send:<message id>`) in the caller's transaction, delivered by the channels'
send actors (which check do-not-contact right before sending). `idempotency_key` makes each notification once-only.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from store.conversations.service import ConversationService, OutboundText
from store.models import Contract, Message, MessageChannel, MessageStatus


async def queue_creator_message(session: AsyncSession, contract: Contract, *, channel: MessageChannel,
                                to_address: str, subject: str | None, body_text: str,
                                idempotency_key: str) -> Message:
    conversations = ConversationService(session)
    conversation = await conversations.open(contract.organization_id, contract.campaign_id, contract.creator_id)
    message = await conversations.add_outbound(
        conversation, OutboundText(channel=channel, subject=subject if channel == MessageChannel.email else None,
                                   body_text=body_text, to_address=to_address, model="template",
                                   prompt_version=f"contract:{contract.template_id}@{contract.template_version}"),
        status=MessageStatus.draft, idempotency_key=idempotency_key)
    if message.status == MessageStatus.draft:  # a repeated call finds it queued already
        await conversations.queue(message)
    return message
