"""Changing a creator's email: the new address is used for nothing until its owner follows a link sent to it.

Everything that writes to a creator (signing links, payout notices, outreach) reads `creators.email`; a change
asked for with `PUT /creators/me` goes to `pending_email` instead, with an expiry, and a `creators.confirm_email`
job mails the confirmation link to the NEW address. Only confirming (`confirm_email_change`) moves it into
`email`, so whoever takes over a session cannot redirect the creator's contracts and payouts by editing a field.

The link's token is an HMAC (the app's secret key) of the creator, the pending address and the expiry: the job
recomputes it, so the token itself is stored nowhere (the row keeps its SHA-256 to look it up). A newer request,
a cancelled one or a rotated secret makes older links and queued jobs void. Flushes only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, DomainError, NotFound
from core.security import fingerprint
from core.settings import get_settings
from store.jobs import CREATORS_CONFIRM_EMAIL, EmailConfirmation
from store.models import Creator, User
from store.outbox.repository import OutboxRepository

CONFIRM_PATH = "/creators/me/email/confirm"


class ConfirmationExpired(DomainError):
    status_code = 410
    code = "email_confirmation_expired"


@dataclass(frozen=True)
class ConfirmationEmail:
    to_address: str
    subject: str
    body: str
    token_hash: str


def _token(creator_id: uuid.UUID, address: str, expires_at: datetime) -> str:
    message = f"email-change:{creator_id}:{address}:{int(expires_at.timestamp())}".encode()
    digest = hmac.new(get_settings().secret_key().encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def confirmation_link(token: str) -> str:
    return f"{get_settings().public_base_url}{CONFIRM_PATH}?{urlencode({'token': token})}"


async def request_email_change(session: AsyncSession, creator: Creator, new_email: str) -> None:
    """Record `new_email` as pending (replacing any earlier request) and queue the link to it."""
    expires_at = (datetime.now(UTC) + timedelta(hours=get_settings().EMAIL_CHANGE_TOKEN_TTL_HOURS)).replace(
        microsecond=0)
    token_hash = fingerprint(_token(creator.id, new_email, expires_at))
    creator.pending_email, creator.pending_email_token_hash = new_email, token_hash
    creator.pending_email_expires_at = expires_at
    await session.flush()
    await OutboxRepository(session).enqueue(CREATORS_CONFIRM_EMAIL,
                                            EmailConfirmation(creator_id=creator.id, token_hash=token_hash),
                                            f"confirm-email:{token_hash}")


async def _move_sign_in_address(session: AsyncSession, creator: Creator, new_email: str) -> None:
    """The creator's account signs in with the profile's address when they were the same one: it moves too, so the
    old (perhaps lost) address no longer opens the account. Another account already using the new address is a
    409 and nothing changes."""
    if creator.user_id is None or creator.email is None:
        return
    user = await session.get(User, creator.user_id, with_for_update=True)
    if user is None or user.email.lower() != creator.email.lower():
        return
    taken = select(User.id).where(func.lower(User.email) == new_email.lower(), User.id != user.id)
    if (await session.execute(taken)).first() is not None:
        raise Conflict(f"Another account already signs in with {new_email}; use a different address",
                       code="email_taken")
    user.email = new_email


def cancel_email_change(creator: Creator) -> None:
    creator.pending_email = creator.pending_email_token_hash = creator.pending_email_expires_at = None


async def confirmation_email(session: AsyncSession, creator_id: uuid.UUID, token_hash: str
                             ) -> ConfirmationEmail | None:
    """The email a `creators.confirm_email` job sends; None when that request is no longer the pending one."""
    creator = await session.get(Creator, creator_id)
    if (creator is None or creator.pending_email is None or creator.pending_email_expires_at is None
            or creator.pending_email_token_hash != token_hash or creator.pending_email_expires_at <= datetime.now(UTC)):
        return None
    token = _token(creator.id, creator.pending_email, creator.pending_email_expires_at)
    if fingerprint(token) != token_hash:  # the secret key changed since: this link could never be confirmed
        return None
    expires = creator.pending_email_expires_at.strftime("%d %B %Y, %H:%M UTC")
    body = (f"Hi {creator.display_name},\n\n"
            f"You asked to use {creator.pending_email} as the email address of your creator profile.\n"
            f"Confirm it here:\n{confirmation_link(token)}\n\n"
            f"The link works until {expires}. Until you confirm, contracts, signing links and payout notices keep "
            f"going to your current address. If you did not ask for this, ignore this email and nothing changes.")
    return ConfirmationEmail(to_address=creator.pending_email, subject="Confirm your new email address",
                             body=body, token_hash=token_hash)


async def confirm_email_change(session: AsyncSession, token: str) -> Creator:
    """Switch the creator to the pending address the token was issued for."""
    statement = select(Creator).where(Creator.pending_email_token_hash == fingerprint(token)).with_for_update()
    creator = (await session.execute(statement)).scalar_one_or_none()
    if creator is None or creator.pending_email is None or creator.pending_email_expires_at is None:
        raise NotFound("This confirmation link is not valid (already used, or replaced by a newer change)",
                       code="email_confirmation_invalid")
    if creator.pending_email_expires_at <= datetime.now(UTC):
        raise ConfirmationExpired("This confirmation link has expired; change your email again to get a new one")
    await _move_sign_in_address(session, creator, creator.pending_email)
    creator.email = creator.pending_email
    cancel_email_change(creator)
    await session.flush()
    await session.refresh(creator)
    return creator
