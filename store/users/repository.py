"""All SQL for users, organizations and refresh tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Text, bindparam, cast, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.driver import fetchrow
from store.models import Organization, RefreshToken, User, UserRole

# Who is calling, read on every authenticated request: an active account's role and organization. Built once and
# run on the driver (`store/driver.py`): loading the ORM row cost the API more than the round trip itself.
_ACTIVE_ACCOUNT = select(cast(User.role, Text), cast(User.organization_id, Text)).where(
    User.id == bindparam("user_id"), User.is_active == true())


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def active_account(self, user_id: uuid.UUID) -> tuple[UserRole, uuid.UUID | None] | None:
        """The role and organization of an active account; None when it does not exist or is disabled."""
        row = await fetchrow(self.session, _ACTIVE_ACCOUNT, {"user_id": user_id})
        if row is None:
            return None
        return UserRole(row[0]), uuid.UUID(row[1]) if row[1] is not None else None

    async def get_by_login(self, login: str) -> User | None:
        """By username or email, case-insensitively."""
        login = login.strip().lower()
        statement = select(User).where(or_(func.lower(User.username) == login, func.lower(User.email) == login))
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def taken_fields(self, email: str, username: str) -> list[str]:
        statement = select(User.email, User.username).where(
            or_(func.lower(User.email) == email.lower(), func.lower(User.username) == username.lower())
        )
        taken: set[str] = set()
        for row_email, row_username in (await self.session.execute(statement)).all():
            if row_email.lower() == email.lower():
                taken.add("email")
            if row_username.lower() == username.lower():
                taken.add("username")
        return sorted(taken)

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def add_organization(self, name: str) -> Organization:
        organization = Organization(name=name)
        self.session.add(organization)
        await self.session.flush()
        return organization

    async def get_organization(self, organization_id: uuid.UUID) -> Organization | None:
        return await self.session.get(Organization, organization_id)

    async def members(self, organization_id: uuid.UUID | None) -> list[User]:
        """The organization's accounts, by name (the console's settings page)."""
        statement = select(User).where(User.organization_id == organization_id).order_by(User.full_name, User.id)
        return list((await self.session.execute(statement)).scalars())


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: RefreshToken) -> None:
        self.session.add(token)
        await self.session.flush()

    async def claim(self, jti: str, now: datetime) -> RefreshToken | None:
        """Atomically mark an unused, unrevoked token used; None when it was already used or revoked.

        A single UPDATE ... RETURNING makes two concurrent refreshes with the same token yield one winner.
        """
        statement = (
            update(RefreshToken)
            .where(RefreshToken.jti == jti, RefreshToken.used_at.is_(None), RefreshToken.revoked_at.is_(None))
            .values(used_at=now)
            .returning(RefreshToken)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get_by_jti(self, jti: str) -> RefreshToken | None:
        statement = select(RefreshToken).where(RefreshToken.jti == jti)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
