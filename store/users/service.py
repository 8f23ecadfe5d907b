"""Registration, login and refresh-token rotation. Flushes only; the caller's unit of work commits."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, Unauthorized
from core.security import create_token, decode_token, hash_password_async, verify_password_async
from store.models import Creator, RefreshToken, User, UserRole
from store.users.repository import RefreshTokenRepository, UserRepository


def normalize_login(login: str) -> str:
    return unicodedata.normalize("NFKC", login).strip().lower()


class RefreshTokenReused(Unauthorized):
    code = "refresh_token_reused"
    keep_changes = True  # the family revocation must survive the failed request


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


@dataclass(frozen=True)
class NewUser:
    email: str
    username: str
    password: str
    full_name: str


class AuthService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.tokens = RefreshTokenRepository(session)

    async def _create_user(self, new: NewUser, role: UserRole, organization_id: uuid.UUID | None) -> User:
        taken = await self.users.taken_fields(new.email, new.username)
        if taken:
            raise Conflict(f"{' and '.join(taken)} already registered", code="already_registered",
                           details={"fields": taken})
        user = User(
            email=new.email.lower(),
            username=new.username,
            full_name=new.full_name,
            password_hash=await hash_password_async(new.password),
            role=role,
            organization_id=organization_id,
        )
        try:
            async with self.session.begin_nested():
                await self.users.add(user)
        except IntegrityError as exc:  # a concurrent registration won the race
            raise Conflict("email or username already registered", code="already_registered") from exc
        return user

    async def register_manager(self, new: NewUser, company_name: str) -> User:
        taken = await self.users.taken_fields(new.email, new.username)
        if taken:
            raise Conflict(f"{' and '.join(taken)} already registered", code="already_registered",
                           details={"fields": taken})
        organization = await self.users.add_organization(company_name)
        return await self._create_user(new, UserRole.manager, organization.id)

    async def register_creator(self, new: NewUser, profile: dict[str, Any]) -> tuple[User, Creator]:
        user = await self._create_user(new, UserRole.creator, None)
        creator = Creator(user_id=user.id, display_name=new.full_name, email=user.email, **profile)
        self.session.add(creator)
        await self.session.flush()
        return user, creator

    async def login(self, login: str, password: str,
                    throttle: Callable[[str], Awaitable[None]] | None = None) -> TokenPair:
        """`throttle(account_key)` counts the attempt against the account before the password is checked (it
        raises when over the limit): `user:<id>` for a known account, whichever of its names was typed, else the
        normalized identifier, so unknown names cannot be told apart by their limits either."""
        user = await self.users.get_by_login(login)
        if throttle is not None:
            await throttle(f"user:{user.id}" if user else f"login:{normalize_login(login)}")
        if not await verify_password_async(password, user.password_hash if user else None) or user is None:
            raise Unauthorized("Incorrect username/email or password", code="invalid_credentials")
        if not user.is_active:
            raise Unauthorized("Account is disabled", code="account_disabled")
        return await self._issue(user, family_id=uuid.uuid4())

    async def refresh(self, refresh_token: str) -> TokenPair:
        payload = decode_token(refresh_token, "refresh")
        now = datetime.now(UTC)
        claimed = await self.tokens.claim(payload["jti"], now)
        if claimed is None:
            known = await self.tokens.get_by_jti(payload["jti"])
            if known is not None:
                # Reuse of a rotated token: someone holds a stolen copy. End the whole session family.
                await self.tokens.revoke_family(known.family_id, now)
                raise RefreshTokenReused("Refresh token was already used; sign in again")
            raise Unauthorized("Unknown refresh token", code="invalid_token")
        user = await self.users.get(claimed.user_id)
        if user is None or not user.is_active:
            raise Unauthorized("Account is no longer active", code="account_disabled")
        return await self._issue(user, family_id=claimed.family_id)

    async def _issue(self, user: User, family_id: uuid.UUID) -> TokenPair:
        from core.settings import get_settings

        claims = {"role": user.role.value, "org": str(user.organization_id) if user.organization_id else None}
        access, _ = create_token(str(user.id), "access", claims=claims)
        jti = uuid.uuid4().hex
        refresh, refresh_expires = create_token(str(user.id), "refresh", jti=jti)
        await self.tokens.add(
            RefreshToken(user_id=user.id, jti=jti, family_id=family_id, expires_at=refresh_expires,
                         created_at=datetime.now(UTC))
        )
        return TokenPair(access, refresh, get_settings().ACCESS_TOKEN_EXPIRE_MINUTES * 60)

    async def sign_out(self, refresh_token: str) -> None:
        """End the session a refresh token belongs to (its whole rotation family); an unknown or expired token
        has nothing left to end."""
        try:
            payload = decode_token(refresh_token, "refresh")
        except Unauthorized:
            return
        known = await self.tokens.get_by_jti(payload["jti"])
        if known is not None:
            await self.tokens.revoke_family(known.family_id, datetime.now(UTC))
