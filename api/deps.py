"""Request dependencies: the unit-of-work session, the authenticated principal, role checks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Forbidden, Unauthorized
from core.security import decode_token
from store.db import unit_of_work
from store.models import User, UserRole
from store.users.repository import UserRepository

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login", auto_error=False)


async def _session() -> AsyncIterator[AsyncSession]:
    async with unit_of_work() as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit is a failed request.
SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]


@dataclass(frozen=True)
class Principal:
    """Who is calling. Tenant and role come from here, never from request bodies or model output."""

    user: User

    @property
    def id(self) -> uuid.UUID:
        return self.user.id

    @property
    def role(self) -> UserRole:
        return self.user.role

    @property
    def organization_id(self) -> uuid.UUID | None:
        return self.user.organization_id


async def current_principal(session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Principal:
    if not token:
        raise Unauthorized("Not authenticated: send an 'Authorization: Bearer <access token>' header")
    payload = decode_token(token, "access")
    try:
        user_id = uuid.UUID(payload["sub"])
    except ValueError as exc:
        raise Unauthorized("Invalid token", code="invalid_token") from exc
    user = await UserRepository(session).get(user_id)
    if user is None or not user.is_active:
        raise Unauthorized("Account not found or disabled", code="invalid_token")
    return Principal(user)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require_role(*roles: UserRole) -> Callable[..., Coroutine[Any, Any, Principal]]:
    allowed = ", ".join(role.value for role in roles)

    async def _check(principal: PrincipalDep) -> Principal:
        if principal.role not in roles and principal.role != UserRole.admin:
            raise Forbidden(f"This action needs the role: {allowed}", code="wrong_role")
        return principal

    return _check


ManagerDep = Annotated[Principal, Depends(require_role(UserRole.manager))]
CreatorDep = Annotated[Principal, Depends(require_role(UserRole.creator))]
