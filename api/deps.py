"""Request dependencies: the unit-of-work session, the authenticated principal, role checks.

A route takes `SessionDep` (one transaction, committed before the response) unless it only reads and each of its
statements stands on its own (e.g. a list page with its total in one statement): then `ReadSessionDep`, a
read-only unit with no BEGIN/COMMIT (`store.db.read_only_unit`), and the principal and role checks built on it
(`ManagerReaderDep`: `require_role(..., read_only=True)`), so the whole request uses that one session.
"""

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
from store.db import read_only_unit, unit_of_work
from store.models import User, UserRole
from store.users.repository import UserRepository

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/login", auto_error=False)


async def _session() -> AsyncIterator[AsyncSession]:
    async with unit_of_work() as session:
        yield session


async def _read_session() -> AsyncIterator[AsyncSession]:
    async with read_only_unit() as session:
        yield session


# scope="function": the commit happens before the response is sent, so a failed commit is a failed request.
SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(_read_session, scope="function")]
TokenDep = Annotated[str | None, Depends(oauth2_scheme)]


@dataclass(frozen=True)
class Principal:
    """Who is calling. Tenant and role come from here, never from request bodies or model output. Read from the
    account on every request, so a disabled account or a changed role or organization counts at once."""

    id: uuid.UUID
    role: UserRole
    organization_id: uuid.UUID | None


@dataclass(frozen=True)
class AccountPrincipal(Principal):
    """A principal with its account row, for pages that show or act on the account itself (the console)."""

    user: User

    @classmethod
    def of(cls, user: User) -> AccountPrincipal:
        return cls(user.id, user.role, user.organization_id, user)


async def authenticate(session: AsyncSession, token: str | None) -> Principal:
    """The principal behind a bearer access token: the token verified, the account active."""
    if not token:
        raise Unauthorized("Not authenticated: send an 'Authorization: Bearer <access token>' header")
    payload = decode_token(token, "access")
    try:
        user_id = uuid.UUID(payload["sub"])
    except ValueError as exc:
        raise Unauthorized("Invalid token", code="invalid_token") from exc
    account = await UserRepository(session).active_account(user_id)
    if account is None:
        raise Unauthorized("Account not found or disabled", code="invalid_token")
    return Principal(user_id, *account)


async def current_principal(session: SessionDep, token: TokenDep) -> Principal:
    return await authenticate(session, token)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


async def current_account(principal: PrincipalDep, session: SessionDep) -> User:
    """The caller's account row, for routes that show or act on the account itself."""
    user = await UserRepository(session).get(principal.id)
    if user is None or not user.is_active:
        raise Unauthorized("Account not found or disabled", code="invalid_token")
    return user


AccountDep = Annotated[User, Depends(current_account)]


def require_role(*roles: UserRole, read_only: bool = False) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency: the caller, when its role is one of `roles` (or admin). It authenticates itself, on the
    read-only unit's session when `read_only` (for routes on `ReadSessionDep`), rather than through
    `current_principal`: one dependency fewer for FastAPI to solve on every request."""
    allowed = ", ".join(role.value for role in roles)

    def permitted(principal: Principal) -> Principal:
        if principal.role not in roles and principal.role != UserRole.admin:
            raise Forbidden(f"This action needs the role: {allowed}", code="wrong_role")
        return principal

    async def _check(session: SessionDep, token: TokenDep) -> Principal:
        return permitted(await authenticate(session, token))

    async def _check_reader(session: ReadSessionDep, token: TokenDep) -> Principal:
        return permitted(await authenticate(session, token))

    return _check_reader if read_only else _check


ManagerDep = Annotated[Principal, Depends(require_role(UserRole.manager))]
CreatorDep = Annotated[Principal, Depends(require_role(UserRole.creator))]
ManagerReaderDep = Annotated[Principal, Depends(require_role(UserRole.manager, read_only=True))]
