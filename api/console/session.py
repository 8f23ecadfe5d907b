"""The console's cookie session and CSRF protection.

The session is the same JWT pair the API hands out (`AuthService.login` / `refresh`), kept in two HttpOnly cookies
scoped to `/app` (SameSite=Lax, Secure in production): a page never sees a token. An expired access token is
renewed from the refresh token in its own transaction (the rotation must survive a page whose work fails).

CSRF: signed double submit. A random value sits in the `inf_csrf` cookie; every form carries (and htmx sends as
`X-CSRF-Token`) HMAC(secret key, that value). Another site can neither read the cookie nor compute the HMAC, so a
forged post fails with 403 — the login form included.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Annotated

from fastapi import Depends, Request

from api.deps import AccountPrincipal, SessionDep
from core.errors import DomainError, Forbidden, Unauthorized
from core.security import decode_token
from core.settings import get_settings
from store.db import unit_of_work
from store.models import UserRole
from store.users.repository import UserRepository
from store.users.service import AuthService, TokenPair

ACCESS_COOKIE, REFRESH_COOKIE, CSRF_COOKIE = "inf_access", "inf_refresh", "inf_csrf"
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
COOKIE_PATH = "/app"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SignInRequired(DomainError):
    """No (valid) session: pages redirect to the sign-in form."""

    status_code = 401


def _secure() -> bool:
    return get_settings().ENVIRONMENT == "production"


def csrf_cookie_value(request: Request) -> str:
    """The browser's CSRF secret; a new one is made (and set by the console route) when there is none."""
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not value:
        value = secrets.token_urlsafe(24)
        request.state.new_csrf = value
    return value


def csrf_token(request: Request) -> str:
    secret = get_settings().secret_key().encode()
    return hmac.new(secret, csrf_cookie_value(request).encode(), hashlib.sha256).hexdigest()


async def verify_csrf(request: Request) -> None:
    """Router dependency: every unsafe request carries the token matching its CSRF cookie."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = str((await request.form()).get(CSRF_FIELD) or "")
    if not cookie or not sent or not hmac.compare_digest(sent, csrf_token(request)):
        raise Forbidden("This form has expired or did not come from this site. Reload the page and try again.",
                        code="csrf_failed")


def remember_tokens(request: Request, pair: TokenPair) -> None:
    """The console route writes these cookies on whatever response the page returns."""
    request.state.new_tokens = pair


def apply_cookies(request: Request, response: object) -> None:
    from starlette.responses import Response

    if not isinstance(response, Response):
        return
    secure = _secure()
    new_csrf = getattr(request.state, "new_csrf", None)
    if new_csrf and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, new_csrf, path="/", httponly=True, samesite="lax", secure=secure)
    pair: TokenPair | None = getattr(request.state, "new_tokens", None)
    if pair is not None:
        refresh_age = get_settings().REFRESH_TOKEN_EXPIRE_DAYS * 86400
        response.set_cookie(ACCESS_COOKIE, pair.access_token, max_age=refresh_age, path=COOKIE_PATH, httponly=True,
                            samesite="lax", secure=secure)
        response.set_cookie(REFRESH_COOKIE, pair.refresh_token, max_age=refresh_age, path=COOKIE_PATH,
                            httponly=True, samesite="lax", secure=secure)
    if getattr(request.state, "sign_out", False):
        for name in (ACCESS_COOKIE, REFRESH_COOKIE):
            response.delete_cookie(name, path=COOKIE_PATH, secure=secure, httponly=True, samesite="lax")


async def _renewed(refresh_token: str) -> TokenPair:
    async with unit_of_work() as session:  # its own transaction: the rotation stands even if the page fails
        return await AuthService(session).refresh(refresh_token)


async def console_principal(request: Request, session: SessionDep) -> AccountPrincipal:
    access = request.cookies.get(ACCESS_COOKIE)
    refresh = request.cookies.get(REFRESH_COOKIE)
    if not access:
        raise SignInRequired("Sign in to continue", code="sign_in")
    try:
        payload = decode_token(access, "access")
    except Unauthorized as exc:
        if exc.code != "token_expired" or not refresh:
            raise SignInRequired("Sign in to continue", code="sign_in") from exc
        try:
            pair = await _renewed(refresh)
        except DomainError as renew_error:
            raise SignInRequired("Your session ended: sign in again", code="sign_in") from renew_error
        remember_tokens(request, pair)
        payload = decode_token(pair.access_token, "access")
    user = await UserRepository(session).get(uuid.UUID(payload["sub"]))
    if user is None or not user.is_active:
        raise SignInRequired("Sign in to continue", code="sign_in")
    request.state.principal = AccountPrincipal.of(user)
    return request.state.principal


ConsolePrincipal = Annotated[AccountPrincipal, Depends(console_principal)]


def _role(*roles: UserRole):  # type: ignore[no-untyped-def]
    async def check(principal: ConsolePrincipal) -> AccountPrincipal:
        if principal.role not in roles and principal.role != UserRole.admin:
            raise Forbidden("This page is for another kind of account.", code="wrong_role")
        return principal

    return check


ManagerPage = Annotated[AccountPrincipal, Depends(_role(UserRole.manager))]
CreatorPage = Annotated[AccountPrincipal, Depends(_role(UserRole.creator))]
