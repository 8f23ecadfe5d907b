"""The manager's (and creator's) console in the browser, served by the API app under /app.

Server-rendered Jinja2 pages with htmx (vendored in `static/`, Zero-Clause BSD, no CDN, no build step). Pages
call the same store services as the API routers, one per endpoint; sign-in uses the same accounts, with the JWT
pair in HttpOnly cookies and a CSRF token on every form (`session.py`). Not part of the OpenAPI schema.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse

from api.console.routes import account, brief, campaigns, creator, inbox, settings

STATIC = Path(__file__).parent / "static"


def install_console(app: FastAPI) -> None:
    for module in (account, inbox, brief, campaigns, creator, settings):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/app/static", StaticFiles(directory=STATIC), name="console-static")

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/app", status_code=307)
