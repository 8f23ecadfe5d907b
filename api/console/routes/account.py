"""Sign-in and sign-out with the API's accounts, and /app itself: managers land in the inbox, creators on
their own page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from api.console.pages import ConsoleRoute, redirect, render
from api.console.session import REFRESH_COOKIE, ConsolePrincipal, remember_tokens, verify_csrf
from api.deps import SessionDep
from api.ratelimit import limit_auth_attempt
from core.errors import Unauthorized
from store.users.service import AuthService

router = APIRouter(prefix="/app", route_class=ConsoleRoute, dependencies=[Depends(verify_csrf)])


def _safe_next(target: str | None) -> str | None:
    """Only our own pages: an open redirect would make the sign-in form a phishing tool."""
    return target if target and target.startswith("/app") and not target.startswith("//") else None


@router.get("")
@router.get("/")
async def home(principal: ConsolePrincipal) -> Response:
    return redirect("/app/inbox" if principal.role.value in ("manager", "admin") else "/app/me")


@router.get("/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next) or "", "error": None})


@router.post("/login")
async def login(request: Request, session: SessionDep, username: Annotated[str, Form(max_length=320)],
                password: Annotated[str, Form(max_length=1000)],
                next: Annotated[str | None, Form(max_length=2000)] = None) -> Response:
    await limit_auth_attempt(request, "login", username)
    try:
        pair = await AuthService(session).login(username, password)
    except Unauthorized as exc:
        return render(request, "login.html", {"next": _safe_next(next) or "", "error": exc.message,
                                              "username": username}, status_code=401)
    remember_tokens(request, pair)
    return redirect(_safe_next(next) or "/app")


@router.post("/logout")
async def logout(request: Request, session: SessionDep) -> Response:
    refresh = request.cookies.get(REFRESH_COOKIE)
    if refresh:
        await AuthService(session).sign_out(refresh)
    request.state.sign_out = True
    return redirect("/app/login")
