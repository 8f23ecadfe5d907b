"""Rendering for the console: the Jinja2 environment, and the route class every console router uses.

`ConsoleRoute` turns what the store raises into pages: a missing or expired session is a redirect to the sign-in
form (htmx requests get `HX-Redirect`), any other domain error a page (or, for htmx, a fragment in the flash
area) with the error's own status. The request's transaction has already rolled back by then (the session
dependency exits first), so a failed form changes nothing. It also writes the session and CSRF cookies the request
decided on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import RedirectResponse, Response

from api.console.session import SignInRequired, apply_cookies, csrf_token
from core.errors import DomainError

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _ago(moment: datetime | None) -> str:
    if moment is None:
        return ""
    seconds = int((datetime.now(UTC) - moment).total_seconds())
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def _money(amount: Any, currency: str | None = None) -> str:
    if amount is None or amount == "":
        return "—"
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    text = f"{value:,.2f}".removesuffix(".00")
    return f"{text} {currency}" if currency else text


def _diff_markup(inline: str) -> Markup:
    """`[-old-]{+new+}` (store/contracts/clause_diff.py) as <del>/<ins>, everything else escaped."""
    parts = re.split(r"(\[-.*?-\]|\{\+.*?\+\})", inline or "", flags=re.S)
    html = []
    for part in parts:
        if part.startswith("[-") and part.endswith("-]"):
            html.append(Markup("<del>{}</del>").format(part[2:-2]))
        elif part.startswith("{+") and part.endswith("+}"):
            html.append(Markup("<ins>{}</ins>").format(part[2:-2]))
        else:
            html.append(escape(part))
    return Markup("").join(html)


def _brief_value(value: Any) -> str:
    """A brief field for reading: lists comma-separated, records as "key value" pairs, one per line."""
    if isinstance(value, dict):
        return ", ".join(f"{key.replace('_', ' ')} {_brief_value(item)}" for key, item in value.items()
                         if item not in (None, "", [], {}))
    if isinstance(value, list):
        separator = "\n" if any(isinstance(item, dict) for item in value) else ", "
        return separator.join(_brief_value(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


templates.env.filters["ago"] = _ago
templates.env.filters["brief_value"] = _brief_value
templates.env.filters["diffmarkup"] = _diff_markup
templates.env.filters["money"] = _money


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    principal = getattr(request.state, "principal", None)
    base = {"csrf_token": csrf_token(request), "user": principal.user if principal else None,
            "is_manager": bool(principal and principal.role.value in ("manager", "admin")),
            "htmx": request.headers.get("hx-request") == "true", "path": request.url.path}
    return templates.TemplateResponse(request, name, base | (context or {}), status_code=status_code,
                                      headers=headers)


def redirect(url: str, request: Request | None = None) -> Response:
    """303 after a form post; htmx follows `HX-Redirect` instead (it would swap a redirected page in place)."""
    if request is not None and request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _error_page(request: Request, status_code: int, message: str, code: str | None) -> Response:
    if request.headers.get("hx-request") == "true":
        return render(request, "_flash.html", {"message": message, "code": code}, status_code=status_code,
                      headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return render(request, "error.html", {"message": message, "code": code, "status": status_code},
                  status_code=status_code)


class ConsoleRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def console_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired:
                target = "/app/login?next=" + quote(request.url.path)
                response = redirect(target, request)
            except DomainError as exc:
                response = _error_page(request, exc.status_code, exc.message, exc.code)
            except RequestValidationError as exc:
                problems = "; ".join(f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}"
                                     for error in exc.errors())
                response = _error_page(request, 422, f"Please check the form: {problems}", "validation_error")
            apply_cookies(request, response)
            return response

        return console_handler
